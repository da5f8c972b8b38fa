/**
 * A deterministic discrete-time (1 s) simulation of one version's autoscaler
 * against a demand curve: pods become ready `warmupSeconds` after they are
 * created; the autoscaler looks every `syncPeriodSeconds` at the demand of
 * `metricLagSeconds` ago, aims at `targetUtilization` of each replica's
 * capacity, may at most double (or add `scaleUpPods`) per period, and never
 * goes below `min` or above `max`. Scale-down is left out: its stabilization
 * window is longer than any simulated ramp.
 */
export interface AutoscalerModel {
  readonly min: number;
  readonly max: number;
  readonly maxRpsPerReplica: number;
  readonly warmupSeconds: number;
  readonly targetUtilization: number;
  readonly syncPeriodSeconds: number;
  readonly metricLagSeconds: number;
  readonly scaleUpPods: number;
}

export interface SimulationStep {
  readonly t: number;
  readonly demand: number;
  readonly ready: number;
  readonly desired: number;
  readonly capacity: number;
}

export interface SimulationResult {
  readonly steps: readonly SimulationStep[];
  /** Requests that arrived above ready capacity. */
  readonly unserved: number;
  readonly secondsOverCapacity: number;
  readonly peakReady: number;
}

export type Demand = (t: number) => number;

/** The declared ramp: `baselineRps` → `peakRps` linearly over `rampSeconds`, then held. */
export function rampDemand(peakRps: number, rampSeconds: number, baselineRps: number): Demand {
  return (t) => (t >= rampSeconds ? peakRps : baselineRps + ((peakRps - baselineRps) * t) / Math.max(rampSeconds, 1));
}

/** A spike: `baselineRps` until `atSecond`, then `peakRps` at once. */
export function spikeDemand(peakRps: number, baselineRps: number, atSecond = 60): Demand {
  return (t) => (t < atSecond ? baselineRps : peakRps);
}

export function simulate(model: AutoscalerModel, demand: Demand, durationSeconds: number): SimulationResult {
  const readyAt: number[] = Array.from({ length: Math.max(model.min, 0) }, () => 0);
  const steps: SimulationStep[] = [];
  let unserved = 0;
  let secondsOverCapacity = 0;
  let desired = readyAt.length;
  let peakReady = 0;
  for (let t = 0; t <= durationSeconds; t++) {
    if (t > 0 && t % model.syncPeriodSeconds === 0) {
      const observed = demand(Math.max(0, t - model.metricLagSeconds));
      const wanted = Math.ceil(observed / (model.maxRpsPerReplica * model.targetUtilization) - 1e-9);
      const limit = readyAt.length + Math.max(readyAt.length, model.scaleUpPods);
      desired = Math.min(Math.max(Math.min(wanted, limit), model.min), model.max);
      while (readyAt.length < desired) readyAt.push(t + model.warmupSeconds);
    }
    const ready = readyAt.filter((r) => r <= t).length;
    peakReady = Math.max(peakReady, ready);
    const capacity = ready * model.maxRpsPerReplica;
    const d = demand(t);
    if (d > capacity + 1e-9) {
      unserved += d - capacity;
      secondsOverCapacity++;
    }
    steps.push({ t, demand: d, ready, desired, capacity });
  }
  return { steps, unserved: Math.round(unserved), secondsOverCapacity, peakReady };
}

/**
 * The smallest warm pool (minimum replicas) that leaves no request unserved.
 * Unserved requests only fall as the pool grows, and a pool that covers the
 * highest demand from the start serves everything, so a binary search works.
 */
export function sufficientWarmPool(model: AutoscalerModel, demand: Demand, durationSeconds: number): number {
  let highest = 0;
  for (let t = 0; t <= durationSeconds; t++) highest = Math.max(highest, demand(t));
  let lo = Math.max(model.min, 1);
  let hi = Math.max(lo, Math.ceil(highest / model.maxRpsPerReplica - 1e-9));
  const ok = (min: number) => simulate({ ...model, min, max: Math.max(model.max, min) }, demand, durationSeconds).unserved === 0;
  if (ok(lo)) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
