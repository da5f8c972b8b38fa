// What the controllers did: InferenceServices, pods per pool, references, HPAs, AnalysisRuns.
import type { Manifest } from './apply.js';
import type { ControlPlane } from './controlplane.js';
import { routeStatuses, type GatewayRef, type RouteStatus } from './gateway.js';
import type { KubeObject } from './kube.js';
import { selectors, materialise } from './metrics.js';
import { POOL_LABEL } from './nodes.js';
import type { Pool } from './platform.js';

export interface PoolPods {
  /** Warm pool: the minReplicas of the InferenceServices on the pool. */
  expected: number;
  total: number;
  ready: number;
  pending: number;
  /** Pods on a node of another pool than the one their nodeSelector names. */
  misplaced: number;
}

export interface Observation {
  inferenceServices: { total: number; ready: number; notReady: { namespace: string; name: string; reason: string }[] };
  pods: { total: number; ready: number; pending: number; byPool: Record<string, PoolPods>; pendingPods: { namespace: string; name: string; pool: string; reason: string }[] };
  /** Every reference that does not resolve to an object that exists. */
  unresolved: string[];
  /** Pods the API server refused to create for a ReplicaSet (admission: quota, PodSecurity, webhooks), in its words. */
  podsRefused: { replicaSet: string; message: string }[];
  hpas: { scaledObject: string; hpa?: string; behaviourMatches: boolean; detail?: string }[];
  /** Every applied HTTPRoute as the Gateway implementation (Contour) reported it. */
  routes: RouteStatus[];
}

const ready = (o: any, type = 'Ready') => o.status?.conditions?.some((c: any) => c.type === type && c.status === 'True') ?? false;
const nsName = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;

function poolOf(nodeSelector: Record<string, string> | undefined, pools: readonly Pool[]): string {
  if (!nodeSelector) return '(none)';
  const match = pools.find((p) => Object.entries(p.nodeSelector).every(([k, v]) => nodeSelector[k] === v));
  return match?.name ?? '(none)';
}

