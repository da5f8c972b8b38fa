import type { Diagnostic } from '../diagnostics/index.js';
import type { Definitions, Loaded } from '../load/index.js';
import { resolvePlatform } from '../resolve/resolve.js';
import { checkCapacity, checkServing, checkTierMinimums, resolvedModels } from './gates-capacity.js';
import { Findings, type GateContext } from './gates-context.js';
import { checkReleaseGates } from './gates-release.js';
import { checkWarmPools } from './gates-warm-pool.js';
import { checkCredentials, checkModelSecurity, checkPlatformSecurity, checkPolicySecurity } from './gates-security.js';
import { checkStructure } from './validate.js';

/**
 * The safety gates: what must hold before any traffic moves.
 *
 * - release (MP5xxx): approval, offline evaluation gates, evaluated artifact, training/serving skew;
 * - serving (MP6xxx): pool capacity for the warm pools, one replica per node, latency budget, replicas;
 * - privacy and supply chain (MP7xxx): payload logging of pii models, log sinks, per-user metric
 *   labels, artifact prefixes and schemes, image digests, credentials, pool isolation.
 *
 * Pure and deterministic for a given `now`. Gates only judge definitions that passed the schema and
 * reference checks: any other definition is left out here (its problems are reported by those
 * checks), so this never throws on bad input.
 */
export function checkGates(definitions: Definitions, now: Date = new Date()): Diagnostic[] {
  const valid = CHECKED.has(definitions) ? definitions : withoutErrors(definitions, checkStructure(definitions));
  const platform = valid.platform;
  if (!platform) return [];
  const context: GateContext = {
    platform,
    policies: new Map(valid.policies.map((p) => [p.value.name, p.value])),
    policyFiles: valid.policies,
    models: valid.models,
    now,
  };
  const found = new Findings();
  const resolved = resolvePlatform(valid);
  const byEnvAndFile = resolvedModels(resolved);

  checkPlatformSecurity(context, found);
  checkTierMinimums(context, found);
  checkCapacity(context, resolved, found);
  checkWarmPools(resolved, found);
  for (const p of valid.policies) checkPolicySecurity(p, found);
  for (const m of valid.models) {
    checkReleaseGates(context, m, found);
    checkServing(context, m, byEnvAndFile, found);
    checkModelSecurity(context, m, found);
  }
  for (const loaded of [platform, ...valid.policies, ...valid.models]) checkCredentials(loaded, found);
  return found.list;
}

/** Definitions `withoutErrors` returned: known to have passed the schema and reference checks. */
const CHECKED = new WeakSet<Definitions>();

/**
 * The definitions the gates may judge, given what the schema and reference
 * checks found: without the platform if it has an error (then nothing is
 * judged), without every policy and model that has one, and without models
 * whose canary policy was left out.
 */
export function withoutErrors(definitions: Definitions, found: readonly Diagnostic[]): Definitions {
  const failed = new Set(found.filter((d) => d.severity === 'error' && d.file !== undefined).map((d) => d.file));
  const ok = <T>(loaded: Loaded<T> | undefined): loaded is Loaded<T> => loaded !== undefined && !failed.has(loaded.file);
  const platform = ok(definitions.platform) ? definitions.platform : undefined;
  const policies = platform ? definitions.policies.filter(ok) : [];
  const names = new Set(policies.map((p) => p.value.name));
  const models = platform
    ? definitions.models.filter(ok).filter((m) => Object.values(m.value.deploy).every((d) => !d.canary || names.has(d.canary.policy)))
    : [];
  const result: Definitions = { platform, policies, models };
  CHECKED.add(result);
  return result;
}

