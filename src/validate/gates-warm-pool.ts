import type { FieldPath, WarmPoolReason } from '../diagnostics/index.js';
import type { ResolvedEnvironment, ResolvedModel } from '../resolve/index.js';
import { rampDemand, simulate, sufficientWarmPool, warmPool } from '../resolve/index.js';
import type { Findings, GateContext } from './gates-context.js';

/** Seconds simulated after the ramp: long enough for every pod started during it to be ready. */
export function simulationSeconds(rampSeconds: number, warmupSeconds: number): number {
  return Math.ceil(rampSeconds + 3 * warmupSeconds + 120);
}

/** One reason the stable version's minimum replicas are too low, and the minimum it asks for. */
interface Shortfall {
  readonly code: WarmPoolCode;
  readonly needed: number;
  readonly why: WarmPoolReason;
}

type WarmPoolCode = 'MP6008' | 'MP6010' | 'MP6011';

/**
 * The code reported is that of the gravest reason found: requests dropped on
 * the declared ramp (MP6010), then the production floor of strict tiers
 * (MP6008), then the warm pool (MP6011, a warning off strict tiers).
 */
const PRECEDENCE: readonly WarmPoolCode[] = ['MP6010', 'MP6008', 'MP6011'];

/**
 * Minimum replicas of the stable version (MP6008, MP6010, MP6011), one
 * diagnostic per deployment with one number: the smallest `replicas.min` that
 * satisfies every rule, and the reasons. The rules:
 *
 * - MP6008: a model of a strict tier needs 2 minimum replicas in a production environment;
 * - MP6011: at least the warm pool the declared traffic needs (ceil(peak × headroom /
 *   rps per replica), at least the tier minimum): a warning, an error on strict tiers;
 * - MP6010: on strict tiers the declared ramp is simulated against the emitted
 *   autoscaler settings; any unserved request is an error.
 *
 * The number is the largest any rule asks for; the code is the gravest rule broken (`PRECEDENCE`).
 */
export function checkWarmPools(context: GateContext, found: Findings): void {
  const declared = new Map(context.models.map((m) => [m.file, m.value]));
  for (const env of context.resolved.environments) {
    for (const model of env.models) {
      const stable = model.servers.find((s) => s.roles.includes('stable'));
      // A retired deployment serves no traffic: there is no warm pool to keep.
      if (!stable || model.retired) continue;
      const shortfalls = shortfallsOf(env, model, stable);
      if (shortfalls.length === 0) continue;
      const needed = Math.max(...shortfalls.map((s) => s.needed));
      const gravest = [...shortfalls].sort((a, b) => PRECEDENCE.indexOf(a.code) - PRECEDENCE.indexOf(b.code))[0];
      const replicas = declared.get(model.file)?.deploy[env.name]?.replicas;
      const path: FieldPath = replicas ? ['deploy', env.name, 'replicas', 'min'] : ['deploy', env.name, 'replicas'];
      found.add(
        gravest.code,
        model.file,
        path,
        { model: model.id, version: stable.version, env: env.name, tier: model.tier.name, min: stable.replicas.min, max: stable.replicas.max, needed, declared: replicas !== undefined, reasons: shortfalls.map((s) => s.why) },
        { strict: model.tier.strict },
      );
    }
  }
}

function shortfallsOf(env: ResolvedEnvironment, model: ResolvedModel, stable: ResolvedModel['servers'][number]): Shortfall[] {
  const min = stable.replicas.min;
  const tier = model.tier;
  const out: Shortfall[] = [];
  if (tier.strict && env.production && min < 2)
    out.push({ code: 'MP6008', needed: 2, why: { kind: 'floor', tier: tier.name, env: env.name } });
  if (!model.ramp) {
    if (min < tier.minReplicas) out.push({ code: 'MP6011', needed: tier.minReplicas, why: { kind: 'tier', tier: tier.name, env: env.name, minimum: tier.minReplicas } });
    return out;
  }
  const derived = warmPool({ peakRps: model.ramp.peakRps, maxRpsPerReplica: stable.profile.maxRpsPerReplica, headroom: tier.headroom, tierMinimum: tier.minReplicas });
  if (min < derived)
    out.push({
      code: 'MP6011',
      needed: derived,
      why: { kind: 'peak', warmPool: derived, peakRps: model.ramp.peakRps, headroom: tier.headroom, rpsPerReplica: stable.profile.maxRpsPerReplica, tierMinimum: tier.minReplicas },
    });
  if (!tier.strict) return out;
  const demand = rampDemand(model.ramp.peakRps, model.ramp.rampSeconds, model.ramp.baselineRps);
  const seconds = simulationSeconds(model.ramp.rampSeconds, stable.profile.warmupSeconds);
  const result = simulate(stable.autoscaling.model, demand, seconds);
  if (result.unserved > 0) {
    const enough = sufficientWarmPool(stable.autoscaling.model, demand, seconds);
    out.push({
      code: 'MP6010',
      needed: enough,
      why: {
        kind: 'ramp',
        model: model.id,
        env: env.name,
        min,
        unserved: result.unserved,
        secondsOverCapacity: result.secondsOverCapacity,
        baselineRps: model.ramp.baselineRps,
        peakRps: model.ramp.peakRps,
        rampSeconds: model.ramp.rampSeconds,
        warmupSeconds: stable.profile.warmupSeconds,
        sufficient: enough,
      },
    });
  }
  return out;
}
