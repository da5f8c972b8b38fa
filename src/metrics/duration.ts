import type { ResolvedPolicy } from '../resolve/index.js';

/** Extra time a step may take beyond its analysis before it counts as stuck (GPU pods Pending, sync stalled). */
export const STEP_GRACE_SECONDS = 600;

/**
 * How long a canary step may run before it is stuck: the longer of its pause
 * and its analysis (initial delay + count × interval), plus a grace period.
 * The promoter rolls back after it; the ModelCanaryStuck alert fires after it.
 */
export function stepDeadlineSeconds(policy: ResolvedPolicy, step: number): number {
  const analysis = policy.analysis.intervalSeconds * (policy.analysis.count + 1);
  return Math.max(analysis, stepPauseSeconds(policy, step)) + STEP_GRACE_SECONDS;
}

/** Seconds a canary step pauses before the next one (0 for a step the policy does not have). */
export function stepPauseSeconds(policy: ResolvedPolicy, step: number): number {
  return policy.steps[step]?.pauseSeconds ?? 0;
}
