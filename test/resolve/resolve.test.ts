/**
 * resolvePlatform: defaults, sizing, roles and weights. Synthetic cases set
 * every input they depend on (tier, pool, traffic, profile) on a clone of the
 * reference definitions, so the expected numbers are computed by hand here.
 */
import { describe, expect, it } from 'vitest';
import { inferenceServiceManifest } from '../../src/charts/index.js';
import { formatPath } from '../../src/diagnostics/index.js';
import { resolvePlatform, type ResolvedModel, type ResolvedPlatform } from '../../src/resolve/index.js';
import { validateDefinitions } from '../../src/validate/index.js';
import { asDefinitions, cloneReference, modelOf, policyOf, referenceDefinitions, type MutableDefinitions } from '../support/definitions.js';

/** The moment approvals are compared with: after every approval in the reference models. */
const NOW = new Date('2026-11-01T00:00:00Z');

const reference = await referenceDefinitions();
const resolvedReference = resolvePlatform(reference);
const platformDefinition = reference.platform!.value;

function modelIn(platform: ResolvedPlatform, env: string, id: string): ResolvedModel {
  const model = platform.environments.find((e) => e.name === env)?.models.find((m) => m.id === id);
  if (!model) throw new Error(`${id} is not deployed in ${env}`);
  return model;
}

const every = (platform: ResolvedPlatform) => platform.environments.flatMap((env) => env.models.map((model) => ({ env: env.name, model })));
const definitionOf = (id: string) => reference.models.find((m) => m.value.id === id)!.value;

/**
 * fraud-detector with fixed sizing inputs: critical tier (minimum 1 in staging,
 * 3 in prod, headroom 1.5), both versions at `maxRpsPerReplica`, deployed on
 * cpu-general with `peakRps`, no explicit replicas.
 */
async function sized(options: { peakRps?: number; maxRpsPerReplica?: number; headroom?: number } = {}) {
  const d = await cloneReference();
  d.platform.value.tiers.critical = { ...d.platform.value.tiers.critical, minReplicas: { staging: 1, prod: 3 }, headroom: options.headroom ?? 1.5 };
  const model = modelOf(d, 'fraud-detector');
  model.tier = 'critical';
  for (const v of model.versions) v.profile.maxRpsPerReplica = options.maxRpsPerReplica ?? 600;
  const [stable, other] = model.versions.map((v) => v.version);
  for (const env of ['staging', 'prod']) {
    model.deploy[env] = { version: stable, pool: 'cpu-general', ...(options.peakRps === undefined ? {} : { traffic: { peakRps: options.peakRps } }) };
  }
  return { d, model, stable, other };
}

const resolve = (d: MutableDefinitions) => resolvePlatform(asDefinitions(d));

