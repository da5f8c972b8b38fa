import type { FieldPath } from '../diagnostics/index.js';
import { tierBudgets } from '../metrics/index.js';
import type { ResolvedPlatform, ResolvedPolicy } from '../resolve/index.js';
import type { Findings } from './gates-context.js';

/** Where a tier's analysis under a policy is declared: the tier's override, a declared count, or the policy's analysis. */
function fieldOf(policy: ResolvedPolicy, tier: string): FieldPath {
  const t = policy.tiers[tier];
  if (t && (t.interval !== policy.analysis.interval || t.window !== policy.analysis.window || t.failureLimit !== policy.analysis.failureLimit)) return ['analysis', 'tiers', tier];
  return t?.declaredCount ? ['analysis', 'count'] : ['analysis'];
}

/**
 * MP8002: no regression that starts during a step passes it, not even one
 * just past its threshold; MP8003: the worst case from a regression's start
 * to traffic on stable (a severe regression, then every declared stage of the
 * rollback path) is within the tier's `rollbackObjectiveSeconds`. Both from
 * `tierBudgets`, the numbers `plan` prints.
 */
export function checkAnalysisCoverage(resolved: ResolvedPlatform, found: Findings): void {
  for (const b of tierBudgets(resolved)) {
    const policy = resolved.policies.find((p) => p.name === b.policy)!;
    if (b.passesIfStartingAfterSeconds !== undefined || b.totalSeconds === undefined) {
      found.add('MP8002', policy.file, fieldOf(policy, b.tier), { ...b, passesAfterSeconds: b.passesIfStartingAfterSeconds });
      continue;
    }
    if (b.totalSeconds > b.objectiveSeconds)
      found.add('MP8003', policy.file, fieldOf(policy, b.tier), { ...b, totalSeconds: b.totalSeconds, detectionSeconds: b.detectionSevereSeconds });
  }
}
