// The only file of the suite that imports the compiler's source (src/): a refactor there touches only this file.
import { Node, type ObjectLiteralExpression } from 'ts-morph';
import { loadDefinitions } from '../../../src/load/index.js';
import { tierBudgets } from '../../../src/metrics/index.js';
import { editModelSource } from '../../../src/source/index.js';
import { defineArgument, member, objectValue, parseSource } from '../../../src/source/syntax.js';
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

/** One model with a canary, as the drill needs it. */
export interface DrillModel {
  readonly id: string;
  readonly env: string;
  /** Repository-relative definition file. */
  readonly file: string;
  readonly namespace: string;
  readonly application: string;
  readonly route: string;
  readonly tier: string;
  readonly tierPriority: number;
  readonly stable: string;
  readonly canary: { readonly version: string; readonly policy: string; readonly step: number; readonly weight: number; readonly analysisRun: string };
  readonly workloads: { readonly stable: string; readonly canary: string };
  /** Repository path of the model's generated objects. */
  readonly generatedPath: string;
  /** `plan`'s rollback budget for the canary's policy and the model's tier. */
  readonly budget?: {
    readonly detectionSevereSeconds?: number;
    readonly detectionMarginalSeconds?: number;
    readonly pathSeconds: number;
    readonly totalSeconds?: number;
    readonly objectiveSeconds: number;
    readonly stages: readonly { readonly stage: string; readonly seconds: number }[];
  };
}

export interface DrillView {
  readonly errors: readonly string[];
  readonly argocdNamespace: string;
  readonly targetRevision: string;
  readonly canaries: readonly DrillModel[];
}

/** The canaries in flight in the tree at `root`, with `plan`'s rollback budget for each. */
export async function readDrillView(root: string): Promise<DrillView> {
  const loaded = await loadDefinitions(root);
  const diagnostics = [...loaded.diagnostics, ...validateDefinitions(loaded.definitions, new Date())];
  const resolved = resolvePlatform(loaded.definitions);
  const budgets = tierBudgets(resolved);
  const path = resolved.rollbackPath;
  const canaries: DrillModel[] = [];
  for (const env of resolved.environments)
    for (const m of env.models) {
      if (!m.canary || !m.workloads.canary) continue;
      const b = budgets.find((x) => x.policy === m.canary!.policy && x.tier === m.tier.name);
      canaries.push({
        id: m.id,
        env: env.name,
        file: m.file,
        namespace: m.namespace,
        application: m.application,
        route: m.route,
        tier: m.tier.name,
        tierPriority: m.tier.priority,
        stable: m.stable,
        canary: { version: m.canary.version, policy: m.canary.policy, step: m.canary.step, weight: m.canary.weight, analysisRun: m.canary.analysisRun },
        workloads: { stable: m.workloads.stable, canary: m.workloads.canary },
        generatedPath: m.generatedPath,
        budget: b && {
          detectionSevereSeconds: b.detectionSevereSeconds,
          detectionMarginalSeconds: b.detectionMarginalSeconds,
          pathSeconds: b.pathSeconds,
          totalSeconds: b.totalSeconds,
          objectiveSeconds: b.objectiveSeconds,
          stages: [
            { stage: 'detection', seconds: b.detectionSevereSeconds ?? Number.POSITIVE_INFINITY },
            { stage: 'promoter', seconds: path.promoterReactionSeconds },
            { stage: 'check', seconds: path.checkSeconds },
            { stage: 'merge', seconds: path.mergeSeconds },
            { stage: 'refresh', seconds: path.refreshSeconds },
            { stage: 'sync', seconds: path.syncSeconds },
          ],
        },
      });
    }
  return {
    errors: diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`),
    argocdNamespace: resolved.argocdNamespace,
    targetRevision: resolved.targetRevision,
    canaries,
  };
}

/** Settings of one environment a drill points at the suite: its repository, cluster, Prometheus and rollback delivery. */
export interface SuiteSettings {
  readonly repoURL: string;
  readonly cluster: string;
  readonly prometheus: string;
  readonly rollbackDelivery: 'pull-request' | 'auto-merge' | 'push';
}

/**
 * The text of the file that calls `definePlatform` with `env` pointed at the suite (edited with the
 * compiler's own source editor, so comments and layout stay); throws naming the field it cannot edit.
 */
export function pointPlatformAt(text: string, env: string, s: SuiteSettings): string {
  const file = parseSource(text, 'platform.ts');
  const root = defineArgument(file, 'definePlatform');
  if (!root || !Node.isObjectLiteralExpression(root)) throw new Error('definePlatform(...) is not called with an object literal');
  const literal = (from: ObjectLiteralExpression, path: readonly string[]): ObjectLiteralExpression => {
    let current = from;
    for (const key of path) {
      const next = objectValue(member(current, key));
      if (!next) throw new Error(`${path.join('.')} is not written as an object literal in the platform file`);
      current = next;
    }
    return current;
  };
  const set = (where: ObjectLiteralExpression, name: string, value: string) => {
    const existing = member(where, name);
    if (existing && Node.isPropertyAssignment(existing)) existing.setInitializer(JSON.stringify(value));
    else {
      existing?.remove();
      where.addPropertyAssignment({ name, initializer: JSON.stringify(value) });
    }
  };
  set(root, 'repoURL', s.repoURL);
  const environment = literal(root, ['environments', env]);
  set(environment, 'cluster', s.cluster);
  set(environment, 'rollbackDelivery', s.rollbackDelivery);
  set(literal(root, ['metricSources', 'prometheus']), 'address', s.prometheus);
  return file.getFullText();
}

/** The model file's text without the canary of `env` (the drill's starting point: stable only). */
export function withoutCanary(text: string, env: string): string {
  return editModelSource(text, env, { kind: 'abort-canary' });
}
