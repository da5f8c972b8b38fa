// CustomResourceDefinitions: ../shared/crds plus the upstream modules' own manifests from the Go module cache.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { moduleDir } from './build.js';
import { gatewayCrdSources } from './gateway.js';
import type { ControlPlane } from './controlplane.js';
import type { KubeObject } from './kube.js';
import { waitFor } from './proc.js';

export interface CrdSource {
  readonly file: string;
  readonly from: string;
}

/** The shared CRDs (KServe serving, Argo Rollouts analysis, HTTPRoute), found beside or above the repository. */
export function sharedCrdDir(root: string): string {
  const candidates = [process.env.MODELPLANE_SHARED_CRDS, resolve(root, '../shared/crds'), resolve(root, '../../shared/crds'), '/work/shared/crds'].filter(Boolean) as string[];
  const found = candidates.find((d) => existsSync(join(d, 'serving.kserve.io_inferenceservices.yaml')));
  if (!found) throw new Error(`shared CRDs not found (looked in ${candidates.join(', ')}); set MODELPLANE_SHARED_CRDS`);
  return found;
}

const yamls = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').map((f) => join(dir, f));

export function crdSources(sharedDir: string): CrdSource[] {
  const shared = yamls(sharedDir).map((file) => ({ file, from: 'shared/crds' }));
  const have = new Set(shared.map((s) => basename(s.file)));
  const kserve = join(moduleDir('kserve', 'github.com/kserve/kserve'), 'config', 'crd', 'full');
  const kserveRest = [kserve, join(kserve, 'localmodel'), join(kserve, 'llmisvc'), join(kserve, 'clusterstoragecontainer')]
    .flatMap(yamls)
    .filter((f) => !have.has(basename(f)) && !f.includes('conversion_webhook_patch'))
    .map((file) => ({ file, from: 'github.com/kserve/kserve config/crd/full' }));
  const rollouts = join(moduleDir('rollouts', 'github.com/argoproj/argo-rollouts'), 'manifests', 'crds');
  const rolloutsRest = ['rollout-crd.yaml', 'experiment-crd.yaml'].map((f) => ({ file: join(rollouts, f), from: 'github.com/argoproj/argo-rollouts manifests/crds' }));
  const keda = yamls(join(moduleDir('keda', 'github.com/kedacore/keda/v2'), 'config', 'crd', 'bases')).map((file) => ({ file, from: 'github.com/kedacore/keda/v2 config/crd/bases' }));
  const promDir = join(moduleDir('manifests', 'github.com/prometheus-operator/prometheus-operator'), 'example', 'prometheus-operator-crd');
  const prom = ['monitoring.coreos.com_podmonitors.yaml', 'monitoring.coreos.com_prometheusrules.yaml', 'monitoring.coreos.com_servicemonitors.yaml'].map((f) => ({
    file: join(promDir, f),
    from: 'github.com/prometheus-operator/prometheus-operator example/prometheus-operator-crd',
  }));
  const argocdDir = join(moduleDir('manifests', 'github.com/argoproj/argo-cd/v3'), 'manifests', 'crds');
  const argocd = ['application-crd.yaml', 'appproject-crd.yaml', 'applicationset-crd.yaml'].map((f) => ({ file: join(argocdDir, f), from: 'github.com/argoproj/argo-cd/v3 manifests/crds' }));
  return [...shared, ...kserveRest, ...rolloutsRest, ...keda, ...prom, ...argocd, ...gatewayCrdSources(have)];
}

/** Creates every CRD and waits until each is Established. */
export async function installCrds(cp: ControlPlane, sources: readonly CrdSource[]): Promise<string[]> {
  const names: string[] = [];
  for (const source of sources) {
    for (const doc of parseAllDocuments(readFileSync(source.file, 'utf8'))) {
      const crd = doc.toJS() as KubeObject | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      delete (crd as Record<string, unknown>).status;
      try {
        await cp.kube.apply(crd);
      } catch (error) {
        throw new Error(`CRD ${crd.metadata.name} from ${source.from} (${source.file}) was rejected: ${(error as Error).message}`);
      }
      names.push(crd.metadata.name);
    }
  }
  await waitFor(
    'CRDs to be Established',
    async () => {
      const items = await cp.kube.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
      const established = new Set(items.filter((c: any) => c.status?.conditions?.some((x: any) => x.type === 'Established' && x.status === 'True')).map((c) => c.metadata.name));
      return names.every((n) => established.has(n)) ? true : undefined;
    },
    120_000,
  );
  return names;
}
