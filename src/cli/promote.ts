import { readFile } from 'node:fs/promises';
import { decide, parseAnalysisRuns, type AnalysisRunStatus, type Decision } from '../delivery/decide.js';
import { durationSeconds } from '../delivery/analysis.js';
import type { DeploymentEdit } from '../delivery/edit-model.js';
import { hasErrors } from '../diagnostics/index.js';
import { git, lastChanged } from '../git/git.js';
import { names, type ResolvedModel } from '../resolve/index.js';
import { branchName, deliverChange, editFile, requireCleanRepository, type Delivery } from './change.js';
import { compile } from './compile.js';
import { ExitCode, printDiagnostics, UserFacingError, type Output } from './output.js';

export interface PromoteOptions {
  readonly root: string;
  readonly env: string;
  readonly model?: string;
  readonly statusFile?: string;
  readonly delivery: Delivery;
  readonly now?: Date;
}

/** `modelplane promote --env E [--model M]`: read each canary step's AnalysisRun and commit the next state. */
export async function promoteCommand(o: PromoteOptions, output: Output): Promise<number> {
  await requireCleanRepository(o.root);
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

  const runs = await readStatuses(o, models);
  const now = o.now ?? new Date();
  const base = (await git(o.root, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
  let changed = 0;
  for (const model of models) {
    const policy = model.canary && platform.policies.find((p) => p.name === model.canary!.policy);
    const run = model.canary ? runs.get(names.analysisRunName(model.id, model.canary.version, model.canary.step)) : undefined;
    const decision = decide({ model, policy, run, stepCommittedAt: await lastChanged(o.root, model.file), now });
    output.out(`${model.id} (${o.env}): ${decision.action}: ${decision.reason}`);
    const change = changeFor(model, decision, policy ? durationSeconds(policy.keepPreviousFor) : 3600, now, run);
    if (!change) continue;
    if (changed > 0 && o.delivery.noPr) await git(o.root, ['checkout', '--quiet', base]);
    const { edit, ...rest } = change;
    await deliverChange(o.root, { ...rest, model: model.id, env: o.env, apply: editFile(model.file, o.env, edit) }, o.delivery, output);
    changed++;
  }
  if (models.length === 0) output.out(`promote: no canary in flight in ${o.env}${o.model ? ` for ${o.model}` : ''}`);
  return ExitCode.ok;
}

function changeFor(model: ResolvedModel, decision: Decision, keepSeconds: number, now: Date, run?: AnalysisRunStatus) {
  const evidence = run
    ? `\n\nAnalysisRun ${run.name}: ${run.phase || 'Pending'}${run.message ? ` (${run.message})` : ''}\n${run.metrics.map((m) => `- ${m.name}: ${m.phase}${m.value !== undefined ? `, last value ${m.value}` : ''}${m.message ? ` (${m.message})` : ''}`).join('\n')}`
    : '';
  const trailers = (action: string, version: string) => ({ model: model.id, env: model.env, action, version });
  const canary = model.canary;
  const until = new Date(now.getTime() + keepSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const make = (action: string, version: string, edit: DeploymentEdit, title: string) => ({
    edit,
    branch: branchName(model.env, model.id, action, action === 'advance' && edit.kind === 'set-step' ? `${version}-step-${edit.step}` : version),
    title,
    body: `${decision.reason}.${evidence}`,
    trailers: trailers(action, version),
  });
  switch (decision.action) {
    case 'advance':
      return make('advance', canary!.version, { kind: 'set-step', step: decision.toStep }, `advance ${model.id} ${canary!.version} in ${model.env} to step ${decision.toStep} (${decision.weight}%)`);
    case 'promote':
      return make('promote', canary!.version, { kind: 'promote', version: canary!.version, previous: model.stable, until }, `promote ${model.id} ${canary!.version} to stable in ${model.env} (previous ${model.stable} kept warm until ${until})`);
    case 'rollback':
      return make('abort', canary!.version, { kind: 'abort-canary' }, `roll back ${model.id} canary ${canary!.version} in ${model.env}: all traffic to ${model.stable}`);
    case 'expire-previous':
      return make('expire', model.previous!.version, { kind: 'expire-previous' }, `retire ${model.id} ${model.previous!.version} in ${model.env} (kept warm until ${model.previous!.until})`);
    default:
      return undefined;
  }
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
  const config = new k8s.KubeConfig();
  try {
    config.loadFromDefault();
  } catch (error) {
    throw new UserFacingError(`cannot load a kubeconfig: ${(error as Error).message}; pass --status-file instead`, ExitCode.external);
  }
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
