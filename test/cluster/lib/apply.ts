// Server-side apply of generated/<env>/ in Argo CD's order: sync wave, then kind, then name.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ControlPlane } from './controlplane.js';
import type { KubeObject } from './kube.js';

export interface Manifest {
  readonly file: string;
  readonly object: KubeObject;
}

export interface Rejection {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly file: string;
  readonly message: string;
}

export interface Rewrite {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly field: string;
  readonly from: string;
  readonly to: string;
}

/** Argo CD applies kinds of one wave in this order (gitops-engine's kind order); other kinds come after, by name. */
const KIND_ORDER = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'SecretList',
  'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding',
  'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet',
  'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
];

export function readManifests(dir: string): Manifest[] {
  const out: Manifest[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (entry.endsWith('.yaml') || entry.endsWith('.yml')) out.push(...parseManifests(relative(dir, p), readFileSync(p, 'utf8')));
    }
  };
  walk(dir);
  return out;
}

export function parseManifests(file: string, text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => !!o && typeof o === 'object' && !!o.kind)
    .map((object) => ({ file, object }));
}

export const wave = (o: KubeObject) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0) || 0;

export function syncOrder(manifests: readonly Manifest[]): Manifest[] {
  const rank = (kind: string) => {
    const i = KIND_ORDER.indexOf(kind);
    return i < 0 ? KIND_ORDER.length : i;
  };
  return [...manifests].sort(
    (a, b) =>
      wave(a.object) - wave(b.object) ||
      rank(a.object.kind) - rank(b.object.kind) ||
      a.object.kind.localeCompare(b.object.kind) ||
      (a.object.metadata.namespace ?? '').localeCompare(b.object.metadata.namespace ?? '') ||
      a.object.metadata.name.localeCompare(b.object.metadata.name),
  );
}

/** In-cluster Service hostnames (`*.svc`, `*.svc.cluster.local`) do not resolve on this machine. */
const inCluster = (url: string) => {
  try {
    return /\.svc(\.cluster\.local)?$/.test(new URL(url).hostname);
  } catch {
    return false;
  }
};

/**
 * Points the Prometheus address of AnalysisRuns, AnalysisTemplates and KEDA prometheus triggers
 * at the suite's Prometheus when it is an in-cluster address. Nothing else is changed.
 */
export function rewritePrometheus(object: KubeObject, address: string, rewrites: Rewrite[]): KubeObject {
  const copy = structuredClone(object);
  const where = { kind: copy.kind, namespace: copy.metadata.namespace, name: copy.metadata.name };
  const spec = copy.spec as any;
  if ((copy.kind === 'AnalysisRun' || copy.kind === 'AnalysisTemplate' || copy.kind === 'ClusterAnalysisTemplate') && Array.isArray(spec?.metrics)) {
    spec.metrics.forEach((m: any, i: number) => {
      const p = m.provider?.prometheus;
      if (p?.address && inCluster(p.address)) {
        rewrites.push({ ...where, field: `spec.metrics[${i}].provider.prometheus.address`, from: p.address, to: address });
        p.address = address;
      }
    });
  }
  if (copy.kind === 'ScaledObject' && Array.isArray(spec?.triggers)) {
    spec.triggers.forEach((t: any, i: number) => {
      if (t.type === 'prometheus' && t.metadata?.serverAddress && inCluster(t.metadata.serverAddress)) {
        rewrites.push({ ...where, field: `spec.triggers[${i}].metadata.serverAddress`, from: t.metadata.serverAddress, to: address });
        t.metadata.serverAddress = address;
      }
    });
  }
  return copy;
}

export interface ApplyResult {
  readonly applied: Manifest[];
  readonly rejected: Rejection[];
}

/** Applies in sync order; a rejected object is recorded with the server's message and the rest still go in. */
export async function applyAll(cp: ControlPlane, manifests: readonly Manifest[]): Promise<ApplyResult> {
  const applied: Manifest[] = [];
  const rejected: Rejection[] = [];
  for (const m of syncOrder(manifests)) {
    try {
      await cp.kube.apply(m.object);
      applied.push(m);
    } catch (error) {
      const o = m.object;
      rejected.push({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, file: m.file, message: (error as Error).message });
    }
  }
  return { applied, rejected };
}
