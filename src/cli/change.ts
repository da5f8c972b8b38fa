import { formatDiagnostic } from '../diagnostics/index.js';
import { makeChange, RolloutError, requireCleanRepository, type Change, type ChangeResult, type Delivery } from '../rollout/index.js';
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

/** Makes the change (the rollout transaction, with the CLI's compile) and prints what it became. */
export async function deliverChange(root: string, change: Change, delivery: Delivery, output: Output): Promise<ChangeResult> {
  const result = await rollout(output, () => makeChange(root, change, delivery, { compile: (dir) => compile(dir, { render: false }), log: (line) => output.err(line) }));
  if (result.kind === 'commit') output.out(`${change.title}${result.how ? `\n(${result.how})` : ''}\ncommitted ${result.sha.slice(0, 12)} on branch ${result.branch}`);
  else output.out(`${change.title}\n${result.created ? 'opened' : 'updated'} pull request #${result.number} ${result.url} (branch ${result.branch}, ${result.files} files)`);
  return result;
}
