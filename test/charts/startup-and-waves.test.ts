/**
 * Issue 11, the parts of items 7 and 9 that depend on how long a model takes to
 * load, and the Argo CD order of autoscalers: every version's startup probe
 * allows its declared load, its Argo CD progress deadline covers that probe
 * (read by the generated health script, run in a real Lua VM), and no
 * autoscaler is applied before its InferenceService is healthy. Read back from
 * the YAML synth emits for the reference platform.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compile } from '../../src/cli/compile.js';
import { resolvePlatform } from '../../src/resolve/index.js';
import { asDefinitions, cloneReference } from '../support/definitions.js';
import { REPO_ROOT } from '../support/repo.js';
import { runHealthLua } from '../support/argocd-lua.js';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; spec?: any; data?: Record<string, string> };

const result = await compile(REPO_ROOT);
const platform = result.platform!;
const objects = (result.files ?? [])
  .filter((f) => f.path.startsWith('generated/') && f.path.endsWith('.yaml'))
  .map((f) => ({ path: f.path, env: f.path.split('/')[1], object: parse(f.content) as Obj }));
const ofKind = (kind: string) => objects.filter((o) => o.object.kind === kind);
const servers = platform.environments.flatMap((env) => env.models.flatMap((model) => model.servers.map((server) => ({ env: env.name, model, server }))));
const isvcOf = (env: string, name: string) => {
  const o = objects.find((x) => x.env === env && x.object.kind === 'InferenceService' && x.object.metadata.name === name);
  if (!o) throw new Error(`no InferenceService ${name} in ${env}`);
  return o.object;
};
const wave = (o: Obj) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
const DEADLINE = 'modelplane.io/progress-deadline-seconds';

/** The declared time a version's pod needs to load (the larger of warmup and cold load), read from its model file. */
async function declaredLoad() {
  const d = await cloneReference();
  const out = new Map<string, number>();
  for (const m of d.models) for (const v of m.value.versions) out.set(`${m.value.id}@${v.version}`, Math.max(v.profile.warmupSeconds, v.profile.coldLoadSeconds ?? 0));
  return out;
}

describe('the startup probe covers the declared load (item 7)', () => {
  it('allows every version at least its declared warmup or cold load, whichever is longer', async () => {
    const load = await declaredLoad();
    expect(servers.length).toBeGreaterThan(10);
    for (const { env, model, server } of servers) {
      const probe = isvcOf(env, server.name).spec.predictor.model.startupProbe;
      const budget = probe.failureThreshold * probe.periodSeconds + (probe.initialDelaySeconds ?? 0);
      expect(budget, `${env}/${server.name}`).toBeGreaterThanOrEqual(load.get(`${model.id}@${server.version}`)!);
    }
  });

  it('gives the LLM its declared 300 s cold load, with the same 1.5 × + 30 s margin as a warmup', async () => {
    const probe = isvcOf('prod', 'assistant-llm-v1-1-0').spec.predictor.model.startupProbe;
    expect((await declaredLoad()).get('assistant-llm@1.1.0')).toBe(300);
    expect(probe.failureThreshold * probe.periodSeconds).toBe(480);
  });

  it('widens the probe with a longer declared cold load instead of refusing it', async () => {
    const d = await cloneReference();
    const llm = d.models.find((m) => m.value.id === 'assistant-llm')!;
    for (const v of llm.value.versions) v.profile.coldLoadSeconds = 1200;
    const server = resolvePlatform(asDefinitions(d)).environments.find((e) => e.name === 'prod')!.models.find((m) => m.id === 'assistant-llm')!.servers[0];
    expect(server.probes.startup.failureThreshold * server.probes.startup.periodSeconds).toBeGreaterThanOrEqual(1.5 * 1200 + 30);
    expect(server.progressDeadlineSeconds).toBeGreaterThan(1.5 * 1200 + 30);
  });
});

