import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hasErrors } from '../diagnostics/index.js';
import * as g from '../git/git.js';
import { configFromEnv, GitHubError, makeClient, publishPullRequest, type ChangedFile, type ComputedChange } from '../github/index.js';
import { diffPlatforms, planMarkdown } from '../plan/index.js';
import type { ResolvedPlatform } from '../resolve/index.js';
import { editModelSource, EditError, restoreDeploymentSource } from '../source/index.js';
import { renderFiles, writeGenerated } from '../synth/index.js';
import { ownsPath, RolloutError, type Change, type ChangeResult, type Compiler, type Delivery } from './change.js';

/** What the transaction needs from its caller. */
export interface TransactionContext {
  readonly compile: Compiler;
  /** Notes for the user (a base that is not fetched, GitHub retries). */
  readonly log: (line: string) => void;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Fails unless `root` is a git work tree with nothing uncommitted. */
export async function requireCleanRepository(root: string): Promise<void> {
  if (!(await g.isRepository(root))) throw new RolloutError(`${root} is not a git repository: release, promote and rollback commit their changes`, 'refused');
  const dirty = await g.uncommitted(root);
  if (dirty.length > 0)
    throw new RolloutError(`the working tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', ...' : ''}): commit or stash them first`, 'refused');
  await g.ensureIdentity(root);
}

/**
 * Makes a change: edit the model file → compile → rewrite generated/ → stage
 * what the change owns → commit, either on a new local branch (`noPr`) or as
 * the one commit of a pull request computed in a temporary worktree of its
 * base (the user's checkout is not touched). Nothing is committed when any
 * step fails.
 */
export async function makeChange(root: string, change: Change, delivery: Delivery, context: TransactionContext): Promise<ChangeResult> {
  return delivery.noPr ? commitLocally(root, change, delivery, context) : openPullRequest(root, change, delivery, context);
}

async function commitLocally(root: string, change: Change, delivery: Delivery, context: TransactionContext): Promise<ChangeResult> {
  if (await g.branchExists(root, change.branch))
    throw new RolloutError(`branch ${change.branch} already exists: this change was already made; merge or delete that branch`, 'refused');
  if (delivery.from && (await g.currentBranch(root)) !== delivery.from) await g.checkout(root, delivery.from);
  const before = await g.currentBranch(root);
  await g.createBranch(root, change.branch);
  try {
    const { how } = await editAndSynth(root, change, context);
    await stageOwned(root, change);
    const sha = await g.commit(root, commitMessage(change));
    return { kind: 'commit', change, sha, branch: change.branch, how };
  } catch (error) {
    await g.abandonBranch(root, change.branch, before);
    throw error;
  }
}

async function openPullRequest(root: string, change: Change, delivery: Delivery, context: TransactionContext): Promise<ChangeResult> {
  const env = context.env ?? process.env;
  let config;
  try {
    config = configFromEnv(env);
  } catch (error) {
    throw new RolloutError((error as Error).message, 'external');
  }
  const octokit = makeClient(config, { log: context.log });
  const compute = async (baseSha: string): Promise<ComputedChange> => {
    const ref = (await g.commitExists(root, baseSha)) ? baseSha : 'HEAD';
    if (ref === 'HEAD') context.log(`note: base ${baseSha.slice(0, 12)} is not in the local repository; the change is computed on HEAD (fetch the base to avoid this)`);
    return g.withWorktree(root, ref, 'modelplane-change-', async (worktree) => {
      const before = await context.compile(worktree);
      const { platform } = await editAndSynth(worktree, change, context);
      const warnings = before.diagnostics.filter((d) => d.severity === 'warning');
      const plan = diffPlatforms(ref === 'HEAD' ? 'HEAD' : baseSha.slice(0, 12), before.platform, platform, { before: warnings, after: [] });
      await stageOwned(worktree, change);
      const files: ChangedFile[] = await g.stagedFiles(worktree);
      return { files, body: `${change.body.trim()}\n\n${planMarkdown(plan)}` };
    });
  };
  try {
    const base = delivery.base || env.GITHUB_BASE_REF || (await octokit.rest.repos.get({ owner: config.owner, repo: config.repo })).data.default_branch;
    const labels = delivery.labels ?? ['modelplane', `env:${change.env}`, `action:${change.trailers.action}`];
    const result = await publishPullRequest(
      octokit,
      config,
      { base, branch: change.branch, title: change.title, labels, autoMerge: delivery.autoMerge, message: commitMessage(change) },
      compute,
    );
    return { kind: 'pull-request', change, created: result.created, number: result.number, url: result.url, branch: change.branch, files: result.files.length };
  } catch (error) {
    if (error instanceof RolloutError) throw error;
    if (error instanceof GitHubError) throw new RolloutError(`${error.message}; no pull request was opened for ${change.branch}`, 'external');
    const e = error as { status?: number; response?: unknown };
    if (e.status !== undefined)
      throw new RolloutError(
        `${e.response === undefined ? 'GitHub could not be reached' : `GitHub answered ${e.status}`}: ${(error as Error).message}; no pull request was opened for ${change.branch}`,
        'external',
      );
    throw error;
  }
}

/** Edits the model file in `dir`, compiles it and rewrites generated/; nothing is written when the new state does not validate. */
async function editAndSynth(dir: string, change: Change, context: TransactionContext): Promise<{ platform: ResolvedPlatform; how?: string }> {
  const how = await applyEdit(dir, change);
  const result = await context.compile(dir);
  if (hasErrors(result.diagnostics) || !result.platform)
    throw new RolloutError(`the new state of ${change.model} in ${change.env} does not validate; nothing was changed`, 'refused', result.diagnostics);
  await writeGenerated(dir, renderFiles(result.platform));
  return { platform: result.platform, how };
}

/** Applies the change's edit to the model file in `dir`; returns how, when there was a choice. */
async function applyEdit(dir: string, change: Change): Promise<string | undefined> {
  const file = path.join(dir, change.modelFile);
  const { edit } = change;
  if (edit.kind === 'deployment') {
    try {
      await writeFile(file, editModelSource(await readFile(file, 'utf8'), change.env, edit.edit));
    } catch (error) {
      if (error instanceof EditError) throw new RolloutError(`cannot edit ${change.modelFile}: ${error.message}`, 'refused');
      throw error;
    }
    return undefined;
  }
  if (await g.revertWithoutCommit(dir, edit.commits)) return 'git revert';
  const release = edit.commits.at(-1)!;
  try {
    await writeFile(file, restoreDeploymentSource(await readFile(file, 'utf8'), await g.showFile(dir, `${release}^`, change.modelFile), change.env));
  } catch (error) {
    if (error instanceof EditError) throw new RolloutError(`cannot restore deploy.${change.env} of ${change.modelFile}: not written as an object literal`, 'refused');
    throw error;
  }
  return 'the revert did not apply cleanly: wrote the deployment as it was before the release';
}

/**
 * Stages what the change owns. Any other file that changed in the checkout
 * (written by a definition while it was compiled, or by a revert) stops the
 * change: bots commit only the model file they edit, generated/ and
 * .github/CODEOWNERS.
 */
async function stageOwned(dir: string, change: Change): Promise<void> {
  const refuse = (foreign: readonly string[]) =>
    new RolloutError(
      `${foreign.join(', ')} changed while making the change, but ${change.trailers.action} of ${change.model} may commit only ${change.modelFile}, generated/ and .github/CODEOWNERS: a definition or the revert wrote ${foreign.length === 1 ? 'it' : 'them'}; nothing was committed`,
      'refused',
    );
  const foreign = (await g.changedPaths(dir)).filter((file) => !ownsPath(change, file));
  if (foreign.length > 0) throw refuse(foreign);
  await g.stageAll(dir);
  // Checked again on what is staged: nothing else may reach the commit.
  const staged = (await g.stagedPaths(dir)).filter((file) => !ownsPath(change, file));
  if (staged.length > 0) throw refuse(staged);
}

/** Title, body and modelplane's trailers. */
export function commitMessage(change: Change): string {
  return `${change.title}\n\n${change.body.trim()}\n\n${g.trailerLines(change.trailers)}\n`;
}
