import { compile } from './compile.js';
import { branchName, deliverChange, editFile, requireCleanRepository, type Delivery } from './change.js';
import { ExitCode, printDiagnostics, UserFacingError, type Output } from './output.js';
import { hasErrors } from '../diagnostics/index.js';
import { durationSeconds } from '../delivery/analysis.js';

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
  await requireCleanRepository(o.root);
  const current = await compile(o.root, { render: false });
  if (hasErrors(current.diagnostics) || !current.platform) {
    printDiagnostics(output, current.diagnostics);
    throw new UserFacingError('the definitions have errors; fix them before releasing', ExitCode.failed);
  }
  const env = current.platform.environments.find((e) => e.name === o.env);
  if (!env) throw new UserFacingError(`environment '${o.env}' does not exist: environments are ${current.platform.environments.map((e) => e.name).join(', ')}`, ExitCode.failed);
  const loaded = current.definitions.models.find((m) => m.value.id === o.model);
  if (!loaded) throw new UserFacingError(`model '${o.model}' does not exist in models/`, ExitCode.failed);
  if (!loaded.value.versions.some((v) => v.version === o.version))
    throw new UserFacingError(`${loaded.file}: version '${o.version}' is not in versions (${loaded.value.versions.map((v) => v.version).join(', ')}): add it in a pull request first`, ExitCode.failed);
  const model = env.models.find((m) => m.id === o.model);
  if (!model) throw new UserFacingError(`${loaded.file}: deploy.${o.env} does not exist: add the environment's deployment first`, ExitCode.failed);
  if (model.canary) throw new UserFacingError(`${o.model} already has a canary of ${model.canary.version} in ${o.env} (step ${model.canary.step}): promote or roll it back first`, ExitCode.failed);
  if (model.stable === o.version) throw new UserFacingError(`${o.model} ${o.version} is already the stable version in ${o.env}`, ExitCode.failed);

  const policyName = o.policy ?? env.defaultPolicy;
  const policy = current.platform.policies.find((p) => p.name === policyName);
  if (!policy) throw new UserFacingError(`no rollout policy for ${o.env}: pass --policy or set environments.${o.env}.defaultPolicy`, ExitCode.failed);
  const now = o.now ?? new Date();
  const direct = policy.steps.length === 0;
  const until = new Date(now.getTime() + durationSeconds(policy.keepPreviousFor) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const title = direct
    ? `release ${o.model} ${o.version} to ${o.env} (direct, replaces ${model.stable})`
    : `release ${o.model} ${o.version} to ${o.env}: canary step 0 (${policy.steps[0].weight}%)`;
  const body = direct
    ? `Deploys ${o.model} ${o.version} in ${o.env} with policy '${policy.name}' (no canary steps). ${model.stable} stays deployed without traffic until ${until}.`
    : `Starts a canary of ${o.model} ${o.version} in ${o.env} with policy '${policy.name}': steps ${policy.steps.map((s) => `${s.weight}%`).join(' → ')}. ${model.stable} stays stable and warm.`;
  await deliverChange(
    o.root,
    {
      model: o.model,
      env: o.env,
      apply: editFile(loaded.file, o.env, direct ? { kind: 'deploy', version: o.version, previous: model.stable, until } : { kind: 'start-canary', version: o.version, policy: policy.name }),
      branch: branchName(o.env, o.model, 'release', o.version),
      title,
      body,
      trailers: { model: o.model, env: o.env, action: 'release', version: o.version },
    },
    o.delivery,
    output,
  );
  return ExitCode.ok;
}
