/**
 * A deterministic discrete-time (1 s) simulation of one version's autoscaler
 * against a demand curve, with the semantics of the Kubernetes HPA v2
 * controller that runs the emitted autoscaler (our own HorizontalPodAutoscaler
 * for CPU versions, the one KEDA creates from the ScaledObject for GPU versions):
 *
 * - every `syncPeriodSeconds` the controller reads the metric as it was
 *   `metricLagSeconds` ago;
 * - raw recommendation: for a per-replica request rate (KEDA, `AverageValue`),
 *   `ceil(rate / target)` unless `rate / (target × replicas)` is within the
 *   tolerance; for CPU utilisation (requests = limits, so a pod saturates at
 *   100 %), `ceil(ratio × ready pods)` with pods that are not ready yet counted
 *   at 0 % on a scale-up, exactly as the replica calculator does;
 * - stabilization: the highest recommendation of the scale-down window and
 *   the lowest of the scale-up window bound the change;
 * - rate limits: each policy's allowance from the replicas at the start of its
 *   period (scale events of the last `periodSeconds`), combined by `selectPolicy`;
 * - bounds: never below `min` (the warm pool) nor above `max`.
 *
 * New pods are ready `warmupSeconds` after they are created; a scale-down
 * removes pods that are not ready first, then the newest.
 */
export interface ScalingPolicy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

export interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly ScalingPolicy[];
}

/** `autoscaling/v2` HorizontalPodAutoscalerBehavior, as emitted. */
export interface ScalingBehavior {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

/** What the autoscaler measures. */
export type ScalingMetric =
  /** CPU utilisation of the model container against its request; a replica at `maxRpsPerReplica` is at 100 %. */
  | { readonly kind: 'cpu-utilization'; readonly targetUtilization: number }
  /** Request rate from Prometheus, averaged over the replicas (KEDA `metricType: AverageValue`). */
  | { readonly kind: 'rps-per-replica'; readonly targetRps: number };

export interface AutoscalerModel {
  readonly min: number;
  readonly max: number;
  readonly maxRpsPerReplica: number;
  readonly warmupSeconds: number;
  readonly metric: ScalingMetric;
  readonly syncPeriodSeconds: number;
  readonly metricLagSeconds: number;
  /** The controller's `--horizontal-pod-autoscaler-tolerance`. */
  readonly tolerance: number;
  readonly behavior: ScalingBehavior;
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

/** A spike: `baselineRps` until `atSecond`, then `peakRps` at once (until `untilSecond`, then `baselineRps` again). */
export function spikeDemand(peakRps: number, baselineRps: number, atSecond = 60, untilSecond = Infinity): Demand {
  return (t) => (t < atSecond || t >= untilSecond ? baselineRps : peakRps);
}

interface ScaleEvent {
  readonly t: number;
  readonly change: number;
}

const within = (ratio: number, tolerance: number) => Math.abs(1 - ratio) <= tolerance;

/** Replicas changed by the events of the last `periodSeconds` before `t`. */
function changedIn(events: readonly ScaleEvent[], t: number, periodSeconds: number): number {
  return events.filter((e) => e.t > t - periodSeconds).reduce((sum, e) => sum + e.change, 0);
}

/** `calculateScaleUpLimitWithScalingRules`. */
function scaleUpLimit(current: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[], rules: ScalingRules, t: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = current - changedIn(up, t, p.periodSeconds) + changedIn(down, t, p.periodSeconds);
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
}

/** `calculateScaleDownLimitWithBehaviors`. */
function scaleDownLimit(current: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[], rules: ScalingRules, t: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = current - changedIn(up, t, p.periodSeconds) + changedIn(down, t, p.periodSeconds);
    return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
}

/** The replica calculator's raw recommendation, or undefined when it has no metric (no ready pod for CPU). */
function recommend(model: AutoscalerModel, observedRps: number, current: number, ready: number): number | undefined {
  const { metric, tolerance } = model;
  if (metric.kind === 'rps-per-replica') {
    const ratio = observedRps / (metric.targetRps * Math.max(current, 1));
    return within(ratio, tolerance) ? current : Math.ceil(observedRps / metric.targetRps - 1e-9);
  }
  if (ready === 0) return undefined;
  const utilization = Math.min(1, observedRps / (ready * model.maxRpsPerReplica));
  const ratio = utilization / metric.targetUtilization;
  const unready = current - ready;
  if (!(unready > 0 && ratio > 1)) return within(ratio, tolerance) ? current : Math.ceil(ratio * ready - 1e-9);
  const newRatio = (ratio * ready) / (ready + unready);
  if (within(newRatio, tolerance) || newRatio < 1) return current;
  const replicas = Math.ceil(newRatio * (ready + unready) - 1e-9);
  return replicas < current ? current : replicas;
}

export function simulate(model: AutoscalerModel, demand: Demand, durationSeconds: number): SimulationResult {
  /** Time each pod is (or becomes) ready. */
  let pods: number[] = Array.from({ length: Math.max(model.min, 0) }, () => 0);
  const recommendations: { t: number; replicas: number }[] = [];
  const upEvents: ScaleEvent[] = [];
  const downEvents: ScaleEvent[] = [];
  const { scaleUp, scaleDown } = model.behavior;
  const steps: SimulationStep[] = [];
  let unserved = 0;
  let secondsOverCapacity = 0;
  let peakReady = 0;
  for (let t = 0; t <= durationSeconds; t++) {
    if (t > 0 && t % model.syncPeriodSeconds === 0) {
      const current = pods.length;
      const ready = pods.filter((r) => r <= t).length;
      const raw = recommend(model, demand(Math.max(0, t - model.metricLagSeconds)), current, ready);
      if (raw !== undefined) {
        // stabilizeRecommendationWithBehaviors
        let upRecommendation = raw;
        let downRecommendation = raw;
        for (const r of recommendations) {
          if (r.t > t - scaleUp.stabilizationWindowSeconds) upRecommendation = Math.min(upRecommendation, r.replicas);
          if (r.t > t - scaleDown.stabilizationWindowSeconds) downRecommendation = Math.max(downRecommendation, r.replicas);
        }
        recommendations.push({ t, replicas: raw });
        let stabilized = current;
        if (stabilized < upRecommendation) stabilized = upRecommendation;
        if (stabilized > downRecommendation) stabilized = downRecommendation;
        // convertDesiredReplicasWithBehaviorRate
        let next = stabilized;
        if (stabilized > current) {
          const limit = Math.max(scaleUpLimit(current, upEvents, downEvents, scaleUp, t), current);
          next = Math.min(stabilized, Math.min(model.max, limit));
        } else if (stabilized < current) {
          const limit = Math.min(scaleDownLimit(current, upEvents, downEvents, scaleDown, t), current);
          next = Math.max(stabilized, Math.max(model.min, limit));
        }
        next = Math.min(Math.max(next, model.min), model.max);
        if (next > current) {
          upEvents.push({ t, change: next - current });
          for (let i = current; i < next; i++) pods.push(t + model.warmupSeconds);
        } else if (next < current) {
          downEvents.push({ t, change: current - next });
          // Not-ready pods go first, then the newest.
          pods = [...pods].sort((a, b) => a - b).slice(0, next);
        }
      }
    }
    const ready = pods.filter((r) => r <= t).length;
    peakReady = Math.max(peakReady, ready);
    const capacity = ready * model.maxRpsPerReplica;
    const d = demand(t);
    if (d > capacity + 1e-9) {
      unserved += d - capacity;
      secondsOverCapacity++;
    }
    steps.push({ t, demand: d, ready, desired: pods.length, capacity });
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
