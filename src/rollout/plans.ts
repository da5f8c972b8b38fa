import type { RolloutCommit } from '../git/git.js';
import type { ModelDefinition } from '../definitions/index.js';
import type { ResolvedModel, ResolvedPlatform } from '../resolve/index.js';
import type { DeploymentEdit } from '../source/index.js';
import { branchName, isoAfter, RolloutError, type Change } from './change.js';
import type { AnalysisRunStatus, Decision } from './decide.js';

/**
 * The change `release M VERSION --env E` makes: a canary of VERSION at step 0,
 * or a direct deployment where the policy has no steps. Pure; refuses what
 * cannot be released.
 */
export function releaseChange(
  platform: ResolvedPlatform,
  definitions: { readonly models: readonly { readonly value: ModelDefinition; readonly file: string }[] },
  o: { readonly model: string; readonly version: string; readonly env: string; readonly policy?: string; readonly now: Date },
): Change {
  const refuse = (message: string) => new RolloutError(message, 'refused');
  const env = platform.environments.find((e) => e.name === o.env);
  if (!env) throw refuse(`environment '${o.env}' does not exist: environments are ${platform.environments.map((e) => e.name).join(', ')}`);
  const loaded = definitions.models.find((m) => m.value.id === o.model);
  if (!loaded) throw refuse(`model '${o.model}' does not exist in models/`);
  if (!loaded.value.versions.some((v) => v.version === o.version))
    throw refuse(`${loaded.file}: version '${o.version}' is not in versions (${loaded.value.versions.map((v) => v.version).join(', ')}): add it in a pull request first`);
  const model = env.models.find((m) => m.id === o.model);
  if (!model) throw refuse(`${loaded.file}: deploy.${o.env} does not exist: add the environment's deployment first`);
  if (model.canary) throw refuse(`${o.model} already has a canary of ${model.canary.version} in ${o.env} (step ${model.canary.step}): promote or roll it back first`);
  if (model.stable === o.version) throw refuse(`${o.model} ${o.version} is already the stable version in ${o.env}`);

  const policy = platform.policies.find((p) => p.name === releasePolicy(o.policy, env.defaultPolicy));
  if (!policy) throw refuse(`no rollout policy for ${o.env}: pass --policy or set environments.${o.env}.defaultPolicy`);
  const index = loaded.value.versions.findIndex((v) => v.version === o.version);
  // The new state's gates see a direct deployment under the environment's default policy: the chosen policy's gate is checked here.
  if (policy.requireApproval && !loaded.value.versions[index].approval)
    throw refuse(`${loaded.file}: versions[${index}] (${o.version}) has no approval, but policy '${policy.name}' requires approval before it receives traffic: add approval { by, at } once the version is reviewed`);
  const direct = policy.steps.length === 0;
  const until = isoAfter(o.now, policy.keepPreviousForSeconds);
  return {
    model: o.model,
    env: o.env,
    modelFile: loaded.file,
    branch: branchName(o.env, o.model, 'release', o.version),
    title: direct
      ? `release ${o.model} ${o.version} to ${o.env} (direct, replaces ${model.stable})`
      : `release ${o.model} ${o.version} to ${o.env}: canary step 0 (${policy.steps[0].weight}%)`,
    body: direct
      ? `Deploys ${o.model} ${o.version} in ${o.env} with policy '${policy.name}' (no canary steps). ${model.stable} stays deployed without traffic until ${until}.`
      : `Starts a canary of ${o.model} ${o.version} in ${o.env} with policy '${policy.name}': steps ${policy.steps.map((s) => `${s.weight}%`).join(' → ')}. ${model.stable} stays stable and warm.`,
    trailers: { model: o.model, env: o.env, action: 'release', version: o.version, ...(direct ? {} : { step: 0 }) },
    edit: { kind: 'deployment', edit: direct ? { kind: 'deploy', version: o.version, previous: model.stable, until } : { kind: 'start-canary', version: o.version, policy: policy.name } },
  };
}

