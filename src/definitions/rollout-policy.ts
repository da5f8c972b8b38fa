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
  /** Checks run at each step, by name. @default ['error-rate', 'latency-p99', 'latency-vs-stable', 'request-count'] */
  readonly metrics?: readonly string[];
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
