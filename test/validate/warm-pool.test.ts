/**
 * The warm-pool gate (MP6010, MP6011) on the reference platform, and the
 * autoscaler simulation it runs (src/resolve/simulate.ts). Warm pools are
 * computed here from the definitions (max(tier minimum, ceil(peakRps ×
 * headroom / maxRpsPerReplica))), not taken from the code under test.
 */
import { describe, expect, it } from 'vitest';
import { formatPath, type Diagnostic } from '../../src/diagnostics/index.js';
import { rampDemand, resolvePlatform, simulate, spikeDemand, sufficientWarmPool, type AutoscalerModel, type Demand, type ScalingBehavior } from '../../src/resolve/index.js';
import { validateDefinitions } from '../../src/validate/index.js';
import { asDefinitions, cloneReference, modelOf, referenceDefinitions, type MutableDefinitions } from '../support/definitions.js';

/** The moment approvals are compared with: after every approval in the reference models. */
const NOW = new Date('2026-11-01T00:00:00Z');

const reference = await referenceDefinitions();
const platform = reference.platform!.value;
/** The reference platform declares every tier's minimum replicas in prod and headroom. */
const tierMinimumInProd = (tier: string) => platform.tiers[tier].minReplicas!.prod;
const resolvedProd = resolvePlatform(reference).environments.find((e) => e.name === 'prod')!;

