import { withCallSite } from './source.js';

export interface RolloutStep {
  /** Percentage of traffic sent to the canary, 0 < weight < 100. */
  readonly weight: number;
  /** How long the step lasts before its analysis decides, e.g. `10m`. */
  readonly pause: string;
}

export interface AnalysisDefinition {
  /** Time between measurements, e.g. `1m`. */
  readonly interval: string;
  /** Measurements per step. */
  readonly count: number;
  /** Failed measurements tolerated before the step fails. */
  readonly failureLimit: number;
  /** Built-in checks run at each step. @default all of them */
  readonly metrics?: readonly BuiltInCheck[];
  /** Highest tolerated ratio of failed requests. @default 0.01 */
  readonly maxErrorRatio?: number;
  /** Highest tolerated canary p99 / stable p99. @default 1.5 */
  readonly maxLatencyRatio?: number;
  /** Canary requests needed in the window for a step to count; fewer is a failure, never a pass. @default 50 */
  readonly minRequests?: number;
  /** Range of rate() and increase() in queries. @default '5m' */
  readonly window?: string;
  /** Quality and drift checks that apply to every model under this policy. @default [] */
  readonly quality?: readonly QualityCheckDefinition[];
}

/** The checks modelplane builds from the platform's request metrics. */
export type BuiltInCheck = 'request-count' | 'error-rate' | 'latency-p99' | 'latency-vs-stable';

/**
 * A model-specific check: PromQL with `{{namespace}}`, `{{workload}}`,
 * `{{model}}` and `{{version}}` placeholders, evaluated for the canary.
 */
export interface QualityCheckDefinition {
  /** Metric name in the analysis, a DNS label, e.g. `precision-at-10` or `psi-drift`. */
  readonly name: string;
  readonly query: string;
  /** Condition on the canary's value, e.g. `>= 0.92` or `<= 0.2` for a drift score. */
  readonly condition: string;
  /** Largest tolerated |canary − stable| of the same query. @default - no comparison */
  readonly maxDelta?: number;
}

export interface GatesDefinition {
  /** Offline metric → threshold, e.g. `{ auc: '>= 0.90', p99LatencyMs: '<= 40' }`. */
  readonly offline?: Readonly<Record<string, string>>;
  /** Whether versions need `approval` before receiving traffic. @default true */
  readonly requireApproval?: boolean;
}

export interface RolloutPolicyDefinition {
  /** Policy name, referenced by `canary.policy`. */
  readonly name: string;
  /** Canary steps; an empty list deploys directly. */
  readonly steps: readonly RolloutStep[];
  readonly analysis: AnalysisDefinition;
  /** @default { requireApproval: true } */
  readonly gates?: GatesDefinition;
  /** How long the previous stable version stays warm after a promotion, e.g. `2h`. @default '1h' */
  readonly keepPreviousFor?: string;
  /** Environments that use this policy by default. @default [] */
  readonly environments?: readonly string[];
}

/** Declares a rollout policy (`policies/<name>.ts`). */
export function defineRolloutPolicy<const T extends RolloutPolicyDefinition>(definition: T): T {
  return withCallSite(definition, 'rollout-policy');
}
