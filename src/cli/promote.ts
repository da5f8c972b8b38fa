import { readFile } from 'node:fs/promises';
import { hasErrors } from '../diagnostics/index.js';
import { currentBranch } from '../git/git.js';
import { names, type ResolvedModel } from '../resolve/index.js';
import { decide, parseAnalysisRuns, promotionChange, stepClock, type AnalysisRunStatus, type Delivery } from '../rollout/index.js';
import { deliverChange, deliveryFor, requireClean } from './change.js';
import { compile } from './compile.js';
import { loadKubeConfig } from './kube.js';
import { ExitCode, printDiagnostics, UserFacingError, type Output } from './output.js';

export interface PromoteOptions {
  readonly root: string;
  readonly env: string;
  readonly model?: string;
  readonly statusFile?: string;
  readonly delivery: Delivery;
  readonly now?: Date;
  /** AnalysisRuns already read (the watcher passes what the cluster reported). @default - read from --status-file or the cluster */
  readonly statuses?: ReadonlyMap<string, AnalysisRunStatus>;
  /** Kubeconfig of Argo CD's cluster: a rollback published straight onto the branch is followed by a refresh of the Application. */
  readonly refreshKubeconfig?: string;
}

/** `modelplane promote --env E [--model M]`: read each canary step's AnalysisRun and commit the next state. */
export async function promoteCommand(o: PromoteOptions, output: Output): Promise<number> {
  await requireClean(o.root, output);
  const current = await compile(o.root, { render: false });
  if (hasErrors(current.diagnostics) || !current.platform) {
    printDiagnostics(output, current.diagnostics);
    throw new UserFacingError('the definitions have errors; fix them before promoting', ExitCode.failed);
  }
  const platform = current.platform;
  const env = platform.environments.find((e) => e.name === o.env);
  if (!env) throw new UserFacingError(`environment '${o.env}' does not exist`, ExitCode.failed);
  const models = env.models.filter((m) => (!o.model || m.id === o.model) && (m.canary || m.previous));
  if (o.model && !env.models.some((m) => m.id === o.model)) throw new UserFacingError(`model '${o.model}' is not deployed in ${o.env}`, ExitCode.failed);

  const runs = o.statuses ?? (await readStatuses(o, models));
  const now = o.now ?? new Date();
  const base = await currentBranch(o.root);
  for (const model of models) {
    const policy = model.canary && platform.policies.find((p) => p.name === model.canary!.policy);
    const run = model.canary ? runs.get(names.analysisRunName(model.id, model.canary.version, model.canary.step)) : undefined;
    // The step's own commit matters when the run does not say when it started.
    const clock = run?.startedAt || run?.createdAt ? {} : await stepClock(o.root, model);
    if (clock.warning) output.err(`warning: ${model.id} (${o.env}): ${clock.warning}`);
    const decision = decide({ model, policy, run, stepCommittedAt: clock.at, now });
    output.out(`${model.id} (${o.env}): ${decision.action}: ${decision.reason}`);
    const change = promotionChange(platform, model, decision, now, run);
    // Local commits of several models each start from the branch promote ran on.
    const refresh = o.refreshKubeconfig ? { kubeconfig: o.refreshKubeconfig, namespace: platform.argocdNamespace } : undefined;
    if (change) await deliverChange(o.root, change, deliveryFor(platform, change, { ...o.delivery, from: base }), output, refresh);
  }
  if (models.length === 0) output.out(`promote: no canary in flight in ${o.env}${o.model ? ` for ${o.model}` : ''}`);
  return ExitCode.ok;
}

async function readStatuses(o: PromoteOptions, models: readonly ResolvedModel[]): Promise<Map<string, AnalysisRunStatus>> {
  let json: unknown;
  if (o.statusFile) {
    try {
      json = JSON.parse(await readFile(o.statusFile, 'utf8'));
    } catch (error) {
      throw new UserFacingError(`cannot read --status-file ${o.statusFile}: ${(error as Error).message}`, ExitCode.external);
    }
  } else {
    json = { items: await readFromCluster([...new Set(models.filter((m) => m.canary).map((m) => m.namespace))]) };
  }
  return new Map(parseAnalysisRuns(json).map((r) => [r.name, r]));
}

/** AnalysisRuns from the cluster of the current kubeconfig context (or in-cluster). */
async function readFromCluster(namespaces: readonly string[]): Promise<unknown[]> {
  if (namespaces.length === 0) return [];
  const k8s = await import('@kubernetes/client-node');
  const config = await loadKubeConfig();
  const api = config.makeApiClient(k8s.CustomObjectsApi);
  const items: unknown[] = [];
  for (const namespace of namespaces) {
    try {
      const list = (await api.listNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', namespace, plural: 'analysisruns' })) as { items?: unknown[] };
      items.push(...(list.items ?? []));
    } catch (error) {
      throw new UserFacingError(`cannot list AnalysisRuns in ${namespace}: ${(error as Error).message}`, ExitCode.external);
    }
  }
  return items;
}