/** The change that carries out the promoter's decision for one model, or undefined when there is nothing to commit. Pure. */
export function promotionChange(platform: ResolvedPlatform, model: ResolvedModel, decision: Decision, now: Date, run?: AnalysisRunStatus): Change | undefined {
  const evidence = run
    ? `\n\nAnalysisRun ${run.name}: ${run.phase || 'Pending'}${run.message ? ` (${run.message})` : ''}\n${run.metrics.map((m) => `- ${m.name}: ${m.phase}${m.value !== undefined ? `, last value ${m.value}` : ''}${m.message ? ` (${m.message})` : ''}`).join('\n')}`
    : '';
  const canary = model.canary;
  const make = (action: string, version: string, edit: DeploymentEdit, title: string): Change => ({
    model: model.id,
    env: model.env,
    modelFile: model.file,
    edit: { kind: 'deployment', edit },
    branch: branchName(model.env, model.id, action, action === 'advance' && edit.kind === 'set-step' ? `${version}-step-${edit.step}` : version),
    title,
    body: `${decision.reason}.${evidence}`,
    trailers: { model: model.id, env: model.env, action, version, ...(edit.kind === 'set-step' ? { step: edit.step } : {}) },
  });
  switch (decision.action) {
    case 'advance':
      return make('advance', canary!.version, { kind: 'set-step', step: decision.toStep }, `advance ${model.id} ${canary!.version} in ${model.env} to step ${decision.toStep} (${decision.weight}%)`);
    case 'promote': {
      const until = isoAfter(now, keepPreviousSeconds(platform, canary!.policy));
      return make('promote', canary!.version, { kind: 'promote', version: canary!.version, previous: model.stable, until }, `promote ${model.id} ${canary!.version} to stable in ${model.env} (previous ${model.stable} kept warm until ${until})`);
    }
    case 'rollback':
      return make('abort', canary!.version, { kind: 'abort-canary' }, `roll back ${model.id} canary ${canary!.version} in ${model.env}: all traffic to ${model.stable}`);
    case 'expire-previous':
      return make('expire', model.previous!.version, { kind: 'expire-previous' }, `retire ${model.id} ${model.previous!.version} in ${model.env} (kept warm until ${model.previous!.until})`);
    default:
      return undefined;
  }
}

/** The policy a release uses: the one asked for (`--policy`), else the environment's default policy (resolved), if it has one. */
function releasePolicy(requested: string | undefined, defaultPolicy: string | undefined): string | undefined {
  return requested !== undefined ? requested : defaultPolicy;
}

/** How long a promoted canary's policy keeps the previous stable version warm (resolved from `keepPreviousFor`). */
function keepPreviousSeconds(platform: ResolvedPlatform, policyName: string): number {
  const policy = platform.policies.find((p) => p.name === policyName);
  // `decide` rolls back a canary whose policy is gone; it never promotes one.
  if (!policy) throw new Error(`bug: promoting a canary of policy '${policyName}', which the platform does not have`);
  return policy.keepPreviousForSeconds;
}

/**
 * The change `rollback M --env E` makes from modelplane's commits of M in E
 * (newest first): a revert of the latest rollout, its release and every
 * advance or promotion after it. Pure; refuses when there is nothing to roll back.
 */
export function rollbackChange(model: string, env: string, commits: readonly RolloutCommit[]): Change {
  const rollout = latestRollout(commits);
  if (!rollout) {
    const last = commits[0];
    throw new RolloutError(
      last && ['rollback', 'abort'].includes(last.action)
        ? `${model} in ${env} was already rolled back by ${last.sha.slice(0, 12)} (${last.subject}): nothing to roll back`
        : `no modelplane release of ${model} in ${env} found in the history of HEAD: nothing to roll back`,
      'refused',
    );
  }
  const release = rollout.at(-1)!;
  return {
    model,
    env,
    modelFile: `models/${model}.ts`,
    branch: branchName(env, model, 'rollback', release.version),
    title: `Revert "${release.subject}"`,
    body: `Rolls back ${model} in ${env} to its state before ${release.sha.slice(0, 12)}.\n\nThis reverts commits ${rollout.map((c) => c.sha).join(', ')}.`,
    trailers: { model, env, action: 'rollback', version: release.version },
    edit: { kind: 'revert', commits: rollout.map((c) => c.sha) },
  };
}

/** The newest rollout: commits back to and including the latest release, unless a rollback came after it. */
function latestRollout(commits: readonly RolloutCommit[]): RolloutCommit[] | undefined {
  const out: RolloutCommit[] = [];
  for (const c of commits) {
    if (c.action === 'rollback' || c.action === 'abort') return undefined;
    out.push(c);
    if (c.action === 'release') return out;
  }
  return undefined;
}
