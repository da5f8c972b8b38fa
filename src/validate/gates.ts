import type { Diagnostic } from '../diagnostics/index.js';
import type { Definitions } from '../load/index.js';
import type { ResolvedPlatform } from '../resolve/index.js';
import { checkBurst, checkCapacity, checkServing, checkTierMinimums } from './gates-capacity.js';
import { checkMesh, checkQuotas, checkRuntimePools } from './gates-serving.js';
import { Findings, type GateContext } from './gates-context.js';
import { checkReleaseGates } from './gates-release.js';
import { checkRoutes } from './gates-route.js';
import { checkAnalysisCoverage } from './gates-analysis.js';
import { checkRetiredDeployments } from './gates-retire.js';
import { checkWarmPools } from './gates-warm-pool.js';
import { checkCredentials, checkModelSecurity, checkPlatformSecurity, checkPolicySecurity } from './gates-security.js';

/**
 * The safety gates: what must hold before any traffic moves.
 *
 * - release (MP5xxx): approval, offline evaluation gates, evaluated artifact, training/serving skew;
 * - serving (MP6xxx): pool capacity for the warm pools and the burst, one replica per node, latency budget,
 *   replicas, quotas of real pods, runtimes on the right kind of pool;
 * - mesh (MP7010): Pod Security levels that admit the injected containers;
 * - privacy and supply chain (MP7xxx): payload logging of pii models, log sinks, per-user metric
 *   labels, artifact prefixes and schemes, image digests, credentials, pool isolation;
 * - delivery (MP8xxx): emitted HTTPRoutes within the API server's CEL and schema limits; canary
 *   analysis that no regression of a step passes, within each tier's rollback objective.
 *
 * Pure and deterministic for a given `now`. `resolved` is the platform resolved
 * from `definitions`, which must be the definitions that passed the schema and
 * reference checks (`withoutErrors`): the gates judge the resolved platform and
 * use the definitions only to point at the field a user wrote.
 */
export function checkGates(resolved: ResolvedPlatform, definitions: Definitions, now: Date): Diagnostic[] {
  const platform = definitions.platform;
  if (!platform) return [];
  const context: GateContext = { platform, resolved, models: definitions.models, now };
  const found = new Findings();

  checkPlatformSecurity(context, found);
  checkTierMinimums(context, found);
  checkCapacity(context, found);
  checkBurst(context, found);
  checkQuotas(context, found);
  checkRuntimePools(context, found);
  checkMesh(context, found);
  checkWarmPools(context, found);
  checkAnalysisCoverage(resolved, found);
  for (const p of definitions.policies) checkPolicySecurity(p, found);
  for (const m of definitions.models) {
    checkReleaseGates(context, m, found);
    checkServing(context, m, found);
    checkModelSecurity(context, m, found);
    checkRoutes(context, m, found);
    checkRetiredDeployments(m, found);
  }
  for (const loaded of [platform, ...definitions.policies, ...definitions.models]) checkCredentials(loaded, found);
  return found.list;
}
