import { rolloutCommits } from '../git/git.js';
import { rollbackChange, type Delivery } from '../rollout/index.js';
import { deliverChange, requireClean, rollout } from './change.js';
import { ExitCode, type Output } from './output.js';

export interface RollbackOptions {
  readonly root: string;
  readonly model: string;
  readonly env: string;
  readonly delivery: Delivery;
}

/**
 * `modelplane rollback M --env E`: `git revert` of the latest rollout of M in E
 * (its release and every advance or promotion after it). When the revert does
 * not apply cleanly, the deployment as it was before the release is written
 * back and committed under a revert title instead.
 */
export async function rollbackCommand(o: RollbackOptions, output: Output): Promise<number> {
  await requireClean(o.root, output);
  const commits = await rolloutCommits(o.root, o.model, o.env);
  const change = await rollout(output, async () => rollbackChange(o.model, o.env, commits));
  await deliverChange(o.root, change, o.delivery, output);
  return ExitCode.ok;
}