describe('the Argo CD progress deadline of each InferenceService (item 9)', () => {
  it('is set on every InferenceService, beyond all its startup and readiness probes allow', () => {
    expect(ofKind('InferenceService').length).toBe(servers.length);
    for (const { env, server } of servers) {
      const isvc = isvcOf(env, server.name);
      const deadline = Number(isvc.metadata.annotations?.[DEADLINE]);
      const { startupProbe: s, readinessProbe: r } = isvc.spec.predictor.model;
      expect(deadline, `${env}/${server.name}`).toBeGreaterThan(s.failureThreshold * s.periodSeconds + r.failureThreshold * r.periodSeconds);
      // The platform's allowance before the container starts (argocd.progressDeadlineSeconds, 900 s) comes on top.
      expect(deadline - s.failureThreshold * s.periodSeconds - r.failureThreshold * r.periodSeconds, server.name).toBe(platform.argocd.defaultProgressDeadlineSeconds);
    }
  });

  it('keeps the LLM Progressing, not Degraded, while its probes still allow it to load', () => {
    const cm = objects.find((o) => o.path === 'generated/_argocd/configmap-argocd-cm.yaml')!.object;
    const script = cm.data!['resource.customizations.health.serving.kserve.io_InferenceService'];
    const isvc = isvcOf('prod', 'assistant-llm-v1-1-0');
    const deadline = Number(isvc.metadata.annotations?.[DEADLINE]);
    const notReadySince = new Date('2026-12-01T10:00:00Z');
    const at = (seconds: number) => new Date(notReadySince.getTime() + seconds * 1000);
    const live = {
      ...isvc,
      metadata: { ...isvc.metadata, creationTimestamp: '2026-12-01T10:00:00Z', generation: 1 },
      status: {
        observedGeneration: 1,
        conditions: [
          { type: 'PredictorReady', status: 'False', reason: 'MinimumReplicasUnavailable', lastTransitionTime: '2026-12-01T10:00:00Z' },
          { type: 'Ready', status: 'False', lastTransitionTime: '2026-12-01T10:00:00Z' },
        ],
      },
    };
    // Past the platform default (what every InferenceService got without the annotation), within its own deadline.
    expect(deadline).toBeGreaterThan(platform.argocd.defaultProgressDeadlineSeconds + 400);
    expect(runHealthLua(script, live, { openLibs: true, now: at(platform.argocd.defaultProgressDeadlineSeconds + 300) }).status).toBe('Progressing');
    const late = runHealthLua(script, live, { openLibs: true, now: at(deadline + 60) });
    expect(late.status).toBe('Degraded');
    expect(late.message).toContain(`(deadline ${deadline} s)`);
  });
});

describe('autoscalers wait for their InferenceService (Argo CD findings 3 and 6)', () => {
  it('puts every ScaledObject and HPA in a later wave than every InferenceService of its model, and before the route', () => {
    const autoscalers = [...ofKind('ScaledObject'), ...ofKind('HorizontalPodAutoscaler')];
    expect(ofKind('ScaledObject').length * ofKind('HorizontalPodAutoscaler').length).toBeGreaterThan(0);
    for (const a of autoscalers) {
      const dir = a.path.split('/').slice(0, 3).join('/');
      const isvcs = ofKind('InferenceService').filter((o) => o.path.startsWith(`${dir}/`));
      const routes = ofKind('HTTPRoute').filter((o) => o.path.startsWith(`${dir}/`));
      expect(isvcs.length, a.path).toBeGreaterThan(0);
      for (const i of isvcs) expect(wave(a.object), `${a.path} after ${i.path}`).toBeGreaterThan(wave(i.object));
      for (const r of routes) expect(wave(a.object), `${a.path} before ${r.path}`).toBeLessThan(wave(r.object));
    }
  });

  it('keeps the PodDisruptionBudgets with their InferenceService (Argo CD counts InsufficientPods as Healthy)', () => {
    for (const pdb of ofKind('PodDisruptionBudget')) expect(wave(pdb.object), pdb.path).toBe(0);
  });
});
