import { hasErrors } from '../diagnostics/index.js';
import { releaseChange, type Delivery } from '../rollout/index.js';
import { deliverChange, requireClean, rollout } from './change.js';
import { compile } from './compile.js';
import { ExitCode, printDiagnostics, UserFacingError, type Output } from './output.js';

export interface ReleaseOptions {
  readonly root: string;
  readonly model: string;
  readonly version: string;
  readonly env: string;
  readonly policy?: string;
  readonly delivery: Delivery;
  readonly now?: Date;
}

/** `modelplane release M VERSION --env E`: start a canary of VERSION, or deploy it where the policy has no steps. */
export async function releaseCommand(o: ReleaseOptions, output: Output): Promise<number> {
  await requireClean(o.root, output);
  const current = await compile(o.root, { render: false });
  if (hasErrors(current.diagnostics) || !current.platform) {
    printDiagnostics(output, current.diagnostics);
    throw new UserFacingError('the definitions have errors; fix them before releasing', ExitCode.failed);
  }
  const platform = current.platform;
  const change = await rollout(output, async () => releaseChange(platform, current.definitions, { ...o, now: o.now ?? new Date() }));
  await deliverChange(o.root, change, o.delivery, output);
  return ExitCode.ok;
}
