import type { ResolvedPlatform } from '../resolve/index.js';
import { rampDemand, simulate, sufficientWarmPool, warmPool } from '../resolve/index.js';
import type { Findings } from './gates-context.js';

/** Seconds simulated after the ramp: long enough for every pod started during it to be ready. */
export function simulationSeconds(rampSeconds: number, warmupSeconds: number): number {
  return Math.ceil(rampSeconds + 3 * warmupSeconds + 120);
}

/**
 * Warm pools (MP6010, MP6011). A declared `replicas.min` below the warm pool
 * derived from the traffic is a warning on most tiers and an error on strict
 * tiers; for models of strict tiers the declared ramp is simulated against
 * the emitted autoscaler settings, and any unserved request is an error that
 * names the warm pool that would suffice.
 */
export function checkWarmPools(resolved: ResolvedPlatform, found: Findings): void {
  for (const env of resolved.environments) {
    for (const model of env.models) {
      const stable = model.servers.find((s) => s.roles.includes('stable'));
      // A retired deployment serves no traffic: there is no warm pool to keep.
      if (!stable || model.retired) continue;
      const strict = model.tier.strict;
      if (!model.ramp) {
        if (stable.replicas.min < model.tier.minReplicas) {
          const message = `deploy.${env.name}.replicas.min ${stable.replicas.min} is below the ${model.tier.name} tier's minimum of ${model.tier.minReplicas} replicas in ${env.name}: set min to ${model.tier.minReplicas} or more`;
          found.add('MP6011', model.file, ['deploy', env.name, 'replicas', 'min'], message, { strict });
        }
        continue;
      }
      const derived = warmPool({ peakRps: model.ramp.peakRps, maxRpsPerReplica: stable.profile.maxRpsPerReplica, headroom: model.tier.headroom, tierMinimum: model.tier.minReplicas });
      const path = ['deploy', env.name, 'replicas', 'min'];
      if (stable.replicas.min < derived) {
        const message = `deploy.${env.name}.replicas.min ${stable.replicas.min} is below the warm pool ${derived} that ${model.ramp.peakRps} rps at peak needs (ceil(${model.ramp.peakRps} × headroom ${model.tier.headroom} / ${stable.profile.maxRpsPerReplica} rps per replica), at least the tier minimum ${model.tier.minReplicas}): set min to ${derived} or more`;
        found.add('MP6011', model.file, path, message, { strict });
      }
      if (!strict) continue;
      const demand = rampDemand(model.ramp.peakRps, model.ramp.rampSeconds, model.ramp.baselineRps);
      const seconds = simulationSeconds(model.ramp.rampSeconds, stable.profile.warmupSeconds);
      const result = simulate(stable.autoscaling.model, demand, seconds);
      if (result.unserved > 0) {
        const enough = sufficientWarmPool(stable.autoscaling.model, demand, seconds);
        found.add(
          'MP6010',
          model.file,
          path,
          `${model.id} ${stable.version} in ${env.name} leaves ${result.unserved} requests unserved over ${result.secondsOverCapacity} s of its declared ramp (${model.ramp.baselineRps} → ${model.ramp.peakRps} rps in ${model.ramp.rampSeconds} s, warmup ${stable.profile.warmupSeconds} s) with a warm pool of ${stable.replicas.min}: a warm pool of ${enough} would suffice (run \`npx modelplane simulate ${model.id} --env ${env.name}\`)`,
        );
      }
    }
  }
}
