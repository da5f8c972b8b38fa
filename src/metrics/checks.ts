import type { BuiltInCheck, QualityCheckDefinition } from '../definitions/index.js';
import type { ResolvedModel, ResolvedPlatform, ResolvedPolicy } from '../resolve/index.js';
import { bindQuery, bindSelector, type AnalysisBinding } from './bind.js';
import { holds, validCondition, type Comparison } from './condition.js';
import { tierTiming } from './duration.js';

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

interface CheckContext {
  readonly platform: ResolvedPlatform;
  readonly model: ResolvedModel;
  readonly policy: ResolvedPolicy;
  readonly bind: AnalysisBinding;
}

/** The checks modelplane builds from the platform's request metrics, in this order; undefined where a check does not apply. */
const BUILT_IN: { readonly [K in BuiltInCheck]: (c: CheckContext) => AnalysisCheck | undefined } = {
  'request-count': (c) => {
    const { platform, policy, bind } = c;
    const { requests } = platform.metricSources;
    const a = { ...policy.analysis, window: windowOf(c) };
    return {
      name: 'request-count',
      query: `sum(increase(${requests.total}{${bindSelector(requests.selector, bind.namespace, bind.canaryWorkload)}}[${a.window}]))`,
      op: '>=',
      threshold: a.minRequests,
      description: `canary requests in ${a.window}`,
    };
  },
  'error-rate': (c) => {
    const { platform, policy, bind } = c;
    const { requests } = platform.metricSources;
    const a = { ...policy.analysis, window: windowOf(c) };
    const selector = bindSelector(requests.selector, bind.namespace, bind.canaryWorkload);
    return {
      name: 'error-rate',
      // No failed request is no series: count it as 0 errors; no request at all stays no data.
      query: `(sum(rate(${requests.total}{${selector},${requests.errorMatcher}}[${a.window}])) or vector(0)) / sum(rate(${requests.total}{${selector}}[${a.window}]))`,
      op: '<=',
      threshold: a.maxErrorRatio,
      description: `canary error ratio over ${a.window}`,
    };
  },
  'latency-p99': (c) =>
    c.model.tier.p99BudgetMs === undefined
      ? undefined
      : {
          name: 'latency-p99',
          query: p99(c, c.bind.canaryWorkload),
          op: '<=',
          threshold: c.model.tier.p99BudgetMs,
          description: `canary p99 latency (ms) against the ${c.model.tier.name} tier budget`,
        },
  'latency-vs-stable': (c) => ({
    name: 'latency-vs-stable',
    query: `${p99(c, c.bind.canaryWorkload)} / ${p99(c, c.bind.stableWorkload)}`,
    op: '<=',
    threshold: c.policy.analysis.maxLatencyRatio,
    description: 'canary p99 / stable p99',
  }),
};

/** Every built-in check, in the order a policy lists them by default. The one list of them. */
export { BUILT_IN_CHECKS } from './built-in.js';

/** The query window of the model's tier under the policy. */
const windowOf = (c: CheckContext) => tierTiming(c.policy, c.model.tier.name).window;

function p99(c: CheckContext, workload: string): string {
  const { platform, bind } = c;
  const { requests } = platform.metricSources;
  const window = windowOf(c);
  return `histogram_quantile(0.99, sum by (le) (rate(${requests.durationBucketMs}{${bindSelector(requests.selector, bind.namespace, workload)}}[${window}])))`;
}

/**
 * The checks of one canary step: the policy's built-in request checks, then the
 * policy's and the model's quality and drift checks.
 */
export function analysisChecks(platform: ResolvedPlatform, model: ResolvedModel, policy: ResolvedPolicy, bind: AnalysisBinding): AnalysisCheck[] {
  const context: CheckContext = { platform, model, policy, bind };
  const checks: AnalysisCheck[] = [];
  for (const metric of policy.analysis.metrics) {
    const check = BUILT_IN[metric](context);
    if (check) checks.push(check);
  }
  for (const q of [...policy.analysis.quality, ...model.quality]) checks.push(...qualityChecks(model, q, bind));
  return checks;
}

function qualityChecks(model: ResolvedModel, q: QualityCheckDefinition, bind: AnalysisBinding): AnalysisCheck[] {
  const query = (workload: string) => bindQuery(q.query, bind.namespace, workload, model.id);
  const { op, threshold } = validCondition(q.condition);
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
  return holds(check, values[0]) ? 'pass' : 'fail';
}
