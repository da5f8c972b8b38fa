import {
  boolean,
  closed,
  condition,
  count,
  described,
  dnsLabel,
  duration,
  list,
  map,
  named,
  nonNegative,
  number,
  oneOf,
  optional,
  positiveCount,
  string,
  type Static,
} from './builders.js';
import { withCallSite } from './source.js';

const RolloutStepSchema = closed('One canary step.', {
  weight: number('Percentage of traffic sent to the canary, 0 < weight < 100.', { exclusiveMinimum: 0, exclusiveMaximum: 100 }),
  pause: duration('How long the step lasts before its analysis decides, e.g. `10m`.'),
});
export interface RolloutStep extends Static<typeof RolloutStepSchema> {}

/**
 * The checks modelplane builds from the platform's request metrics, in the order
 * a policy runs them by default: the one list (src/metrics/built-in.ts names it for the other layers).
 */
export const BUILT_IN_CHECKS = ['request-count', 'error-rate', 'latency-p99', 'latency-vs-stable'] as const;
const BuiltInCheckSchema = oneOf('A check modelplane builds from the platform\'s request metrics.', BUILT_IN_CHECKS);
/** The checks modelplane builds from the platform's request metrics. */
export type BuiltInCheck = Static<typeof BuiltInCheckSchema>;

const QualityCheckSchema = closed(
  'A model-specific check: PromQL with `{{namespace}}`, `{{workload}}`, `{{model}}` and `{{version}}` placeholders, evaluated for the canary.',
  {
    name: dnsLabel('Metric name in the analysis, a DNS label, e.g. `precision-at-10` or `psi-drift`.'),
    query: string('PromQL query of the check.', { minLength: 1, maxLength: 4096 }),
    condition: condition('Condition on the canary\'s value, e.g. `>= 0.92` or `<= 0.2` for a drift score.'),
    maxDelta: optional(nonNegative('Largest tolerated |canary − stable| of the same query. Default: none (no comparison).')),
  },
);
/**
 * A model-specific check: PromQL with `{{namespace}}`, `{{workload}}`,
 * `{{model}}` and `{{version}}` placeholders, evaluated for the canary.
 */
export interface QualityCheckDefinition extends Static<typeof QualityCheckSchema> {}
/** A list of quality checks (a model's or a policy's `quality`). */
export const qualityChecks = (description: string) => list(description, named<QualityCheckDefinition>(QualityCheckSchema), { maxItems: 20 });

const TierAnalysisSchema = closed("A tier's analysis settings under a policy.", {
  interval: optional(duration('Time between measurements. Default: the policy\'s interval.')),
  window: optional(duration('Range of rate() and increase() in queries. Default: the policy\'s window.')),
  failureLimit: optional(count('Failed measurements tolerated before the step fails. Default: the policy\'s failureLimit.')),
});
/** A tier's analysis settings under a policy. */
export interface TierAnalysisDefinition extends Static<typeof TierAnalysisSchema> {}

const AnalysisSchema = closed('How each canary step is measured.', {
  interval: duration('Time between measurements, e.g. `1m`.'),
  count: optional(
    positiveCount(
      'Measurements per step. A count that ends the analysis before a regression starting late in the step can fail it is refused (MP8002). Default: enough that every regression starting during the step fails it, ceil((pause + scrape + window − interval) / interval) + failureLimit + 1.',
    ),
  ),
  failureLimit: count('Failed measurements tolerated before the step fails.'),
  metrics: optional(list('Built-in checks run at each step. Default: all of them.', BuiltInCheckSchema)),
  maxErrorRatio: optional(number('Highest tolerated ratio of failed requests. Default: 0.01.', { minimum: 0, maximum: 1 })),
  maxLatencyRatio: optional(number('Highest tolerated canary p99 / stable p99. Default: 1.5.', { exclusiveMinimum: 0, maximum: 100 })),
  minRequests: optional(count('Canary requests needed in the window for a step to count; fewer is a failure, never a pass. Default: 50.')),
  window: optional(duration('Range of rate() and increase() in queries. Default: \'5m\'.')),
  quality: optional(qualityChecks('Quality and drift checks that apply to every model under this policy. Default: [].')),
  tiers: optional(
    map(
      "Faster analysis for some tiers, by tier name, e.g. `{ critical: { interval: '20s', window: '1m', failureLimit: 1 } }`; the count is then derived for each step (a declared `count` applies to the policy's own interval only). Default: {} (every tier uses the settings above).",
      named<TierAnalysisDefinition>(TierAnalysisSchema),
    ),
  ),
});
export interface AnalysisDefinition extends Static<typeof AnalysisSchema> {}

const GatesSchema = closed('Checks a version must pass before it receives traffic under this policy.', {
  offline: optional(
    map('Offline metric → threshold, e.g. `{ auc: \'>= 0.90\', p99LatencyMs: \'<= 40\' }`. Default: none.', condition('Threshold on the offline metric.'), {
      keys: { type: 'string', minLength: 1, maxLength: 128 },
    }),
  ),
  requireApproval: optional(boolean('Whether versions need `approval` before receiving traffic. Default: true.')),
});
export interface GatesDefinition extends Static<typeof GatesSchema> {}

/** JSON Schema of `defineRolloutPolicy({...})`. */
export const RolloutPolicySchema = closed('A rollout policy (`policies/<name>.ts`).', {
  name: dnsLabel('Policy name, referenced by `canary.policy`.'),
  steps: list('Canary steps; an empty list deploys directly.', named<RolloutStep>(RolloutStepSchema), { maxItems: 20 }),
  analysis: named<AnalysisDefinition>(AnalysisSchema),
  gates: optional(described('Checks before traffic. Default: { requireApproval: true }.', named<GatesDefinition>(GatesSchema))),
  keepPreviousFor: optional(duration('How long the previous stable version stays warm after a promotion, e.g. `2h`. Default: \'1h\'.')),
  environments: optional(list('Environments that use this policy by default. Default: [].', dnsLabel('An environment name.'))),
});
export interface RolloutPolicyDefinition extends Static<typeof RolloutPolicySchema> {}

/** Declares a rollout policy (`policies/<name>.ts`). */
export function defineRolloutPolicy(definition: RolloutPolicyDefinition): RolloutPolicyDefinition {
  return withCallSite(definition, 'rollout-policy');
}
