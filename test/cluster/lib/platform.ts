// The only file of the suite that imports the compiler's source (src/): a refactor there touches only this file.
import { loadDefinitions } from '../../../src/load/index.js';
import { resolvePlatform } from '../../../src/resolve/index.js';
import { renderPlatform } from '../../../src/synth/index.js';
import { validateDefinitions } from '../../../src/validate/index.js';

export interface Pool {
  readonly name: string;
  readonly kind: 'gpu' | 'cpu';
  readonly nodes: number;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly taints: readonly { readonly key: string; readonly value?: string; readonly effect: string }[];
  readonly gpu?: { readonly perNode: number; readonly resourceName: string };
  readonly cpuPerNode: number;
  readonly memoryGiBPerNode: number;
}

export interface PlatformView {
  readonly environments: readonly string[];
  readonly pools: Readonly<Record<string, readonly Pool[]>>;
  /** The Gateway each environment's HTTPRoutes attach to (the platform provides it). */
  readonly gateways: Readonly<Record<string, { readonly name: string; readonly namespace: string }>>;
  /** Error diagnostics of load and validation, as `code: message`. */
  readonly errors: readonly string[];
  /** Files `synth` would write, rendered even when validation reports errors ("forced"). */
  readonly files: readonly { readonly path: string; readonly content: string }[];
}

/** Loads, validates and resolves the tree at `root`; renders it even when validation fails. */
export async function readPlatform(root: string): Promise<PlatformView> {
  const loaded = await loadDefinitions(root);
  const diagnostics = [...loaded.diagnostics, ...validateDefinitions(loaded.definitions, new Date())];
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
  const resolved = resolvePlatform(loaded.definitions);
  const pools: Record<string, Pool[]> = {};
  const gateways: Record<string, { name: string; namespace: string }> = {};
  for (const env of resolved.environments) {
    gateways[env.name] = { name: env.gateway.name, namespace: env.gateway.namespace };
    pools[env.name] = env.pools.map((p) => ({
      name: p.name,
      kind: p.kind,
      nodes: p.nodes,
      nodeSelector: p.nodeSelector,
      taints: p.taints,
      gpu: p.gpu ? { perNode: p.gpu.perNode, resourceName: p.gpu.resourceName } : undefined,
      cpuPerNode: p.cpuPerNode,
      memoryGiBPerNode: p.memoryGiBPerNode,
    }));
  }
  return { environments: resolved.environments.map((e) => e.name), pools, gateways, errors, files: renderPlatform(resolved) };
}
