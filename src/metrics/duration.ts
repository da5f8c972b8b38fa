import type { ResolvedAnalysisTiming, ResolvedPolicy } from '../resolve/index.js';
import type { AnalysisTiming } from './detection.js';

/** Extra time a step may take beyond its analysis before it counts as stuck (GPU pods Pending, sync stalled). */
export const STEP_GRACE_SECONDS = 600;

/**
 * How long a canary step may run before it is stuck: the longer of its pause
 * and its analysis (initial delay + count × interval, for the tier, else the
 * slowest tier), plus a grace period. The promoter rolls back after it; the
 * ModelCanaryStuck alert fires after it.
 */
export function stepDeadlineSeconds(policy: ResolvedPolicy, step: number, tier?: string): number {
  const timings = tier !== undefined && policy.tiers[tier] ? [policy.tiers[tier]] : Object.values(policy.tiers);
  const analysis = Math.max(0, ...timings.map((t) => t.initialDelaySeconds + (t.counts[step] ?? t.counts[0] ?? 1) * t.intervalSeconds));
  return Math.max(analysis, stepPauseSeconds(policy, step)) + STEP_GRACE_SECONDS;
}

/** A tier's analysis timing under a policy (the policy's own settings for a tier it does not know). */
export function tierTiming(policy: ResolvedPolicy, tier: string): ResolvedAnalysisTiming {
  const t = policy.tiers[tier] ?? Object.values(policy.tiers)[0];
  if (!t) throw new Error(`tierTiming: policy ${policy.name} has no tier timings`);
  return t;
}

/** The timing of one step of a tier, as the detection model reads it. */
export function stepTiming(policy: ResolvedPolicy, tier: string, step: number): AnalysisTiming {
  const t = tierTiming(policy, tier);
  return { initialDelaySeconds: t.initialDelaySeconds, intervalSeconds: t.intervalSeconds, count: t.counts[step] ?? t.counts[0] ?? 1, failureLimit: t.failureLimit, windowSeconds: t.windowSeconds };
}

/** Seconds a canary step pauses before the next one (0 for a step the policy does not have). */
export function stepPauseSeconds(policy: ResolvedPolicy, step: number): number {
  return policy.steps[step]?.pauseSeconds ?? 0;
}
