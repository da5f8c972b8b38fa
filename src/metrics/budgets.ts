import type { ResolvedPlatform, ResolvedPolicy, ResolvedTier } from '../resolve/index.js';
import { detection, rollbackBudget, type Detection } from './detection.js';
import { stepTiming } from './duration.js';

/** Each (policy, tier) a model can be rolled out under: its canary's policy and its environment's default policy. */
export function policyTiers(resolved: ResolvedPlatform): { policy: ResolvedPolicy; tier: ResolvedTier; envs: string[] }[] {
  const out = new Map<string, { policy: ResolvedPolicy; tier: ResolvedTier; envs: string[] }>();
  for (const env of resolved.environments)
    for (const model of env.models)
      for (const name of new Set([model.canary?.policy, env.defaultPolicy])) {
        const policy = resolved.policies.find((p) => p.name === name);
        if (!policy || policy.steps.length === 0) continue;
        const key = `${policy.name}|${model.tier.name}`;
        if (!out.has(key)) out.set(key, { policy, tier: model.tier, envs: [] });
        const entry = out.get(key)!;
        if (!entry.envs.includes(env.name)) entry.envs.push(env.name);
      }
  return [...out.values()].sort((a, b) => (a.policy.name < b.policy.name ? -1 : a.policy.name > b.policy.name ? 1 : a.tier.priority > b.tier.priority ? -1 : 1));
}

/** One tier's rollback budget under one policy: the worst step. */
export interface TierBudget {
  readonly policy: string;
  readonly tier: string;
  readonly envs: readonly string[];
  readonly intervalSeconds: number;
  readonly windowSeconds: number;
  /** Failed measurements that fail a step (failureLimit + 1). */
  readonly failuresToFail: number;
  /** Measurements of the longest step, and how long its analysis runs when nothing fails. */
  readonly count: number;
  readonly runSeconds: number;
  readonly pauseSeconds: number;
  /** Worst-case detection, severe and marginal regressions (undefined: some regression passes a step). */
  readonly detectionSevereSeconds?: number;
  readonly detectionMarginalSeconds?: number;
  /** Earliest start, in seconds into a step, of a marginal regression that passes it. */
  readonly passesIfStartingAfterSeconds?: number;
  /** The declared rollback path after detection: promoter, check, merge, refresh, sync. */
  readonly pathSeconds: number;
  /** Severe detection plus the path: from a regression's start to traffic on stable. */
  readonly totalSeconds?: number;
  readonly objectiveSeconds: number;
}

const worst = (ds: readonly Detection[]) => (ds.some((d) => d.worstSeconds === undefined) ? undefined : Math.max(...ds.map((d) => d.worstSeconds!)));

/** Every (policy, tier) in use and its worst-case rollback time, over the policy's steps. Pure: `plan` prints it, `validate` enforces it. */
export function tierBudgets(resolved: ResolvedPlatform): TierBudget[] {
  const scrape = resolved.rollbackPath.scrapeSeconds;
  return policyTiers(resolved).map(({ policy, tier, envs }) => {
    const steps = policy.steps.map((s, i) => ({ pause: s.pauseSeconds, t: stepTiming(policy, tier.name, i) }));
    const severe = steps.map((s) => detection(s.t, s.pause, 'severe', scrape));
    const marginal = steps.map((s) => detection(s.t, s.pause, 'marginal', scrape));
    const longest = steps.reduce((a, b) => (b.pause > a.pause ? b : a));
    const budget = rollbackBudget(longest.t, longest.pause, 'severe', scrape, resolved.rollbackPath);
    const pathSeconds = budget.stages.filter((s) => s.stage !== 'detection').reduce((n, s) => n + s.seconds, 0);
    const detectionSevereSeconds = worst(severe);
    const passing = marginal.map((d) => d.passesIfStartingAfterSeconds).filter((x): x is number => x !== undefined);
    return {
      policy: policy.name,
      tier: tier.name,
      envs,
      intervalSeconds: longest.t.intervalSeconds,
      windowSeconds: longest.t.windowSeconds,
      failuresToFail: longest.t.failureLimit + 1,
      count: longest.t.count,
      runSeconds: longest.t.initialDelaySeconds + (longest.t.count - 1) * longest.t.intervalSeconds,
      pauseSeconds: longest.pause,
      detectionSevereSeconds,
      detectionMarginalSeconds: worst(marginal),
      passesIfStartingAfterSeconds: passing.length ? Math.min(...passing) : undefined,
      pathSeconds,
      totalSeconds: detectionSevereSeconds === undefined ? undefined : detectionSevereSeconds + pathSeconds,
      objectiveSeconds: tier.rollbackObjectiveSeconds,
    };
  });
}
