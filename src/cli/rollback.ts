import { rolloutCommits } from '../git/git.js';
import { rollbackChange, type Delivery } from '../rollout/index.js';
import { deliverChange, deliveryFor, requireClean, rollout } from './change.js';
import { compile } from './compile.js';
import { ExitCode, type Output } from './output.js';

export interface RollbackOptions {
  readonly root: string;
  readonly model: string;
  readonly env: string;
  readonly delivery: Delivery;
  /** Kubeconfig of Argo CD's cluster: a rollback published straight onto the branch is followed by a refresh of the Application. */
  readonly refreshKubeconfig?: string;
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
  // The environment's rollbackDelivery decides how the revert is published.
  const { platform } = await compile(o.root, { render: false });
  const refresh = o.refreshKubeconfig && platform ? { kubeconfig: o.refreshKubeconfig, namespace: platform.argocdNamespace } : undefined;
  await deliverChange(o.root, change, deliveryFor(platform, change, o.delivery), output, refresh);
  return ExitCode.ok;
}