describe('resolvePlatform on the reference platform', () => {
  it('places every model and server in the namespace <team>-<env>', () => {
    for (const { env, model } of every(resolvedReference)) {
      const owner = definitionOf(model.id).owner;
      expect(model.namespace).toBe(`${owner}-${env}`);
      for (const server of model.servers) expect(server.namespace, server.name).toBe(`${owner}-${env}`);
    }
  });

  it('sends 100 % of the default route to the live versions of every model', () => {
    for (const { model } of every(resolvedReference)) {
      expect(model.servers.reduce((sum, s) => sum + s.weight, 0), model.id).toBe(100);
    }
  });

  it('names one server per live version, <model>-v<version with dashes>', () => {
    for (const { model } of every(resolvedReference)) {
      const versions = model.servers.map((s) => s.version);
      expect(new Set(versions).size).toBe(versions.length);
      for (const s of model.servers) expect(s.name).toBe(`${model.id}-v${s.version.replace(/\./g, '-')}`);
    }
  });

  it('requests GPUs on GPU pools and none on CPU pools', () => {
    for (const { env, model } of every(resolvedReference)) {
      const definition = definitionOf(model.id);
      const deployment = definition.deploy[env];
      const pool = platformDefinition.nodePools[deployment.pool];
      for (const server of model.servers) {
        if (pool.kind === 'cpu') {
          expect(server.resources.gpus, server.name).toBe(0);
          continue;
        }
        const memory = definition.versions.find((v) => v.version === server.version)!.profile.gpuMemoryGiB;
        const expected = deployment.resources?.gpus ?? (memory ? Math.ceil(memory / pool.gpu!.memoryGiB) : 1);
        expect(server.resources.gpus, server.name).toBe(expected);
        expect(server.resources.gpus, server.name).toBeGreaterThanOrEqual(1);
      }
    }
  });

  const criticalInProd = reference.models.filter((m) => m.value.tier === 'critical' && m.value.deploy.prod).map((m) => m.value.id);
  const criticalMinimum = platformDefinition.tiers.critical.minReplicas?.prod ?? platformDefinition.tiers.critical.minReplicas?.['*'] ?? 1;

  it('has critical models in prod to check', () => {
    expect(criticalInProd.length).toBeGreaterThan(0);
  });

  for (const id of criticalInProd) {
    it(`keeps every non-canary server of ${id} in prod at or above the critical tier minimum`, () => {
      for (const server of modelIn(resolvedReference, 'prod', id).servers.filter((s) => !s.roles.includes('canary'))) {
        expect(server.replicas.min, server.name).toBeGreaterThanOrEqual(criticalMinimum);
      }
    });
  }

  it('sizes the warm pool of every stable version from its peak traffic', () => {
    let checked = 0;
    for (const { env, model } of every(resolvedReference)) {
      const definition = definitionOf(model.id);
      const deployment = definition.deploy[env];
      if (deployment.replicas) continue;
      const tier = platformDefinition.tiers[definition.tier];
      const tierMinimum = tier.minReplicas?.[env] ?? tier.minReplicas?.['*'] ?? 1;
      const stable = model.servers.find((s) => s.roles.includes('stable'))!;
      const maxRps = definition.versions.find((v) => v.version === stable.version)!.profile.maxRpsPerReplica;
      const demand = deployment.traffic ? Math.ceil(Number(((deployment.traffic.peakRps * (tier.headroom ?? 1.3)) / maxRps).toFixed(9))) : 0;
      expect(stable.replicas.min, `${model.id} in ${env}`).toBe(Math.max(tierMinimum, demand));
      expect(stable.replicas.max).toBeGreaterThanOrEqual(2 * stable.replicas.min);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('uses explicit replicas as given', () => {
    for (const { env, model } of every(resolvedReference)) {
      const replicas = definitionOf(model.id).deploy[env].replicas;
      if (replicas) expect(model.servers.find((s) => s.roles.includes('stable'))!.replicas).toEqual(replicas);
    }
  });

  it('gives each tenant-pinned version that is not otherwise live a tenant server without default traffic', () => {
    let checked = 0;
    for (const { env, model } of every(resolvedReference)) {
      const deployment = definitionOf(model.id).deploy[env];
      for (const [tenant, version] of Object.entries(deployment.tenants ?? {})) {
        if (version === deployment.version || version === deployment.canary?.version) continue;
        const server = model.servers.find((s) => s.version === version);
        expect(server, `${model.id} ${tenant}`).toMatchObject({ roles: ['tenant'], weight: 0 });
        expect(model.tenants).toContainEqual({ tenant, version });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('resolvePlatform sizing', () => {
  const WARM_POOL: { env: string; peakRps?: number; maxRpsPerReplica: number; headroom: number; min: number; max: number; why: string }[] = [
    { env: 'prod', peakRps: 6000, maxRpsPerReplica: 600, headroom: 1.5, min: 15, max: 30, why: 'traffic above the tier minimum' },
    { env: 'prod', peakRps: 8000, maxRpsPerReplica: 700, headroom: 1.5, min: 18, max: 36, why: 'a fractional replica rounded up' },
    { env: 'prod', peakRps: 100, maxRpsPerReplica: 600, headroom: 1.5, min: 3, max: 6, why: 'the tier minimum above the traffic' },
    { env: 'prod', peakRps: undefined, maxRpsPerReplica: 600, headroom: 1.5, min: 3, max: 6, why: 'the tier minimum without a traffic estimate' },
    { env: 'prod', peakRps: 1000, maxRpsPerReplica: 500, headroom: 1.5, min: 3, max: 6, why: 'exactly the tier minimum' },
    { env: 'prod', peakRps: 1001, maxRpsPerReplica: 500, headroom: 1.5, min: 4, max: 8, why: 'just over the tier minimum' },
    { env: 'staging', peakRps: 200, maxRpsPerReplica: 600, headroom: 1.5, min: 1, max: 2, why: 'under one replica of traffic' },
    { env: 'staging', peakRps: 100, maxRpsPerReplica: 110, headroom: 1.1, min: 1, max: 2, why: 'exactly one replica (100 × 1.1 / 110 is 1.0000000000000002 in floating point)' },
    { env: 'staging', peakRps: 0, maxRpsPerReplica: 600, headroom: 1.5, min: 1, max: 2, why: 'no traffic' },
  ];

  for (const row of WARM_POOL) {
    it(`sizes the warm pool in ${row.env} at ${row.min} (max ${row.max}) for ${row.why}`, async () => {
      const { d } = await sized(row);
      const [server] = modelIn(resolve(d), row.env, 'fraud-detector').servers;
      expect(server.replicas).toEqual({ min: row.min, max: row.max });
    });
  }

  const GPUS: { pool: string; gpuMemoryGiB?: number; declared?: number; gpus: number }[] = [
    { pool: 'gpu-l4', gpuMemoryGiB: 8, gpus: 1 },
    { pool: 'gpu-l4', gpuMemoryGiB: 24, gpus: 1 },
    { pool: 'gpu-l4', gpuMemoryGiB: 24.5, gpus: 2 },
    { pool: 'gpu-l4', gpuMemoryGiB: 48, gpus: 2 },
    { pool: 'gpu-l4', gpuMemoryGiB: 49, gpus: 3 },
    { pool: 'gpu-a100-80', gpuMemoryGiB: 80, gpus: 1 },
    { pool: 'gpu-a100-80', gpuMemoryGiB: 140, gpus: 2 },
    { pool: 'gpu-l4', gpuMemoryGiB: undefined, gpus: 1 },
    { pool: 'gpu-l4', gpuMemoryGiB: 8, declared: 4, gpus: 4 },
  ];

  for (const row of GPUS) {
    const what = row.declared ? `${row.declared} declared GPUs` : row.gpuMemoryGiB ? `${row.gpuMemoryGiB} GiB` : 'no GPU memory';
    it(`requests ${row.gpus} nvidia.com/gpu for ${what} on ${row.pool}, equal in requests and limits`, async () => {
      const d = await cloneReference();
      d.platform.value.nodePools['gpu-l4'].gpu = { model: 'nvidia-l4', memoryGiB: 24, perNode: 4 };
      d.platform.value.nodePools['gpu-a100-80'].gpu = { model: 'nvidia-a100-80gb', memoryGiB: 80, perNode: 8 };
      const model = modelOf(d, 'intent-classifier');
      for (const v of model.versions) {
        v.profile = { ...v.profile, gpuMemoryGiB: row.gpuMemoryGiB };
        if (row.gpuMemoryGiB === undefined) delete v.profile.gpuMemoryGiB;
      }
      model.deploy.prod = { version: model.versions[0].version, pool: row.pool, ...(row.declared ? { resources: { gpus: row.declared } } : {}) };
      const platform = resolve(d);
      const resolved = modelIn(platform, 'prod', 'intent-classifier');
      const [server] = resolved.servers;
      expect(server.resources.gpus).toBe(row.gpus);
      const manifest = inferenceServiceManifest({ platform, model: resolved, server });
      const { requests, limits } = manifest.spec.predictor.model?.resources ?? {};
      expect(requests?.['nvidia.com/gpu']).toBe(String(row.gpus));
      expect(limits).toEqual(requests);
    });
  }

  // Explicit `deploy.<env>.replicas` are taken as given by resolve; the
  // protection is validation: MP6011 (src/validate/gates-warm-pool.ts), an
  // error on the critical tier, at deploy.prod.replicas.min when the minimum
  // is below the warm pool (here the tier minimum of 3; MP6008 only asks for 2).
  for (const traffic of [{ peakRps: 10 }, {}] as const) {
    const what = 'peakRps' in traffic ? 'with' : 'without';
    it(`never lets explicit replicas take a critical model in prod below the tier minimum, ${what} declared traffic`, async () => {
      const { d } = await sized(traffic);
      modelOf(d, 'fraud-detector').deploy.prod.replicas = { min: 2, max: 4 };
      const [server] = modelIn(resolve(d), 'prod', 'fraud-detector').servers;
      expect(server.replicas).toEqual({ min: 2, max: 4 });
      const diagnostics = validateDefinitions(asDefinitions(d), NOW);
      expect(diagnostics.map((x) => `${x.file} ${x.code} ${x.severity} ${formatPath(x.path)}`)).toEqual(['models/fraud-detector.ts MP6011 error deploy.prod.replicas.min']);
      expect(diagnostics[0].message).toContain('replicas.min to 3 or more');
      // At the tier minimum it is accepted.
      modelOf(d, 'fraud-detector').deploy.prod.replicas = { min: 3, max: 4 };
      expect(validateDefinitions(asDefinitions(d), NOW)).toEqual([]);
    });
  }
});

describe('resolvePlatform roles and weights', () => {
  const STEPS = [5, 25, 50, 75];
  const CANARY: { step: number; stable: number; canary: number; canaryMin: number }[] = [
    { step: 0, stable: 95, canary: 5, canaryMin: 4 }, // sized for the next step: 25 % of 15 replicas is 3.75
    { step: 1, stable: 75, canary: 25, canaryMin: 8 }, // 50 % of 15 is 7.5
    { step: 2, stable: 50, canary: 50, canaryMin: 12 }, // 75 % of 15 is 11.25
    { step: 3, stable: 25, canary: 75, canaryMin: 15 }, // after the last step comes 100 %
  ];

  async function withCanary(step: number, traffic: { peakRps?: number } = { peakRps: 6000 }) {
    const setup = await sized({ ...traffic, maxRpsPerReplica: 600 });
    policyOf(setup.d, 'progressive').steps = STEPS.map((weight) => ({ weight, pause: '10m' }));
    setup.model.deploy.prod = { ...setup.model.deploy.prod, canary: { version: setup.other, policy: 'progressive', step } };
    return setup;
  }

  for (const row of CANARY) {
    it(`splits ${row.stable}/${row.canary} at canary step ${row.step} and keeps the stable version's warm pool`, async () => {
      const { d, stable, other } = await withCanary(row.step);
      const model = modelIn(resolve(d), 'prod', 'fraud-detector');
      expect(model.canary).toEqual({ version: other, policy: 'progressive', step: row.step, weight: row.canary, analysisRun: `fraud-detector-v${other.replaceAll('.', '-')}-s${row.step}` });
      expect(model.servers.map((s) => ({ version: s.version, roles: s.roles, weight: s.weight }))).toEqual([
        { version: stable, roles: ['stable'], weight: row.stable },
        { version: other, roles: ['canary'], weight: row.canary },
      ]);
      expect(model.servers[0].replicas).toEqual({ min: 15, max: 30 });
      expect(model.servers[1].replicas.min).toBe(row.canaryMin);
    });
  }

  it('sizes a canary without a traffic estimate as a share of the stable minimum, at least 1', async () => {
    const mins = [];
    for (const step of [0, 3]) {
      const { d } = await withCanary(step, {});
      mins.push(modelIn(resolve(d), 'prod', 'fraud-detector').servers.map((s) => s.replicas.min));
    }
    expect(mins).toEqual([
      [3, 1], // 25 % of 3 is 0.75
      [3, 3], // 100 % of 3
    ]);
  });

  it('keeps the previous version warm without traffic', async () => {
    const { d, model, stable, other } = await sized({ peakRps: 6000 });
    model.deploy.prod = { ...model.deploy.prod, previous: { version: other, until: '2026-12-01T00:00:00Z' } };
    const resolved = modelIn(resolve(d), 'prod', 'fraud-detector');
    expect(resolved.servers.map((s) => ({ version: s.version, roles: s.roles, weight: s.weight, replicas: s.replicas }))).toEqual([
      { version: stable, roles: ['stable'], weight: 100, replicas: { min: 15, max: 30 } },
      { version: other, roles: ['previous'], weight: 0, replicas: { min: 15, max: 30 } },
    ]);
  });

  const TENANTS: { title: string; pins: (stable: string, other: string) => Record<string, string>; servers: (stable: string, other: string) => { version: string; roles: string[] }[] }[] = [
    {
      title: 'adds a tenant server for a version pinned by a tenant',
      pins: (_, other) => ({ 'tenant-a': other }),
      servers: (stable, other) => [
        { version: stable, roles: ['stable'] },
        { version: other, roles: ['tenant'] },
      ],
    },
    {
      title: 'adds one tenant server for a version pinned by two tenants',
      pins: (_, other) => ({ 'tenant-b': other, 'tenant-a': other }),
      servers: (stable, other) => [
        { version: stable, roles: ['stable'] },
        { version: other, roles: ['tenant'] },
      ],
    },
    {
      title: 'adds no server for a tenant pinned to the stable version',
      pins: (stable) => ({ 'tenant-a': stable }),
      servers: (stable) => [{ version: stable, roles: ['stable', 'tenant'] }],
    },
  ];

  for (const { title, pins, servers } of TENANTS) {
    it(title, async () => {
      const { d, model, stable, other } = await sized({ peakRps: 6000 });
      model.deploy.prod = { ...model.deploy.prod, tenants: pins(stable, other) };
      const resolved = modelIn(resolve(d), 'prod', 'fraud-detector');
      expect(resolved.servers.map((s) => ({ version: s.version, roles: s.roles }))).toEqual(servers(stable, other));
      expect(resolved.tenants.map((t) => t.tenant)).toEqual(Object.keys(pins(stable, other)).sort());
      const tenantOnly = resolved.servers.find((s) => s.roles.length === 1 && s.roles[0] === 'tenant');
      if (tenantOnly) {
        expect(tenantOnly.weight).toBe(0);
        expect(tenantOnly.replicas.min).toBe(3); // the tier minimum: no share of the default traffic
      }
    });
  }

  it('does not change the definitions it resolves', async () => {
    const { d } = await withCanary(1);
    const before = structuredClone(d);
    resolve(d);
    expect(d).toEqual(before);
  });
});
