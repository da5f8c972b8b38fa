import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { editModelSource, EditError, type DeploymentEdit } from '../delivery/edit-model.js';
import { formatDiagnostic, hasErrors } from '../diagnostics/index.js';
import { branchExists, commitAll, ensureIdentity, git, isRepository, uncommitted, type RolloutTrailers } from '../git/git.js';
import type { ResolvedPlatform } from '../resolve/index.js';
import { writeGenerated } from '../synth/index.js';
import { compile } from './compile.js';
import { ExitCode, UserFacingError, type Output } from './output.js';

/** A change to one model's deployment in one environment, as a commit. */
export interface Change {
  readonly model: string;
  readonly modelFile: string;
  readonly env: string;
  readonly edit: DeploymentEdit;
  readonly branch: string;
  readonly title: string;
  readonly body: string;
  readonly trailers: RolloutTrailers;
}

/** `modelplane/<env>/<model>/<action>-<version>`: the same change always gets the same branch. */
export function branchName(env: string, model: string, action: string, version: string): string {
  return `modelplane/${env}/${model}/${action}-${version}`;
}

/** Fails unless `root` is a git work tree with nothing uncommitted. */
export async function requireCleanRepository(root: string): Promise<void> {
  if (!(await isRepository(root))) throw new UserFacingError(`${root} is not a git repository: release, promote and rollback commit their changes`, ExitCode.failed);
  const dirty = await uncommitted(root);
  if (dirty.length > 0)
    throw new UserFacingError(`the working tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', ...' : ''}): commit or stash them first`, ExitCode.failed);
  await ensureIdentity(root);
}

/**
 * Edits the model file, checks and compiles the result, and only then writes
 * generated/ and commits on a new local branch. Nothing is written when the
 * new state does not validate.
 */
export async function applyChange(root: string, change: Change, output: Output): Promise<{ platform: ResolvedPlatform; commit: string }> {
  if (await branchExists(root, change.branch))
    throw new UserFacingError(`branch ${change.branch} already exists: this change was already made; merge or delete that branch`, ExitCode.failed);
  const file = path.join(root, change.modelFile);
  const before = await readFile(file, 'utf8');
  let after: string;
  try {
    after = editModelSource(before, change.env, change.edit);
  } catch (error) {
    if (error instanceof EditError) throw new UserFacingError(`cannot edit ${change.modelFile}: ${error.message}`, ExitCode.failed);
    throw error;
  }
  await writeFile(file, after);
  const result = await compile(root);
  if (hasErrors(result.diagnostics) || !result.files || !result.platform) {
    await writeFile(file, before);
    for (const d of result.diagnostics) output.err(formatDiagnostic(d));
    throw new UserFacingError(`the new state of ${change.model} in ${change.env} does not validate; nothing was changed`, ExitCode.failed);
  }
  await writeGenerated(root, result.files);
  await git(root, ['checkout', '--quiet', '-b', change.branch]);
  const commit = await commitAll(root, change.title, change.body, change.trailers);
  return { platform: result.platform, commit };
}