/** Pods of the applied namespaces that belong to InferenceServices. */
export async function observe(cp: ControlPlane, manifests: readonly Manifest[], pools: readonly Pool[], gateway: GatewayRef): Promise<Observation> {
  const k = cp.kube;
  const isvcs = await k.list('serving.kserve.io/v1beta1', 'InferenceService');
  const notReady = isvcs
    .filter((i) => !ready(i))
    .map((i: any) => {
      const c = (i.status?.conditions ?? []).filter((x: any) => x.status !== 'True').map((x: any) => `${x.type}=${x.status}${x.reason ? ` (${x.reason})` : ''}${x.message ? `: ${x.message}` : ''}`);
      return { namespace: i.metadata.namespace, name: i.metadata.name, reason: c.join('; ') || 'no status yet' };
    });

  const nodes = new Map((await k.list('v1', 'Node')).map((n) => [n.metadata.name, n.metadata.labels?.[POOL_LABEL] ?? '(unknown)']));
  const pods = (await k.list('v1', 'Pod', undefined, 'labelSelector=serving.kserve.io%2Finferenceservice')) as any[];
  const byPool: Record<string, PoolPods> = {};
  const pendingPods: Observation['pods']['pendingPods'] = [];
  let readyCount = 0;
  let pendingCount = 0;
  for (const pod of pods) {
    const intended = poolOf(pod.spec.nodeSelector, pools);
    const entry = (byPool[intended] ??= { expected: 0, total: 0, ready: 0, pending: 0, misplaced: 0 });
    entry.total++;
    if (pod.spec.nodeName && nodes.get(pod.spec.nodeName) !== intended) entry.misplaced++;
    if (ready(pod)) {
      entry.ready++;
      readyCount++;
    }
    if (pod.status?.phase === 'Pending') {
      entry.pending++;
      pendingCount++;
      const cond = pod.status?.conditions?.find((c: any) => c.type === 'PodScheduled' && c.status !== 'True');
      pendingPods.push({ namespace: pod.metadata.namespace, name: pod.metadata.name, pool: intended, reason: cond ? `${cond.reason}: ${cond.message}` : 'scheduled, not running yet' });
    }
  }

  for (const i of isvcs as any[]) {
    const pool = poolOf(i.spec?.predictor?.nodeSelector, pools);
    (byPool[pool] ??= { expected: 0, total: 0, ready: 0, pending: 0, misplaced: 0 }).expected += i.spec?.predictor?.minReplicas ?? 1;
  }
  const unresolved: string[] = [];
  const exists = async (apiVersion: string, kind: string, ns: string | undefined, name: string) => !!(await k.get(apiVersion, kind, ns, name));
  for (const i of isvcs) {
    for (const [apiVersion, kind] of [
      ['apps/v1', 'Deployment'],
      ['v1', 'Service'],
    ]) {
      if (!(await exists(apiVersion, kind, i.metadata.namespace, `${i.metadata.name}-predictor`))) unresolved.push(`InferenceService ${nsName(i)}: no ${kind} ${i.metadata.name}-predictor`);
    }
  }
  const podsByNs = new Map<string, any[]>();
  for (const p of pods) podsByNs.set(p.metadata.namespace, [...(podsByNs.get(p.metadata.namespace) ?? []), p]);
  const hpas: Observation['hpas'] = [];
  for (const { object: o } of manifests) {
    const spec = o.spec as any;
    const ns = o.metadata.namespace;
    if (o.kind === 'HTTPRoute') {
      for (const rule of spec?.rules ?? [])
        for (const ref of rule.backendRefs ?? []) {
          const kind = ref.kind ?? 'Service';
          if (kind !== 'Service') continue;
          const svc = (await k.get('v1', 'Service', ref.namespace ?? ns, ref.name)) as any;
          if (!svc) unresolved.push(`HTTPRoute ${nsName(o)}: backendRef Service ${ref.namespace ?? ns}/${ref.name} does not exist`);
          else if (ref.port !== undefined && !(svc.spec.ports ?? []).some((p: any) => p.port === ref.port))
            unresolved.push(`HTTPRoute ${nsName(o)}: backendRef Service ${ref.namespace ?? ns}/${ref.name} has no port ${ref.port} (ports: ${(svc.spec.ports ?? []).map((p: any) => p.port).join(', ')})`);
        }
    }
    if (o.kind === 'ScaledObject') {
      const t = spec.scaleTargetRef;
      if (!(await exists(t.apiVersion ?? 'apps/v1', t.kind ?? 'Deployment', ns, t.name))) unresolved.push(`ScaledObject ${nsName(o)}: scaleTargetRef ${t.kind ?? 'Deployment'} ${t.name} does not exist`);
      hpas.push(await compareHpa(cp, o));
    }
    if (o.kind === 'PodMonitor') {
      const sel = spec.selector?.matchLabels ?? {};
      const namespaces: string[] = spec.namespaceSelector?.matchNames ?? [ns];
      const matched = namespaces.flatMap((n) => podsByNs.get(n) ?? []).filter((p) => Object.entries(sel).every(([key, v]) => p.metadata.labels?.[key] === v));
      if (matched.length === 0) unresolved.push(`PodMonitor ${nsName(o)}: selector ${JSON.stringify(spec.selector)} matches no pod`);
      for (const ep of spec.podMetricsEndpoints ?? []) {
        // The Istio sidecar (and its envoy ports) is injected by Istio, which is not part of the suite.
        if (typeof ep.port === 'string' && ep.port.startsWith('http-envoy')) continue;
        if (typeof ep.port === 'string' && matched.length && !matched.some((p) => p.spec.containers.some((c: any) => (c.ports ?? []).some((x: any) => x.name === ep.port))))
          unresolved.push(`PodMonitor ${nsName(o)}: no selected pod has a container port named '${ep.port}'`);
      }
    }
    if (o.kind === 'AnalysisRun') {
      for (const m of spec.metrics ?? []) {
        const q = m.provider?.prometheus?.query;
        if (!q) continue;
        for (const s of selectors(q)) {
          const get = (name: string) => s.labels.find((l) => l.name === name);
          const wns = get("destination_workload_namespace")?.value ?? get("namespace")?.value ?? ns ?? "";
          const workload = get('destination_workload');
          if (workload && !(await exists('apps/v1', 'Deployment', wns, workload.value)))
            unresolved.push(`AnalysisRun ${nsName(o)} metric ${m.name}: destination_workload="${workload.value}" is no Deployment in ${wns}`);
          const pod = get('pod');
          if (pod && pod.op === '=~') {
            const re = new RegExp(`^(?:${pod.value})$`);
            if (!(podsByNs.get(wns ?? "") ?? []).some((p) => re.test(p.metadata.name)))
              unresolved.push(`AnalysisRun ${nsName(o)} metric ${m.name}: pod=~"${pod.value}" matches no pod in ${wns} (e.g. ${materialise(pod.value)})`);
          }
        }
      }
    }
  }
  const podsRefused: Observation['podsRefused'] = [];
  for (const rs of (await k.list('apps/v1', 'ReplicaSet')) as any[]) {
    for (const c of rs.status?.conditions ?? []) if (c.type === 'ReplicaFailure' && c.status === 'True') podsRefused.push({ replicaSet: nsName(rs), message: c.message });
  }
  const statuses = await routeStatuses(cp, gateway);
  const routes = manifests
    .filter((m) => m.object.kind === 'HTTPRoute')
    .map(({ object: r }) => statuses.find((x) => x.namespace === r.metadata.namespace && x.name === r.metadata.name) ?? { namespace: r.metadata.namespace!, name: r.metadata.name, accepted: false, resolvedRefs: false, message: 'not in the cluster' });
  return {
    routes,
    podsRefused,
    inferenceServices: { total: isvcs.length, ready: isvcs.length - notReady.length, notReady },
    pods: { total: pods.length, ready: readyCount, pending: pendingCount, byPool, pendingPods },
    unresolved,
    hpas,
  };
}

