import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { editModelSource, EditError, type DeploymentEdit } from '../delivery/edit-model.js';
import { formatDiagnostic, hasErrors } from '../diagnostics/index.js';
import { branchExists, commit, ensureIdentity, git, isRepository, trailerLines, uncommitted, type RolloutTrailers } from '../git/git.js';
import { configFromEnv, GitHubError, makeClient, publishPullRequest, type ChangedFile } from '../github/index.js';
import { diffPlatforms, planMarkdown } from '../plan/index.js';
import type { ResolvedPlatform } from '../resolve/index.js';
import { renderFiles, writeGenerated } from '../synth/index.js';
import { compile } from './compile.js';
import { ExitCode, UserFacingError, type Output } from './output.js';

/** A change to one model's deployment in one environment: edits files in a directory, then commits. */
export interface Change {
  readonly model: string;
  readonly env: string;
  readonly branch: string;
  readonly title: string;
  readonly body: string;
  readonly trailers: RolloutTrailers;
  /** Edits the definitions in `dir` (a checkout); generated/ is rewritten afterwards. Returns how it was done. */
  readonly apply: (dir: string) => Promise<string | void>;
}

/** How a change leaves the machine. */
export interface Delivery {
  /** Commit on a local branch instead of opening a pull request. */
  readonly noPr: boolean;
  readonly autoMerge?: boolean;
  /** Base branch of the pull request. @default GITHUB_BASE_REF, else the repository's default branch */
  readonly base?: string;
  readonly labels?: readonly string[];
}

/** `modelplane/<env>/<model>/<action>-<version>`: the same change always gets the same branch. */
export function branchName(env: string, model: string, action: string, version: string): string {
  return `modelplane/${env}/${model}/${action}-${version}`;
}

/** An edit of `models/<id>.ts`, as a change's `apply`. */
export function editFile(modelFile: string, env: string, edit: DeploymentEdit): (dir: string) => Promise<void> {
  return async (dir) => {
    const file = path.join(dir, modelFile);
    try {
      await writeFile(file, editModelSource(await readFile(file, 'utf8'), env, edit));
    } catch (error) {
      if (error instanceof EditError) throw new UserFacingError(`cannot edit ${modelFile}: ${error.message}`, ExitCode.failed);
      throw error;
    }
  };
}

/** Fails unless `root` is a git work tree with nothing uncommitted. */
export async function requireCleanRepository(root: string): Promise<void> {
  if (!(await isRepository(root))) throw new UserFacingError(`${root} is not a git repository: release, promote and rollback commit their changes`, ExitCode.failed);
  const dirty = await uncommitted(root);
  if (dirty.length > 0)
    throw new UserFacingError(`the working tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', ...' : ''}): commit or stash them first`, ExitCode.failed);
  await ensureIdentity(root);
}

/** Compiles `dir` after `change.apply`, rewrites its generated/; nothing is written when it does not validate. */
async function applyAndSynth(dir: string, change: Change, output: Output): Promise<{ platform: ResolvedPlatform; how?: string }> {
  const how = await change.apply(dir);
  const result = await compile(dir, { render: false });
  if (hasErrors(result.diagnostics) || !result.platform) {
    for (const d of result.diagnostics) output.err(formatDiagnostic(d));
    throw new UserFacingError(`the new state of ${change.model} in ${change.env} does not validate; nothing was changed`, ExitCode.failed);
  }
  await writeGenerated(dir, renderFiles(result.platform));
  return { platform: result.platform, how: how ?? undefined };
}

/** Makes the change as a commit on a new local branch (`--no-pr`), or as a pull request. */
export async function deliverChange(root: string, change: Change, delivery: Delivery, output: Output): Promise<void> {
  if (delivery.noPr) return commitLocally(root, change, output);
  return openPullRequest(root, change, delivery, output);
}

