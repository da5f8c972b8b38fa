// kwok and its fake nodes: one Node per declared node of each pool of the environment.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { moduleDir } from './build.js';
import type { ControlPlane } from './controlplane.js';
import type { KubeObject } from './kube.js';
import type { Pool } from './platform.js';
import { freePort, type Processes } from './proc.js';

const KWOK_ANNOTATION = 'kwok.x-k8s.io/node';
/** Label the suite puts on every fake node, so the report can map a pod's node to its pool. */
export const POOL_LABEL = 'modelplane-cluster.test/pool';

/** kwok's own stages (from its module): nodes become Ready, scheduled pods Running and Ready. */
function kwokConfig(): string {
  const dir = join(moduleDir('kwok', 'sigs.k8s.io/kwok'), 'kustomize', 'stage');
  const files = ['node/fast/node-initialize.yaml', 'node/heartbeat/node-heartbeat.yaml', 'pod/fast/pod-ready.yaml', 'pod/fast/pod-complete.yaml', 'pod/fast/pod-delete.yaml'];
  return files.map((f) => readFileSync(join(dir, f), 'utf8').trim()).join('\n---\n') + '\n';
}

export async function startKwok(dir: string, cp: ControlPlane, bin: Record<string, string>, procs: Processes): Promise<void> {
  const config = join(dir, 'kwok.yaml');
  writeFileSync(config, kwokConfig());
  procs.start('kwok', bin.kwok, [
    `--config=${config}`,
    `--kubeconfig=${cp.kubeconfig}`,
    `--manage-nodes-with-annotation-selector=${KWOK_ANNOTATION}=fake`,
    '--cidr=10.244.0.0/16',
    '--node-ip=10.0.0.1',
    `--server-address=127.0.0.1:${await freePort()}`,
  ]);
}

export function nodeObjects(pools: readonly Pool[], skip: Readonly<Record<string, number>> = {}): KubeObject[] {
  const nodes: KubeObject[] = [];
  for (const pool of pools) {
    const count = pool.nodes - (skip[pool.name] ?? 0);
    for (let i = 0; i < count; i++) {
      const name = `${pool.name}-${i}`;
      const capacity: Record<string, string> = {
        cpu: String(pool.cpuPerNode),
        memory: `${pool.memoryGiBPerNode}Gi`,
        pods: '110',
      };
      if (pool.gpu) capacity[pool.gpu.resourceName] = String(pool.gpu.perNode);
      nodes.push({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          annotations: { [KWOK_ANNOTATION]: 'fake' },
          labels: { ...pool.nodeSelector, [POOL_LABEL]: pool.name, 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
        },
        spec: { taints: pool.taints.map((t) => ({ key: t.key, ...(t.value === undefined ? {} : { value: t.value }), effect: t.effect })) },
        status: { capacity, allocatable: capacity },
      });
    }
  }
  return nodes;
}

/** Creates the nodes (status included: kwok keeps the declared capacity). */
export async function createNodes(cp: ControlPlane, nodes: readonly KubeObject[]): Promise<void> {
  for (const node of nodes) {
    await cp.kube.ok('POST', '/api/v1/nodes', node);
    // Node status is a subresource: set capacity there too, so it holds whatever create kept.
    await cp.kube.ok('PATCH', `/api/v1/nodes/${node.metadata.name}/status`, { status: node.status }, 'application/merge-patch+json');
  }
}