/** The HPA KEDA made for a ScaledObject must carry the emitted replicas and behaviour (every emitted field). */
async function compareHpa(cp: ControlPlane, so: KubeObject): Promise<Observation['hpas'][number]> {
  const spec = so.spec as any;
  const name = `keda-hpa-${so.metadata.name}`;
  const hpa = (await cp.kube.get('autoscaling/v2', 'HorizontalPodAutoscaler', so.metadata.namespace, name)) as any;
  const id = nsName(so);
  if (!hpa) return { scaledObject: id, behaviourMatches: false, detail: `no HorizontalPodAutoscaler ${name}` };
  const want = spec.advanced?.horizontalPodAutoscalerConfig?.behavior;
  const diffs: string[] = [];
  const compare = (path: string, a: unknown, b: unknown) => {
    if (a === undefined) return;
    if (a !== null && typeof a === 'object') {
      if (Array.isArray(a)) {
        if (!Array.isArray(b) || b.length !== a.length) diffs.push(`${path}: emitted ${JSON.stringify(a)}, HPA has ${JSON.stringify(b)}`);
        else a.forEach((x, i) => compare(`${path}[${i}]`, x, b[i]));
      } else for (const [key, v] of Object.entries(a)) compare(`${path}.${key}`, v, (b as any)?.[key]);
    } else if (a !== b) diffs.push(`${path}: emitted ${JSON.stringify(a)}, HPA has ${JSON.stringify(b)}`);
  };
  compare('behavior', want, hpa.spec.behavior);
  if (spec.minReplicaCount !== undefined) compare('minReplicas', spec.minReplicaCount, hpa.spec.minReplicas);
  if (spec.maxReplicaCount !== undefined) compare('maxReplicas', spec.maxReplicaCount, hpa.spec.maxReplicas);
  return { scaledObject: id, hpa: name, behaviourMatches: diffs.length === 0, detail: diffs.join('; ') || undefined };
}
