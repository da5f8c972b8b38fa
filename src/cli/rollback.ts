import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Node, Project, SyntaxKind } from 'ts-morph';
import { git, GitError, rolloutCommits, type RolloutCommit } from '../git/git.js';
import { branchName, deliverChange, requireCleanRepository, type Delivery } from './change.js';
import { ExitCode, UserFacingError, type Output } from './output.js';

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
  await requireCleanRepository(o.root);
  const commits = await rolloutCommits(o.root, o.model, o.env);
  const rollout = latestRollout(commits);
  if (!rollout) {
    const last = commits[0];
    throw new UserFacingError(
      last && ['rollback', 'abort'].includes(last.action)
        ? `${o.model} in ${o.env} was already rolled back by ${last.sha.slice(0, 12)} (${last.subject}): nothing to roll back`
        : `no modelplane release of ${o.model} in ${o.env} found in the history of HEAD: nothing to roll back`,
      ExitCode.failed,
    );
  }
  const release = rollout.at(-1)!;
  await deliverChange(
    o.root,
    {
      model: o.model,
      env: o.env,
      branch: branchName(o.env, o.model, 'rollback', release.version),
      title: `Revert "${release.subject}"`,
      body: `Rolls back ${o.model} in ${o.env} to its state before ${release.sha.slice(0, 12)}.\n\nThis reverts commits ${rollout.map((c) => c.sha).join(', ')}.`,
      trailers: { model: o.model, env: o.env, action: 'rollback', version: release.version },
      apply: (dir) => revert(dir, o.model, o.env, rollout),
    },
    o.delivery,
    output,
  );
  return ExitCode.ok;
}

/** Reverts the rollout's commits in `dir` without committing; falls back to restoring `deploy.<env>`. */
async function revert(dir: string, model: string, env: string, rollout: readonly RolloutCommit[]): Promise<string> {
  try {
    await git(dir, ['revert', '--no-commit', ...rollout.map((c) => c.sha)]);
    return 'git revert';
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    await git(dir, ['revert', '--abort']).catch(() => undefined);
    await git(dir, ['reset', '--quiet', '--hard', 'HEAD']);
    await restoreDeployment(dir, model, env, rollout.at(-1)!.sha);
    return 'the revert did not apply cleanly: wrote the deployment as it was before the release';
  }
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

/** Writes `deploy.<env>` of the model file as it was before `releaseSha`. */
async function restoreDeployment(root: string, model: string, env: string, releaseSha: string): Promise<void> {
  const relative = `models/${model}.ts`;
  const before = await git(root, ['show', `${releaseSha}^:${relative}`]);
  const file = path.join(root, relative);
  const project = new Project({ useInMemoryFileSystem: true });
  const oldFile = project.createSourceFile('old.ts', before);
  const newFile = project.createSourceFile('new.ts', await readFile(file, 'utf8'));
  const find = (f: typeof oldFile) =>
    f
      .getDescendantsOfKind(SyntaxKind.PropertyAssignment)
      .find((p) => p.getName().replace(/['"]/g, '') === env && Node.isPropertyAssignment(p.getParentOrThrow().getParentOrThrow()) && p.getParentOrThrow().getParentOrThrow().getText().startsWith('deploy'));
  const oldEnv = find(oldFile);
  const newEnv = find(newFile);
  if (!oldEnv || !newEnv) throw new UserFacingError(`cannot restore deploy.${env} of ${relative}: not written as an object literal`, ExitCode.failed);
  newEnv.setInitializer(oldEnv.getInitializerOrThrow().getText());
  await writeFile(file, newFile.getFullText());
}
