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
  const analysis = Math.max(0, ...timings.map((t) => t.initialDelaySeconds + stepCount(t, step) * t.intervalSeconds));
  return Math.max(analysis, stepPauseSeconds(policy, step)) + STEP_GRACE_SECONDS;
}

/** A tier's analysis timing under a policy (the policy's own settings for a tier it does not know). */
export function tierTiming(policy: ResolvedPolicy, tier: string): ResolvedAnalysisTiming {
  if (Object.hasOwn(policy.tiers, tier)) return policy.tiers[tier];
  const [first] = Object.values(policy.tiers);
  if (!first) throw new Error(`tierTiming: policy ${policy.name} has no tier timings`);
  return first;
}

/**
 * Measurements of a step (resolve derives one count per step of the policy);
 * a step past the last, or the template shared by every step, takes `counts[0]`
 * and the largest count respectively.
 */
export function stepCount(t: ResolvedAnalysisTiming, step: number): number {
  if (t.counts.length === 0) return 1; // a policy without steps: one measurement, as a template needs one
  return step >= 0 && step < t.counts.length ? t.counts[step] : t.counts[0];
}

/** The count of an AnalysisTemplate, shared by every step: the largest. */
export function templateCount(t: ResolvedAnalysisTiming): number {
  return Math.max(1, ...t.counts);
}

/** The timing of one step of a tier, as the detection model reads it. */
export function stepTiming(policy: ResolvedPolicy, tier: string, step: number): AnalysisTiming {
  const t = tierTiming(policy, tier);
  return { initialDelaySeconds: t.initialDelaySeconds, intervalSeconds: t.intervalSeconds, count: stepCount(t, step), failureLimit: t.failureLimit, windowSeconds: t.windowSeconds };
}

/** Seconds a canary step pauses before the next one (0 for a step the policy does not have). */
export function stepPauseSeconds(policy: ResolvedPolicy, step: number): number {
  return step >= 0 && step < policy.steps.length ? policy.steps[step].pauseSeconds : 0;
}
