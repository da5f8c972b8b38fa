import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hasErrors } from '../diagnostics/index.js';
import * as g from '../git/git.js';
import { configFromEnv, GitHubError, makeClient, publishPullRequest, pushToBase, type ChangedFile, type ComputedChange } from '../github/index.js';
import { diffPlatforms, planMarkdown } from '../plan/index.js';
import type { ResolvedPlatform } from '../resolve/index.js';
import { diffDeploymentSource, editModelSource, EditError, mergeDeploymentSource, MergeConflict, type FieldChange } from '../source/index.js';
import { renderFiles, writeGenerated } from '../synth/index.js';
import { ownsPath, pullRequestLabels, RolloutError, type Change, type ChangeResult, type Compiler, type Delivery } from './change.js';

/** What the transaction needs from its caller. */
export interface TransactionContext {
  readonly compile: Compiler;
  /** Notes for the user (a base that is not fetched, GitHub retries). */
  readonly log: (line: string) => void;
  /** Where the GitHub settings are read from (`GITHUB_TOKEN`, `GITHUB_REPOSITORY`, `GITHUB_BASE_REF`): the CLI passes `process.env`. */
  readonly env: NodeJS.ProcessEnv;
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

/**
 * The change is made in a temporary worktree of HEAD (the user's checkout is
 * not touched until it is committed), then the branch is pointed at it and
 * checked out. A branch of that name that already exists holds either the same
 * content (the change was already made: nothing to do), an older computation of
 * this change by modelplane (replaced), or something else (refused, naming it).
 */
async function commitLocally(root: string, change: Change, delivery: Delivery, context: TransactionContext): Promise<ChangeResult> {
  if (delivery.from && (await g.currentBranch(root)) !== delivery.from) await g.checkout(root, delivery.from);
  const start = await g.headCommit(root);
  const made = await g.withWorktree(root, start, async (worktree) => {
    const applied = await editAndSynth(worktree, change, context);
    await stageOwned(worktree, change);
    return { ...applied, sha: await g.commit(worktree, commitMessage(change, applied.notes)) };
  });
  if (delivery.direct) {
    const branch = await g.currentBranch(root);
    if (branch === 'HEAD') throw new RolloutError('a direct delivery needs a checked-out branch, not a detached HEAD', 'refused');
    await g.git(root, ['merge', '--ff-only', '--quiet', made.sha]);
    return { kind: 'pushed', change, sha: made.sha, branch, how: made.how };
  }
  let how = made.how;
  if (await g.branchExists(root, change.branch)) {
    const existing = await g.revParse(root, change.branch);
    if ((await g.treeOf(root, existing)) === (await g.treeOf(root, made.sha))) {
      if ((await g.currentBranch(root)) !== change.branch) await g.checkout(root, change.branch);
      return { kind: 'commit', change, sha: existing, branch: change.branch, how: 'already made: the branch holds exactly this change', existing: true };
    }
    const reason = await whyNotReplaceable(root, change, start);
    if (reason) throw new RolloutError(`branch ${change.branch} already exists with different content: ${reason}`, 'refused');
    how = [how, `replaced branch ${change.branch} (${existing.slice(0, 12)}), which held an older version of this change`].filter(Boolean).join('; ');
  }
  await g.setBranch(root, change.branch, made.sha);
  await g.checkout(root, change.branch);
  return { kind: 'commit', change, sha: made.sha, branch: change.branch, how };
}

/** Why the existing branch of the change may not be overwritten, or undefined when it is modelplane's own stale copy of the change. */
async function whyNotReplaceable(root: string, change: Change, start: string): Promise<string | undefined> {
  if ((await g.checkedOutBranches(root)).includes(change.branch)) return 'it is checked out; switch to another branch, then delete or merge it';
  const commits = await g.commitsIn(root, `${start}..${change.branch}`);
  const t = change.trailers;
  const foreign = commits.filter((c) => c.trailers.model !== t.model || c.trailers.env !== t.env || c.trailers.action !== t.action || c.trailers.version !== t.version);
  if (foreign.length > 0)
    return `it has commits that are not modelplane's ${t.action} of ${t.model} ${t.version} in ${t.env}: ${foreign.map((c) => `${c.sha.slice(0, 12)} (${c.subject})`).join(', ')}; merge or delete the branch, then run again`;
  if (commits.length > 1) return `it has ${commits.length} commits (${commits.map((c) => c.sha.slice(0, 12)).join(', ')}) where modelplane makes one; delete the branch, then run again`;
  return undefined;
}

async function openPullRequest(root: string, change: Change, delivery: Delivery, context: TransactionContext): Promise<ChangeResult> {
  const env = context.env;
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
    return g.withWorktree(root, ref, async (worktree) => {
      const before = await context.compile(worktree);
      const { platform, notes } = await editAndSynth(worktree, change, context);
      const warnings = before.diagnostics.filter((d) => d.severity === 'warning');
      const plan = diffPlatforms(ref === 'HEAD' ? 'HEAD' : baseSha.slice(0, 12), before.platform, platform, { before: warnings, after: [] });
      await stageOwned(worktree, change);
      const files: ChangedFile[] = await g.stagedFiles(worktree);
      return { files, body: `${bodyOf(change, notes)}\n\n${planMarkdown(plan)}`, message: commitMessage(change, notes) };
    });
  };
  try {
    const base = delivery.base || env.GITHUB_BASE_REF || (await octokit.rest.repos.get({ owner: config.owner, repo: config.repo })).data.default_branch;
    const labels = pullRequestLabels(change);
    if (delivery.direct) {
      const pushed = await pushToBase(octokit, config, { base, message: commitMessage(change) }, compute);
      return { kind: 'pushed', change, sha: pushed.commit, branch: base };
    }
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
async function editAndSynth(dir: string, change: Change, context: TransactionContext): Promise<Applied & { platform: ResolvedPlatform }> {
  const applied = await applyEdit(dir, change);
  const result = await context.compile(dir);
  if (hasErrors(result.diagnostics) || !result.platform)
    throw new RolloutError(`the new state of ${change.model} in ${change.env} does not validate; nothing was changed`, 'refused', result.diagnostics);
  await writeGenerated(dir, renderFiles(result.platform));
  return { ...applied, platform: result.platform };
}

/** What applying an edit did: how (when there was a choice), and lines for the commit message and pull request. */
interface Applied {
  readonly how?: string;
  readonly notes: readonly string[];
}

/** Applies the change's edit to the model file in `dir`. */
async function applyEdit(dir: string, change: Change): Promise<Applied> {
  const file = path.join(dir, change.modelFile);
  const { edit } = change;
  if (edit.kind === 'deployment') {
    try {
      await writeFile(file, editModelSource(await readFile(file, 'utf8'), change.env, edit.edit));
    } catch (error) {
      if (error instanceof EditError) throw new RolloutError(`cannot edit ${change.modelFile}: ${error.message}`, 'refused');
      throw error;
    }
    return { notes: [] };
  }
  const current = await readFile(file, 'utf8');
  if (await g.revertWithoutCommit(dir, edit.commits)) {
    const after = await readFile(file, 'utf8').catch(() => '');
    return { how: 'git revert', notes: describeFields(change, diffDeploymentSource(current, after, change.env), []) };
  }
  // Revert each of the rollout's commits (newest first) on deploy.<env> alone, field by field.
  let ours = current;
  const kept = new Set<string>();
  for (const sha of edit.commits) {
    const [base, theirs] = await Promise.all([g.showFile(dir, sha, change.modelFile), g.showFile(dir, `${sha}^`, change.modelFile)]);
    try {
      const merged = mergeDeploymentSource({ base, ours, theirs, env: change.env });
      ours = merged.text;
      merged.kept.forEach((k) => kept.add(k));
    } catch (error) {
      if (error instanceof MergeConflict) {
        const inTheWay = (await g.fileCommits(dir, change.modelFile, `${sha}..HEAD`)).filter((c) => !edit.commits.includes(c.sha));
        throw new RolloutError(
          `cannot roll back ${change.model} in ${change.env}: ${error.message} by ${inTheWay.map((c) => `${c.sha.slice(0, 12)} (${c.subject})`).join(', ') || 'commits outside the rollout'}; revert by hand or revert ${inTheWay.length === 1 ? 'that commit' : 'those commits'} first; nothing was changed`,
          'refused',
        );
      }
      if (error instanceof EditError) throw new RolloutError(`cannot roll back deploy.${change.env} of ${change.modelFile}: ${error.message}`, 'refused');
      throw error;
    }
  }
  await writeFile(file, ours);
  const changes = diffDeploymentSource(current, ours, change.env);
  return {
    how: `the revert did not apply cleanly: merged deploy.${change.env} field by field${kept.size ? `, keeping later edits of ${[...kept].join(', ')}` : ''}`,
    notes: describeFields(change, changes, [...kept]),
  };
}

/** Markdown lines naming every field of the model file the change rewrites, and the later edits it keeps. */
function describeFields(change: Change, changes: readonly FieldChange[], kept: readonly string[]): string[] {
  if (changes.length === 0 && kept.length === 0) return [];
  const show = (v: string) => `\`${v.length > 120 ? `${v.slice(0, 117)}...` : v}\``;
  const lines = [`Changes to ${change.modelFile} (everything else is generated/):`];
  for (const c of changes)
    lines.push(`- ${c.path}: ${c.from === undefined ? `added ${show(c.to!)}` : c.to === undefined ? `removed (was ${show(c.from)})` : `${show(c.from)} → ${show(c.to)}`}`);
  if (kept.length) lines.push(`Kept as edited after the rollout: ${kept.join(', ')}.`);
  return lines;
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
export function commitMessage(change: Change, notes: readonly string[] = []): string {
  return `${change.title}\n\n${bodyOf(change, notes)}\n\n${g.trailerLines(change.trailers)}\n`;
}

function bodyOf(change: Change, notes: readonly string[]): string {
  return [change.body.trim(), ...(notes.length ? [notes.join('\n')] : [])].join('\n\n');
}