/** `<file> <code> <severity> <path>` of each diagnostic, sorted. */
function summary(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.file} ${d.code} ${d.severity} ${formatPath(d.path)}`).sort();
}

/** The warm pool of a model's stable version in prod, from the definitions alone. */
function derivedWarmPool(id: string): { warm: number; max: number; file: string; peakRps: number; maxRpsPerReplica: number; tier: string } {
  const loaded = reference.models.find((m) => m.value.id === id)!;
  const model = loaded.value;
  const prod = model.deploy.prod;
  const tier = platform.tiers[model.tier];
  const version = model.versions.find((v) => v.version === prod.version)!;
  const peakRps = prod.traffic!.peakRps;
  const warm = Math.max(tierMinimumInProd(model.tier), Math.ceil((peakRps * tier.headroom!) / version.profile.maxRpsPerReplica - 1e-9));
  const resolved = resolvedProd.models.find((m) => m.id === id)!.servers.find((s) => s.roles.includes('stable'))!;
  return { warm, max: prod.replicas?.max ?? resolved.replicas.max, file: loaded.file, peakRps, maxRpsPerReplica: version.profile.maxRpsPerReplica, tier: model.tier };
}

const criticalWithTraffic = reference.models.filter((m) => m.value.tier === 'critical' && m.value.deploy.prod?.traffic).map((m) => m.value.id);
const standardWithTraffic = reference.models.filter((m) => m.value.tier === 'standard' && m.value.deploy.prod?.traffic).map((m) => m.value.id);

const withReplicas = async (id: string, replicas: { min: number; max: number }, change?: (d: MutableDefinitions) => void) => {
  const d = await cloneReference();
  modelOf(d, id).deploy.prod.replicas = replicas;
  change?.(d);
  return validateDefinitions(asDefinitions(d), NOW);
};

describe('warm-pool gate (MP6008, MP6010, MP6011)', () => {
  it('finds the critical models with traffic in prod that the cases below rely on', () => {
    expect(criticalWithTraffic.length).toBeGreaterThanOrEqual(3);
    expect(standardWithTraffic.length).toBeGreaterThanOrEqual(3);
    // The warm pools computed here are the ones resolve sizes the reference with.
    for (const id of [...criticalWithTraffic, ...standardWithTraffic]) {
      const resolved = resolvedProd.models.find((m) => m.id === id)!.servers.find((s) => s.roles.includes('stable'))!;
      if (reference.models.find((m) => m.value.id === id)!.value.deploy.prod.replicas) continue;
      expect(resolved.replicas.min, id).toBe(derivedWarmPool(id).warm);
    }
  });

  for (const id of criticalWithTraffic) {
    it(`rejects ${id} in prod with half its warm pool (MP6011 error naming the warm pool)`, async () => {
      const { warm, max, file } = derivedWarmPool(id);
      const min = Math.floor(warm / 2);
      expect(min).toBeLessThan(warm);
      const diagnostics = await withReplicas(id, { min, max });
      const atMin = diagnostics.filter((x) => x.file === file && formatPath(x.path) === 'deploy.prod.replicas.min');
      // One mistake, one diagnostic: the lowered minimum, with the one number that fixes it.
      expect(atMin).toEqual(diagnostics);
      expect(atMin).toHaveLength(1);
      const [only] = atMin;
      expect(only.severity).toBe('error');
      // MP6010 when the simulated ramp drops requests, else MP6008 below 2 in production, else MP6011.
      expect(['MP6008', 'MP6010', 'MP6011']).toContain(only.code);
      expect(only.message).toContain(`warm pool ${warm} `);
      expect(only.message).toContain(`needs ${warm}:`);
      expect(only.message).toContain(`replicas.min to ${warm} or more`);
      expect(only.message.includes('(MP6008)')).toBe(min < 2);
      // At the warm pool itself the model is accepted again.
      expect(await withReplicas(id, { min: warm, max: Math.max(max, warm) })).toEqual([]);
    });
  }

  for (const id of standardWithTraffic) {
    it(`warns, without failing, about standard-tier ${id} below its warm pool`, async () => {
      const { warm, max, file } = derivedWarmPool(id);
      if (warm <= tierMinimumInProd('standard')) return void expect(await withReplicas(id, { min: warm, max })).toEqual([]);
      const min = warm - 1;
      const diagnostics = await withReplicas(id, { min, max });
      expect(summary(diagnostics)).toEqual([`${file} MP6011 warning deploy.prod.replicas.min`]);
      expect(diagnostics[0].message).toContain(`warm pool ${warm} `);
    });
  }

  it('warns about a standard-tier model below its warm pool even with a steep ramp: MP6010 is for critical models', async () => {
    const { warm, max, file } = derivedWarmPool('eta-predictor');
    const diagnostics = await withReplicas('eta-predictor', { min: 2, max }, (d) => {
      modelOf(d, 'eta-predictor').deploy.prod.traffic = { peakRps: 1500, rampSeconds: 1 };
    });
    expect(warm).toBeGreaterThan(2);
    expect(summary(diagnostics)).toEqual([`${file} MP6011 warning deploy.prod.replicas.min`]);
  });

  it('rejects a critical model whose steep ramp outruns its warm pool (MP6010 names a pool that would suffice)', async () => {
    const id = 'fraud-detector';
    const { warm, max, file, peakRps, maxRpsPerReplica } = derivedWarmPool(id);
    const steep = (d: MutableDefinitions) => void (modelOf(d, id).deploy.prod.traffic = { peakRps, rampSeconds: 10 });
    // Capacity at the start of the ramp is below its peak.
    const min = Math.floor(peakRps / maxRpsPerReplica) - 2;
    expect(min * maxRpsPerReplica).toBeLessThan(peakRps);
    expect(min).toBeGreaterThanOrEqual(2);
    const diagnostics = await withReplicas(id, { min, max }, steep);
    // One diagnostic: the ramp drops requests (MP6010) and the minimum is below the warm pool (MP6011, in the message).
    expect(summary(diagnostics)).toEqual([`${file} MP6010 error deploy.prod.replicas.min`]);
    const mp6010 = diagnostics[0];
    expect(mp6010.message).toContain(`replicas.min to ${warm} or more`);
    expect(mp6010.message).toContain('would suffice');
    expect(mp6010.message).toContain(`in 10 s`);
    const enough = Number(/a warm pool of (\d+) would suffice/.exec(mp6010.message)?.[1]);
    expect(enough).toBeGreaterThan(min);
    expect(enough).toBeLessThanOrEqual(warm);
    // The pool it names serves the ramp; one less does not.
    expect((await withReplicas(id, { min: enough, max }, steep)).map((x) => x.code)).not.toContain('MP6010');
    expect((await withReplicas(id, { min: enough - 1, max }, steep)).map((x) => x.code)).toContain('MP6010');
  });

  it('checks explicit replicas of a critical model without declared traffic against the tier minimum', async () => {
    const d = await cloneReference();
    const prod = modelOf(d, 'credit-limit').deploy.prod;
    delete prod.traffic;
    prod.replicas = { min: tierMinimumInProd('critical') - 1, max: 6 };
    expect(summary(validateDefinitions(asDefinitions(d), NOW))).toEqual(['models/credit-limit.ts MP6011 error deploy.prod.replicas.min']);
    prod.replicas = { min: tierMinimumInProd('critical'), max: 6 };
    expect(validateDefinitions(asDefinitions(d), NOW)).toEqual([]);
  });
});

describe('simulate', () => {
  /** The emitted behaviour: up by the larger of 100 % and 4 pods per 15 s, down by 10 % a minute after a 300 s window. */
  const BEHAVIOR: ScalingBehavior = {
    scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }] },
    scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
  };
  const rps = (targetRps: number) => ({ kind: 'rps-per-replica' as const, targetRps });
  const cpu = (targetUtilization: number) => ({ kind: 'cpu-utilization' as const, targetUtilization });
  const BASE: AutoscalerModel = { min: 1, max: 20, maxRpsPerReplica: 100, warmupSeconds: 30, metric: rps(70), syncPeriodSeconds: 15, metricLagSeconds: 30, tolerance: 0.1, behavior: BEHAVIOR };
  const constant = (rps: number): Demand => () => rps;

  const TABLE: { title: string; model: Partial<AutoscalerModel>; demand: Demand; seconds: number; unserved: number | 'some'; secondsOverCapacity: number | 'some'; peakReady?: number }[] = [
    // The autoscaler still aims at 70 % utilization: ceil(1000 / 70) = 15 and ceil(800 / 70) = 12 ready at the end.
    { title: 'a warm pool covering the peak of a fast ramp serves everything', model: { min: 10 }, demand: rampDemand(1000, 5, 100), seconds: 300, unserved: 0, secondsOverCapacity: 0, peakReady: 15 },
    { title: 'a warm pool covering a spike serves everything', model: { min: 8 }, demand: spikeDemand(800, 100), seconds: 300, unserved: 0, secondsOverCapacity: 0, peakReady: 12 },
    { title: 'demand exactly at capacity is served', model: { min: 3, max: 3 }, demand: constant(300), seconds: 60, unserved: 0, secondsOverCapacity: 0, peakReady: 3 },
    { title: 'a warm pool of 1 on a fast ramp leaves requests unserved', model: { min: 1 }, demand: rampDemand(1000, 10, 100), seconds: 300, unserved: 'some', secondsOverCapacity: 'some' },
    { title: 'a warm pool of 1 on a spike leaves requests unserved', model: { min: 1 }, demand: spikeDemand(1000, 50), seconds: 300, unserved: 'some', secondsOverCapacity: 'some' },
    // Never scales (max 1): 50 rps over capacity in each of the 10 seconds 0..9.
    { title: 'one replica that may not scale drops the excess every second', model: { min: 1, max: 1 }, demand: constant(150), seconds: 9, unserved: 500, secondsOverCapacity: 10, peakReady: 1 },
    // At t=15 the autoscaler wants 3 (300 / 100), within 1 + max(1, 4); two pods are ready at t=20: 20 s × 200 rps unserved.
    {
      title: 'pods started at the first sync are ready after their warmup',
      model: { min: 1, max: 10, warmupSeconds: 5, metric: rps(100), metricLagSeconds: 0 },
      demand: constant(300),
      seconds: 30,
      unserved: 4000,
      secondsOverCapacity: 20,
      peakReady: 3,
    },
  ];

  for (const row of TABLE) {
    it(row.title, () => {
      const model = { ...BASE, ...row.model };
      const result = simulate(model, row.demand, row.seconds);
      expect(result.steps).toHaveLength(row.seconds + 1);
      if (row.unserved === 'some') expect(result.unserved).toBeGreaterThan(0);
      else expect(result.unserved).toBe(row.unserved);
      if (row.secondsOverCapacity === 'some') expect(result.secondsOverCapacity).toBeGreaterThan(0);
      else expect(result.secondsOverCapacity).toBe(row.secondsOverCapacity);
      if (row.peakReady !== undefined) expect(result.peakReady).toBe(row.peakReady);
      for (const step of result.steps) {
        expect(step.ready).toBeGreaterThanOrEqual(model.min);
        expect(step.ready).toBeLessThanOrEqual(model.max);
        expect(step.capacity).toBe(step.ready * model.maxRpsPerReplica);
      }
    });
  }

  const RAMPS: { title: string; model: Partial<AutoscalerModel>; demand: Demand; seconds: number }[] = [
    { title: 'a 10 s ramp to 1000 rps', model: {}, demand: rampDemand(1000, 10, 100), seconds: 300 },
    { title: 'a spike to 1500 rps', model: { max: 30 }, demand: spikeDemand(1500, 200), seconds: 300 },
    { title: 'a 60 s ramp to 6000 rps at 600 rps per replica, 12 s warmup', model: { max: 30, maxRpsPerReplica: 600, warmupSeconds: 12, metric: rps(420) }, demand: rampDemand(6000, 60, 1800), seconds: 300 },
  ];

  for (const row of RAMPS) {
    it(`finds the smallest sufficient warm pool for ${row.title}`, () => {
      const model = { ...BASE, ...row.model };
      const pool = sufficientWarmPool(model, row.demand, row.seconds);
      const at = (min: number) => simulate({ ...model, min, max: Math.max(model.max, min) }, row.demand, row.seconds);
      expect(pool).toBeGreaterThan(1);
      expect(at(pool).unserved).toBe(0);
      expect(at(pool - 1).unserved).toBeGreaterThan(0);
    });
  }

  // HPA v2 semantics of the emitted autoscalers (kube-controller-manager's replica calculator and behaviour).
  const desiredAt = (model: AutoscalerModel, demand: Demand, seconds: number) => simulate(model, demand, seconds).steps.map((s) => s.desired);

  it('scales on CPU only by the utilisation ratio, which saturates at 100 % of the request', () => {
    const model = { ...BASE, metric: cpu(0.7), warmupSeconds: 5, metricLagSeconds: 0 };
    // 1000 rps on one 100-rps replica: CPU at 100 %, ratio 1 / 0.7, ceil(1.43 × 1) = 2; the request rate would ask for 15 (capped at 1 + 4).
    expect(desiredAt(model, constant(1000), 15)[15]).toBe(2);
    expect(desiredAt({ ...model, metric: rps(70) }, constant(1000), 15)[15]).toBe(5);
  });

  it('counts pods that are not ready yet at 0 % on a CPU scale-up, so it waits for them', () => {
    const model = { ...BASE, metric: cpu(0.7), warmupSeconds: 60, metricLagSeconds: 0 };
    const desired = desiredAt(model, constant(1000), 90);
    // 2 pods from t = 15; at t = 30, 45 and 60 one ready pod at 143 % and one warming at 0 %: (1.43 × 1) / 2 < 1, no change.
    expect(desired.slice(15, 75)).toEqual(Array(60).fill(2));
    // At t = 75 both are ready and saturated: ceil(1.43 × 2) = 3.
    expect(desired[75]).toBe(3);
  });

  it('does not scale within the 10 % tolerance', () => {
    expect(desiredAt({ ...BASE, metric: rps(100), metricLagSeconds: 0 }, constant(109), 60).every((d) => d === 1)).toBe(true);
    expect(desiredAt({ ...BASE, metric: rps(100), metricLagSeconds: 0 }, constant(111), 15)[15]).toBe(2);
  });

  it('holds the replicas for the scale-down stabilization window, then removes at most 10 % a minute', () => {
    const model = { ...BASE, metric: rps(100), min: 2, max: 20, warmupSeconds: 0, metricLagSeconds: 0 };
    const desired = desiredAt(model, spikeDemand(1500, 100, 0, 60), 1200);
    expect(desired[59]).toBe(15);
    // The highest recommendation of the last 300 s is 15 until t = 345 (recommendations at t = 45 and earlier fall out at 345).
    expect(Math.min(...desired.slice(45, 345))).toBe(15);
    for (let t = 60; t + 60 <= 1200; t += 15) {
      const before = desired[t];
      const after = desired[t + 60];
      expect(before - after, `t = ${t}`).toBeLessThanOrEqual(Math.ceil(before * 0.1));
    }
    expect(desired[1200]).toBe(2);
  });

  it('is deterministic: the same inputs give the same result', () => {
    for (const row of [...TABLE, ...RAMPS]) {
      const model = { ...BASE, ...row.model };
      const first = simulate(model, row.demand, row.seconds);
      const second = simulate(model, row.demand, row.seconds);
      expect(second).toEqual(first);
      expect(sufficientWarmPool(model, row.demand, row.seconds)).toBe(sufficientWarmPool(model, row.demand, row.seconds));
    }
  });
});
