/**
 * What the serving objects must carry for the real controllers (KServe, the
 * HPA, KEDA, Istio, Pod Security) to run them as intended: issue 11, items 1–7.
 * Everything synth emits for the reference platform, compiled in memory and
 * read back from its YAML, against the resolved platform it came from.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compile } from '../../src/cli/compile.js';
import { resolvePlatform, type ResolvedServer } from '../../src/resolve/index.js';
import { asDefinitions, cloneReference } from '../support/definitions.js';
import { REPO_ROOT } from '../support/repo.js';

// Read back from YAML: the tests walk into it freely.
type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any };

const result = await compile(REPO_ROOT);
const platform = result.platform!;
const objects = (result.files ?? [])
  .filter((f) => f.path.startsWith('generated/'))
  .map((f) => ({ path: f.path, env: f.path.split('/')[1], object: parse(f.content) as Obj }));
const ofKind = (kind: string) => objects.filter((o) => o.object.kind === kind);
const envOf = (name: string) => platform.environments.find((e) => e.name === name)!;
const servers = platform.environments.flatMap((env) => env.models.flatMap((model) => model.servers.map((server) => ({ env: env.name, model, server }))));
const find = (kind: string, env: string, name: string, namespace?: string) => {
  const o = objects.find((x) => x.env === env && x.object.kind === kind && x.object.metadata.name === name && (namespace === undefined || x.object.metadata.namespace === namespace));
  if (!o) throw new Error(`no ${kind} ${name} in ${env}`);
  return o.object;
};
const isvcOf = (env: string, server: ResolvedServer) => find('InferenceService', env, server.name);
const runtimeOf = (env: string, server: ResolvedServer) => find('ServingRuntime', env, server.runtime.name, server.namespace);
const cpuOf = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q));
const gibOf = (q: string) => (q.endsWith('Gi') ? Number(q.slice(0, -2)) : q.endsWith('Mi') ? Number(q.slice(0, -2)) / 1024 : Number(q) / 2 ** 30);

describe('1. runtimes start', () => {
  const runtimes = ofKind('ServingRuntime').map((o) => o.object);
  const byKind = (kind: string) => runtimes.filter((r) => r.metadata.labels?.['modelplane.io/runtime-kind'] === kind);

  it('starts TorchServe and Triton with their own executables, not the KServe Python flags', () => {
    for (const r of byKind('kserve-torchserve')) {
      const c = r.spec.containers[0];
      expect(c.args.slice(0, 2)).toEqual(['torchserve', '--start']);
      expect(c.args.join(' ')).not.toContain('--model_name');
      expect(c.env).toContainEqual({ name: 'TS_SERVICE_ENVELOPE', value: 'kserve' });
      expect(c.ports).toContainEqual({ name: 'metrics', containerPort: 8082, protocol: 'TCP' });
      // TorchServe's metrics API listens on 127.0.0.1 in `log` mode unless told otherwise: nothing to scrape.
      expect(c.env).toEqual(expect.arrayContaining([{ name: 'TS_METRICS_ADDRESS', value: 'http://0.0.0.0:8082' }, { name: 'TS_METRICS_MODE', value: 'prometheus' }]));
    }
    for (const r of byKind('triton')) {
      const c = r.spec.containers[0];
      expect(c.args[0]).toBe('tritonserver');
      expect(c.args).toEqual(expect.arrayContaining(['--model-store=/mnt/models', '--http-port=8080', '--metrics-port=8002']));
      expect(c.ports).toContainEqual({ name: 'metrics', containerPort: 8002, protocol: 'TCP' });
      expect(r.spec.protocolVersions).toEqual(['v2', 'grpc-v2']);
    }
    expect(byKind('kserve-torchserve').length * byKind('triton').length).toBeGreaterThan(0);
  });

  it('runs every runtime as a numeric non-root user', () => {
    for (const r of runtimes) {
      const sc = r.spec.containers[0].securityContext;
      expect(sc, r.metadata.name).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(Number.isInteger(sc.runAsUser) && sc.runAsUser > 0, r.metadata.name).toBe(true);
    }
  });

  it('gives the Hugging Face server a memory-backed /dev/shm and the tree servers a thread flag', () => {
    for (const r of byKind('kserve-huggingfaceserver')) {
      expect(r.spec.volumes).toContainEqual({ name: 'devshm', emptyDir: { medium: 'Memory', sizeLimit: expect.stringMatching(/Gi$/) } });
      expect(r.spec.containers[0].volumeMounts).toContainEqual({ name: 'devshm', mountPath: '/dev/shm' });
      expect(r.spec.containers[0].args).toContain('--tensor-parallel-size={{.Annotations.modelplaneTensorParallel}}');
    }
    for (const r of [...byKind('kserve-xgbserver'), ...byKind('kserve-lgbserver')]) expect(r.spec.containers[0].args).toContain('--nthread={{.Annotations.modelplaneThreads}}');
    expect(byKind('kserve-huggingfaceserver').length).toBeGreaterThan(0);
  });

  it('sets every annotation a runtime template reads on each InferenceService using it, with the version value', () => {
    for (const { env, server } of servers) {
      const isvc = isvcOf(env, server);
      const templates = [...JSON.stringify(runtimeOf(env, server).spec.containers).matchAll(/\{\{\.Annotations\.([A-Za-z0-9_]+)\}\}/g)].map((m) => m[1]);
      for (const key of templates) expect(isvc.metadata.annotations?.[key], `${server.name} ${key}`).toBeDefined();
      const limits = isvc.spec.predictor.model.resources.limits;
      if (templates.includes('modelplaneThreads')) expect(isvc.metadata.annotations!.modelplaneThreads, server.name).toBe(String(Math.max(1, Math.floor(cpuOf(limits.cpu)))));
      if (templates.includes('modelplaneTensorParallel')) expect(isvc.metadata.annotations!.modelplaneTensorParallel, server.name).toBe(String(Math.max(1, Number(limits['nvidia.com/gpu'] ?? 0))));
    }
  });

  it('probes and declares the protocol the runtime really serves', () => {
    for (const { env, model, server } of servers) {
      const m = isvcOf(env, server).spec.predictor.model;
      const protocols: string[] = runtimeOf(env, server).spec.protocolVersions;
      expect(protocols, server.name).toContain(m.protocolVersion);
      const ready = m.readinessProbe.httpGet.path;
      expect(ready, server.name).toBe(protocols.includes('v1') ? `/v1/models/${model.id}` : `/v2/models/${model.id}/ready`);
      expect(m.startupProbe.httpGet.path, server.name).toBe(ready);
    }
    expect(servers.some((s) => s.server.runtime.kind === 'triton')).toBe(true);
  });
});

describe('2. LLMs are reachable', () => {
  const generative = servers.filter((s) => s.model.taskType === 'llm').map((s) => s.model);

  it('routes the OpenAI-compatible paths of a generative model in every rule, under its own prefix', () => {
    expect(generative.length).toBeGreaterThan(0);
    for (const model of generative) {
      const route = find('HTTPRoute', model.env, model.route);
      for (const rule of route.spec.rules) {
        const paths = rule.matches.map((m: { path: { value: string } }) => m.path.value);
        for (const p of ['completions', 'chat/completions', 'models', `models/${model.id}`]) expect(paths, JSON.stringify(rule.backendRefs)).toContain(`/openai/${model.id}/v1/${p}`);
        expect(paths).toContain(`/v1/models/${model.id}:predict`);
      }
      // The server serves the API under the same prefix: KServe's KSERVE_OPENAI_ROUTE_PREFIX, templated from the model id.
      const runtime = runtimeOf(model.env, model.servers[0]);
      expect(runtime.spec.containers[0].env).toContainEqual({ name: 'KSERVE_OPENAI_ROUTE_PREFIX', value: '/openai/{{.Annotations.modelplaneModelId}}' });
      expect(isvcOf(model.env, model.servers[0]).metadata.annotations?.modelplaneModelId).toBe(model.id);
    }
  });

  it('gives models that do not generate text no OpenAI paths', () => {
    for (const route of ofKind('HTTPRoute')) {
      const model = envOf(route.env).models.find((m) => m.route === route.object.metadata.name && m.namespace === route.object.metadata.namespace)!;
      if (model.taskType === 'llm') continue;
      expect(JSON.stringify(route.object.spec), route.path).not.toContain('/openai/');
    }
  });
});

describe('3. quotas fit real pods', () => {
  it('gives every Istio sidecar explicit requests and limits, requests at most limits', () => {
    for (const { env, server } of servers) {
      const a = isvcOf(env, server).spec.predictor.annotations ?? {};
      expect(Object.keys(a).sort(), server.name).toEqual(['sidecar.istio.io/proxyCPU', 'sidecar.istio.io/proxyCPULimit', 'sidecar.istio.io/proxyMemory', 'sidecar.istio.io/proxyMemoryLimit']);
      expect(cpuOf(a['sidecar.istio.io/proxyCPU'])).toBeLessThanOrEqual(cpuOf(a['sidecar.istio.io/proxyCPULimit']));
      expect(gibOf(a['sidecar.istio.io/proxyMemory'])).toBeLessThanOrEqual(gibOf(a['sidecar.istio.io/proxyMemoryLimit']));
    }
  });

  it('sizes each namespace quota for max replicas plus surge of pods with every container: model, agent, sidecar', () => {
    const { agent } = platform.serving;
    for (const quota of ofKind('ResourceQuota')) {
      const hard = quota.object.spec.hard;
      const env = envOf(quota.env);
      const mine = servers.filter((s) => s.env === quota.env && s.server.namespace === quota.object.metadata.namespace);
      let limitsCpu = 0;
      let limitsMemory = 0;
      for (const { server } of mine) {
        const p = isvcOf(quota.env, server).spec.predictor;
        const sidecar = p.annotations ?? {};
        const pods = p.maxReplicas + Math.ceil(p.maxReplicas * 0.25);
        const perPod = cpuOf(p.model.resources.limits.cpu) + (p.logger ? agent.limits.cpu : 0) + cpuOf(sidecar['sidecar.istio.io/proxyCPULimit'] ?? '0');
        const perPodMemory = gibOf(p.model.resources.limits.memory) + (p.logger ? agent.limits.memoryGiB : 0) + gibOf(sidecar['sidecar.istio.io/proxyMemoryLimit'] ?? '0Gi');
        limitsCpu += pods * perPod;
        limitsMemory += pods * perPodMemory;
      }
      expect(cpuOf(hard['limits.cpu']), quota.path).toBeGreaterThanOrEqual(limitsCpu - 1e-6);
      expect(gibOf(hard['limits.memory']), quota.path).toBeGreaterThanOrEqual(limitsMemory - 1e-6);
      expect(cpuOf(hard['requests.cpu']), quota.path).toBeLessThanOrEqual(cpuOf(hard['limits.cpu']));
      expect(env.teams.some((t) => t.namespace === quota.object.metadata.namespace)).toBe(true);
    }
  });
});

describe('4. Pod Security and the mesh agree', () => {
  it('never enforces a level that rejects istio-init in an injected namespace without Istio CNI', () => {
    const { mesh } = platform.serving;
    for (const ns of ofKind('Namespace').filter((n) => n.object.metadata.labels?.['istio-injection'] === 'enabled')) {
      const enforce = ns.object.metadata.labels?.['pod-security.kubernetes.io/enforce'];
      if (!mesh.cni) expect(enforce, ns.path).toBe('privileged');
      else expect(['privileged', 'baseline'], ns.path).toContain(enforce);
    }
  });
});

describe('5. CPU autoscaling does what it says', () => {
  it('leaves no autoscaler to KServe: every InferenceService is autoscalerClass external, without autoScaling', () => {
    for (const isvc of ofKind('InferenceService')) {
      expect(isvc.object.metadata.annotations?.['serving.kserve.io/autoscalerClass'], isvc.path).toBe('external');
      expect(isvc.object.spec.predictor.autoScaling, isvc.path).toBeUndefined();
    }
  });

  it('gives every CPU version our own HPA on its predictor Deployment, with the behaviour simulate runs', () => {
    const cpu = servers.filter((s) => s.server.autoscaling.kind === 'hpa');
    expect(cpu.length).toBeGreaterThan(0);
    for (const { env, server } of cpu) {
      const hpa = find('HorizontalPodAutoscaler', env, server.autoscaling.hpaName, server.namespace);
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      // KServe's HPA reconciler owns <isvc>-predictor even under autoscalerClass external and deletes it.
      expect(hpa.metadata.name).not.toBe(server.predictorName);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: server.predictorName });
      expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([server.replicas.min, server.replicas.max]);
      expect(hpa.spec.behavior).toEqual(server.autoscaling.model.behavior);
      expect(hpa.spec.metrics[0].containerResource.target.averageUtilization / 100).toBe((server.autoscaling.model.metric as { targetUtilization: number }).targetUtilization);
    }
  });

  it('gives every GPU version a ScaledObject whose HPA behaviour is the one simulate runs', () => {
    for (const { env, server } of servers.filter((s) => s.server.autoscaling.kind === 'keda')) {
      const so = find('ScaledObject', env, server.predictorName, server.namespace);
      expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual(server.autoscaling.model.behavior);
      expect(Number(so.spec.triggers[0].metadata.threshold)).toBe((server.autoscaling.model.metric as { targetRps: number }).targetRps);
    }
  });
});

describe('6. versions are reachable only through the route', () => {
  it('labels every InferenceService cluster-local, so KServe creates no Ingress beside the HTTPRoute', () => {
    expect(ofKind('InferenceService').length).toBeGreaterThan(0);
    for (const isvc of ofKind('InferenceService')) expect(isvc.object.metadata.labels?.['networking.kserve.io/visibility'], isvc.path).toBe('cluster-local');
  });
});

describe('7. disruption and probes', () => {
  const pdbs = ofKind('PodDisruptionBudget');

  it('emits a PodDisruptionBudget for every live version with a warm pool of 2 or more, selecting its predictor pods', () => {
    for (const { env, server } of servers) {
      const pdb = pdbs.find((p) => p.env === env && p.object.metadata.namespace === server.namespace && p.object.metadata.name === server.predictorName);
      if (server.replicas.min < 2) {
        expect(pdb, server.name).toBeUndefined();
        continue;
      }
      expect(pdb?.object.spec, server.name).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'serving.kserve.io/inferenceservice': server.name, component: 'predictor' } } });
    }
    expect(pdbs.length).toBeGreaterThan(0);
  });

  it('spreads every version over nodes', () => {
    for (const isvc of ofKind('InferenceService')) {
      const spread = isvc.object.spec.predictor.topologySpreadConstraints;
      expect(spread.map((c: { topologyKey: string }) => c.topologyKey), isvc.path).toContain('kubernetes.io/hostname');
      for (const c of spread) expect(c.labelSelector.matchLabels['serving.kserve.io/inferenceservice'], isvc.path).toBe(isvc.object.metadata.name);
    }
  });

  it('checks liveness on the server, not the model, and gives a loaded GPU pod 3 minutes before a restart', () => {
    for (const { env, model, server } of servers) {
      const live = isvcOf(env, server).spec.predictor.model.livenessProbe;
      expect(live.httpGet.path, server.name).not.toContain(model.id);
      const silence = live.periodSeconds * live.failureThreshold;
      expect(silence, server.name).toBeGreaterThanOrEqual(model.pool.kind === 'gpu' ? 180 : 120);
    }
  });

  it('holds at least the warm pool in a KEDA fallback when Prometheus is unreachable', () => {
    const scaled = ofKind('ScaledObject');
    expect(scaled.length).toBeGreaterThan(0);
    for (const so of scaled) expect(so.object.spec.fallback, so.path).toEqual({ failureThreshold: 3, replicas: so.object.spec.minReplicaCount, behavior: 'currentReplicasIfHigher' });
  });
});


describe('4. Pod Security defaults follow the mesh', () => {
  const namespaceLabels = async (change: (d: Awaited<ReturnType<typeof cloneReference>>) => void) => {
    const d = await cloneReference();
    change(d);
    return resolvePlatform(asDefinitions(d)).environments[0].teams[0].namespaceLabels;
  };

  it('enforces privileged (warn and audit baseline) by default when Istio injects without CNI', async () => {
    const labels = await namespaceLabels((d) => {
      d.platform.value.mesh = { istio: true, cni: false };
      delete d.platform.value.podSecurity;
    });
    expect(labels).toMatchObject({ 'istio-injection': 'enabled', 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'baseline', 'pod-security.kubernetes.io/audit': 'baseline' });
  });

  it('enforces baseline by default with Istio CNI, and without Istio', async () => {
    for (const mesh of [{ istio: true, cni: true }, { istio: false }]) {
      const labels = await namespaceLabels((d) => {
        d.platform.value.mesh = mesh;
        delete d.platform.value.podSecurity;
      });
      expect(labels['pod-security.kubernetes.io/enforce'], JSON.stringify(mesh)).toBe('baseline');
    }
  });
});
