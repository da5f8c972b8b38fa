import { formatDiagnostic } from '../diagnostics/index.js';
import { names, type ResolvedPlatform } from '../resolve/index.js';
import { isRevert, makeChange, RolloutError, requireCleanRepository, type Change, type ChangeResult, type Delivery } from '../rollout/index.js';
import { refreshApplication } from './refresh.js';
import { compile } from './compile.js';
import { ExitCode, UserFacingError, type Output } from './output.js';

/** Runs a rollout step for the CLI: `RolloutError`s become exit codes and messages; diagnostics of a refused new state are printed. */
export async function rollout<T>(output: Output, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof RolloutError)) throw error;
    for (const d of error.diagnostics) output.err(formatDiagnostic(d));
    throw new UserFacingError(error.message, error.reason === 'refused' ? ExitCode.failed : ExitCode.external);
  }
}

/** `requireCleanRepository` for the CLI. */
export function requireClean(root: string, output: Output): Promise<void> {
  return rollout(output, () => requireCleanRepository(root));
}

/** After a change is published straight onto its branch: refresh the model's Argo CD Application with this kubeconfig. */
export interface RefreshTarget {
  readonly kubeconfig: string;
  readonly namespace: string;
}

/**
 * How a change is published: rollbacks and aborts (pre-approved reverts) use
 * the environment's `rollbackDelivery` (auto-merge, or a direct push), unless
 * the caller asked for more.
 */
export function deliveryFor(platform: ResolvedPlatform | undefined, change: Change, delivery: Delivery): Delivery {
  if (!isRevert(change.trailers.action)) return delivery;
  const mode = platform?.environments.find((e) => e.name === change.env)?.rollbackDelivery ?? 'pull-request';
  if (mode === 'push') return { ...delivery, direct: true };
  if (mode === 'auto-merge') return { ...delivery, autoMerge: true };
  return delivery;
}

/** Makes the change (the rollout transaction, with the CLI's compile) and prints what it became. */
export async function deliverChange(root: string, change: Change, delivery: Delivery, output: Output, refresh?: RefreshTarget): Promise<ChangeResult> {
  const result = await rollout(output, () => makeChange(root, change, delivery, { compile: (dir) => compile(dir, { render: false }), log: (line) => output.err(line), env: process.env }));
  if (result.kind === 'commit') output.out(`${change.title}${result.how ? `\n(${result.how})` : ''}\ncommitted ${result.sha.slice(0, 12)} on branch ${result.branch}`);
  else if (result.kind === 'pushed') {
    output.out(`${change.title}${result.how ? `\n(${result.how})` : ''}\npushed ${result.sha.slice(0, 12)} onto ${result.branch}`);
    if (refresh) {
      const application = names.modelApplicationName(change.model, change.env);
      await refreshApplication(refresh.kubeconfig, refresh.namespace, application);
      output.out(`asked Argo CD to refresh Application ${refresh.namespace}/${application}`);
    }
  } else output.out(`${change.title}\n${result.created ? 'opened' : 'updated'} pull request #${result.number} ${result.url} (branch ${result.branch}, ${result.files} files)`);
  return result;
}
