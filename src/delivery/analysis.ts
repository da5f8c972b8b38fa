import type { QualityCheckDefinition } from '../definitions/index.js';
import type { ResolvedModel, ResolvedPlatform, ResolvedPolicy } from '../resolve/index.js';
import { names } from '../resolve/index.js';

export type Comparison = '<=' | '>=' | '<' | '>' | '==';

/**
 * One canary check as data: the query, and the comparison its single value
 * must pass. The Argo Rollouts condition and `modelplane analyze` are both
 * derived from this, so they cannot disagree.
 */
export interface AnalysisCheck {
  readonly name: string;
  readonly query: string;
  readonly op: Comparison;
  readonly threshold: number;
  /** Human-readable: what is measured. */
  readonly description: string;
}

/** Values (or Argo `{{args.*}}` placeholders) a query is bound to. */
export interface AnalysisBinding {
  readonly namespace: string;
  readonly canaryWorkload: string;
  readonly stableWorkload: string;
}

/** The platform's request selector for one version: `{{namespace}}` and `{{workload}}` filled in. */
export function bindSelector(selector: string, namespace: string, workload: string): string {
  return selector.replaceAll('{{namespace}}', namespace).replaceAll('{{workload}}', workload);
}

/** A declared quality query with `{{namespace}}`, `{{workload}}` and `{{model}}` filled in. */
export function bindQuery(query: string, namespace: string, workload: string, modelId: string): string {
  return bindSelector(query, namespace, workload).replaceAll('{{model}}', modelId);
}

/** Binding to Argo Rollouts arguments, for the AnalysisTemplate. */
export const TEMPLATE_BINDING: AnalysisBinding = {
  namespace: '{{args.namespace}}',
  canaryWorkload: '{{args.canary-workload}}',
  stableWorkload: '{{args.stable-workload}}',
};

/** Concrete binding for a model's current canary. */
export function canaryBinding(model: ResolvedModel): AnalysisBinding {
  if (!model.canary) throw new Error(`canaryBinding: ${model.id} has no canary`);
  return {
    namespace: model.namespace,
    canaryWorkload: names.predictorName(model.id, model.canary.version),
    stableWorkload: names.predictorName(model.id, model.stable),
  };
}

export function parseCondition(condition: string): { op: Comparison; threshold: number } {
  const match = /^(>=|<=|>|<|==)\s*(-?\d+(?:\.\d+)?(?:[eE]-?\d+)?)$/.exec(condition.trim());
  if (!match) throw new Error(`parseCondition: invalid condition ${condition}`);
  return { op: match[1] as Comparison, threshold: Number(match[2]) };
}

/**
 * The checks of one canary step: the policy's built-in request checks, then the
 * policy's and the model's quality and drift checks.
 */
export function analysisChecks(platform: ResolvedPlatform, model: ResolvedModel, policy: ResolvedPolicy, bind: AnalysisBinding): AnalysisCheck[] {
  const { requests } = platform.metricSources;
  const a = policy.analysis;
  const selector = (workload: string) => bindSelector(requests.selector, bind.namespace, workload);
  const total = (workload: string) => `${requests.total}{${selector(workload)}}`;
  const p99 = (workload: string) => `histogram_quantile(0.99, sum by (le) (rate(${requests.durationBucketMs}{${selector(workload)}}[${a.window}])))`;
  const checks: AnalysisCheck[] = [];
  for (const metric of a.metrics) {
    if (metric === 'request-count')
      checks.push({
        name: 'request-count',
        query: `sum(increase(${total(bind.canaryWorkload)}[${a.window}]))`,
        op: '>=',
        threshold: a.minRequests,
        description: `canary requests in ${a.window}`,
      });
    if (metric === 'error-rate')
      checks.push({
        name: 'error-rate',
        // No failed request is no series: count it as 0 errors; no request at all stays no data.
        query: `(sum(rate(${requests.total}{${selector(bind.canaryWorkload)},${requests.errorMatcher}}[${a.window}])) or vector(0)) / sum(rate(${total(bind.canaryWorkload)}[${a.window}]))`,
        op: '<=',
        threshold: a.maxErrorRatio,
        description: `canary error ratio over ${a.window}`,
      });
    if (metric === 'latency-p99' && model.tier.p99BudgetMs !== undefined)
      checks.push({
        name: 'latency-p99',
        query: p99(bind.canaryWorkload),
        op: '<=',
        threshold: model.tier.p99BudgetMs,
        description: `canary p99 latency (ms) against the ${model.tier.name} tier budget`,
      });
    if (metric === 'latency-vs-stable')
      checks.push({
        name: 'latency-vs-stable',
        query: `${p99(bind.canaryWorkload)} / ${p99(bind.stableWorkload)}`,
        op: '<=',
        threshold: a.maxLatencyRatio,
        description: 'canary p99 / stable p99',
      });
  }
  for (const q of [...a.quality, ...model.quality]) checks.push(...qualityChecks(model, q, bind));
  return checks;
}

function qualityChecks(model: ResolvedModel, q: QualityCheckDefinition, bind: AnalysisBinding): AnalysisCheck[] {
  const query = (workload: string) => bindQuery(q.query, bind.namespace, workload, model.id);
  const { op, threshold } = parseCondition(q.condition);
  const checks: AnalysisCheck[] = [{ name: q.name, query: query(bind.canaryWorkload), op, threshold, description: `${q.name} of the canary` }];
  if (q.maxDelta !== undefined)
    checks.push({
      name: `${q.name}-delta`,
      // scalar() of no data is NaN, so a missing side can never pass.
      query: `abs(vector(scalar(${query(bind.canaryWorkload)}) - scalar(${query(bind.stableWorkload)})))`,
      op: '<=',
      threshold: q.maxDelta,
      description: `|canary − stable| of ${q.name}`,
    });
  return checks;
}

/**
 * The Argo Rollouts success condition of a check. No data (empty result), NaN
 * and ±Inf are never a success.
 */
export function argoCondition(check: AnalysisCheck): string {
  return `len(result) > 0 && !isNaN(result[0]) && !isInf(result[0]) && result[0] ${check.op} ${check.threshold}`;
}

/** The same verdict as `argoCondition`, in TypeScript, for `modelplane analyze`. */
export function evaluateCheck(check: AnalysisCheck, values: readonly number[]): 'pass' | 'fail' | 'no-data' {
  if (values.length === 0 || !Number.isFinite(values[0])) return 'no-data';
  const v = values[0];
  const t = check.threshold;
  const ok = { '<=': v <= t, '>=': v >= t, '<': v < t, '>': v > t, '==': v === t }[check.op];
  return ok ? 'pass' : 'fail';
}

export { durationSeconds } from '../resolve/duration.js';
