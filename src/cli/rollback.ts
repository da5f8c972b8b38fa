import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Node, Project, SyntaxKind } from 'ts-morph';
import { hasErrors } from '../diagnostics/index.js';
import { branchExists, commit, git, GitError, rolloutCommits, trailerLines, type RolloutCommit } from '../git/git.js';
import { compareGenerated, hasDrift, writeGenerated } from '../synth/index.js';
import { branchName, requireCleanRepository } from './change.js';
import { compile } from './compile.js';
import { ExitCode, printDiagnostics, UserFacingError, type Output } from './output.js';
import { requirePullRequestMode } from './release.js';

export interface RollbackOptions {
  readonly root: string;
  readonly model: string;
  readonly env: string;
  readonly noPr: boolean;
}

/**
 * `modelplane rollback M --env E`: `git revert` of the latest rollout of M in E
 * (its release and every advance or promotion after it). When the revert does
 * not apply cleanly, the deployment as it was before the release is written
 * back and committed under a revert title instead.
 */
export async function rollbackCommand(o: RollbackOptions, output: Output): Promise<number> {
  requirePullRequestMode(o.noPr);
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
  const branch = branchName(o.env, o.model, 'rollback', release.version);
  if (await branchExists(o.root, branch)) throw new UserFacingError(`branch ${branch} already exists: merge or delete it`, ExitCode.failed);
  await git(o.root, ['checkout', '--quiet', '-b', branch]);

  const title = `Revert "${release.subject}"`;
  const body = `Rolls back ${o.model} in ${o.env} to its state before ${release.sha.slice(0, 12)}.\n\nThis reverts commits ${rollout.map((c) => c.sha).join(', ')}.`;
  const trailers = trailerLines({ model: o.model, env: o.env, action: 'rollback', version: release.version });
  let how = 'git revert';
  try {
    await git(o.root, ['revert', '--no-commit', ...rollout.map((c) => c.sha)]);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    await git(o.root, ['revert', '--abort']).catch(() => undefined);
    await git(o.root, ['reset', '--quiet', '--hard', 'HEAD']);
    await restoreDeployment(o.root, o.model, o.env, release.sha);
    how = 'the deployment as it was before the release (the revert did not apply cleanly)';
  }
  // The reverted generated/ must match the reverted definitions; later commits may have changed shared files.
  const result = await compile(o.root);
  if (hasErrors(result.diagnostics) || !result.files) {
    printDiagnostics(output, result.diagnostics);
    await git(o.root, ['reset', '--quiet', '--hard', 'HEAD']);
    throw new UserFacingError(`the rolled-back state of ${o.model} does not validate; nothing was committed (branch ${branch} is left at HEAD)`, ExitCode.failed);
  }
  if (hasDrift(await compareGenerated(o.root, result.files))) await writeGenerated(o.root, result.files);
  await git(o.root, ['add', '--all']);
  await commit(o.root, `${title}\n\n${body}\n\n${trailers}\n`);
  output.out(`rolled back ${o.model} in ${o.env} with ${how}\ncommitted on branch ${branch}`);
  return ExitCode.ok;
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