async function commitLocally(root: string, change: Change, output: Output): Promise<void> {
  if (await branchExists(root, change.branch))
    throw new UserFacingError(`branch ${change.branch} already exists: this change was already made; merge or delete that branch`, ExitCode.failed);
  const before = (await git(root, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
  await git(root, ['checkout', '--quiet', '-b', change.branch]);
  try {
    const { how } = await applyAndSynth(root, change, output);
    await git(root, ['add', '--all']);
    const sha = await commit(root, message(change));
    output.out(`${change.title}${how ? `\n(${how})` : ''}\ncommitted ${sha.slice(0, 12)} on branch ${change.branch}`);
  } catch (error) {
    await git(root, ['reset', '--quiet', '--hard', 'HEAD']).catch(() => undefined);
    await git(root, ['clean', '-fdq']).catch(() => undefined);
    await git(root, ['checkout', '--quiet', before]).catch(() => undefined);
    await git(root, ['branch', '-D', change.branch]).catch(() => undefined);
    throw error;
  }
}

function message(change: Change): string {
  return `${change.title}\n\n${change.body.trim()}\n\n${trailerLines(change.trailers)}\n`;
}

/**
 * Computes the change in a temporary worktree of the pull request's base (the
 * user's checkout is not touched) and publishes it as one commit on the
 * change's branch, with the plan in the pull request's body.
 */
async function openPullRequest(root: string, change: Change, delivery: Delivery, output: Output): Promise<void> {
  let config;
  try {
    config = configFromEnv();
  } catch (error) {
    throw new UserFacingError((error as Error).message, ExitCode.external);
  }
  const octokit = makeClient(config, { log: (l) => output.err(l) });
  let body = change.body;
  const compute = async (baseSha: string): Promise<ChangedFile[]> => {
    const ref = (await git(root, ['cat-file', '-e', `${baseSha}^{commit}`]).then(() => true).catch(() => false)) ? baseSha : 'HEAD';
    if (ref === 'HEAD') output.err(`note: base ${baseSha.slice(0, 12)} is not in the local repository; the change is computed on HEAD (fetch the base to avoid this)`);
    const dir = await mkdtemp(path.join(tmpdir(), 'modelplane-change-'));
    const worktree = path.join(dir, 'tree');
    try {
      await git(root, ['worktree', 'add', '--detach', '--quiet', worktree, ref]);
      await ensureIdentity(worktree);
      const before = await compile(worktree, { render: false });
      const { platform } = await applyAndSynth(worktree, change, output);
      const warnings = (d: typeof before.diagnostics) => d.filter((x) => x.severity === 'warning');
      const plan = diffPlatforms(ref === 'HEAD' ? 'HEAD' : baseSha.slice(0, 12), before.platform, platform, { before: warnings(before.diagnostics), after: [] });
      body = `${change.body.trim()}\n\n${planMarkdown(plan)}`;
      return await changedFiles(worktree);
    } finally {
      await git(root, ['worktree', 'remove', '--force', worktree]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  };
  try {
    const base = delivery.base || process.env.GITHUB_BASE_REF || (await octokit.rest.repos.get({ owner: config.owner, repo: config.repo })).data.default_branch;
    const files = { current: [] as ChangedFile[] };
    const result = await publishPullRequest(
      octokit,
      config,
      {
        base,
        branch: change.branch,
        title: change.title,
        get body() {
          return body;
        },
        labels: delivery.labels ?? ['modelplane', `env:${change.env}`, `action:${change.trailers.action}`],
        autoMerge: delivery.autoMerge,
        message: message(change),
      },
      async (sha) => (files.current = await compute(sha)),
    );
    output.out(`${change.title}\n${result.created ? 'opened' : 'updated'} pull request #${result.number} ${result.url} (branch ${change.branch}, ${files.current.length} files)`);
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    if (error instanceof GitHubError) throw new UserFacingError(`${error.message}; no pull request was opened for ${change.branch}`, ExitCode.external);
    const e = error as { status?: number; response?: unknown };
    if (e.status !== undefined)
      throw new UserFacingError(
        `${e.response === undefined ? 'GitHub could not be reached' : `GitHub answered ${e.status}`}: ${(error as Error).message}; no pull request was opened for ${change.branch}`,
        ExitCode.external,
      );
    throw error;
  }
}

/** Files changed in a work tree relative to its HEAD, with their new content (null when deleted). */
async function changedFiles(dir: string): Promise<ChangedFile[]> {
  await git(dir, ['add', '--all']);
  const out = await git(dir, ['diff', '--cached', '--name-status', '--no-renames', '-z']);
  const parts = out.split('\0').filter(Boolean);
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const [statusLetter, file] = [parts[i], parts[i + 1]];
    files.push({ path: file, content: statusLetter === 'D' ? null : await readFile(path.join(dir, file), 'utf8') });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
