import { execFile, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** git failed; `stderr` says why. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
}

/** Runs git in `root` and returns stdout. */
export async function git(root: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run('git', [...args], { cwd: root, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string; code?: string };
    if (e.code === 'ENOENT') throw new GitError(args, 'git is not installed');
    throw new GitError(args, e.stderr || e.message);
  }
}

export async function isRepository(root: string): Promise<boolean> {
  try {
    return (await git(root, ['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false;
  }
}

/** Paths with uncommitted changes (staged, unstaged or untracked). */
export async function uncommitted(root: string): Promise<string[]> {
  const out = await git(root, ['status', '--porcelain', '--untracked-files=all']);
  return out.split('\n').filter(Boolean).map((l) => l.slice(3));
}

export async function branchExists(root: string, branch: string): Promise<boolean> {
  try {
    await git(root, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
    return true;
  } catch {
    return false;
  }
}

export async function headCommit(root: string): Promise<string> {
  return (await git(root, ['rev-parse', 'HEAD'])).trim();
}

/** Trailers modelplane writes on its commits, so rollback can find a rollout's commits. */
export interface RolloutTrailers {
  readonly model: string;
  readonly env: string;
  readonly action: string;
  readonly version: string;
  /** The canary step the commit sets (release: 0, advance: the new step): promote measures the step's clock from this commit. */
  readonly step?: number;
}

export function trailerLines(t: RolloutTrailers): string {
  const lines = [`Modelplane-Model: ${t.model}`, `Modelplane-Env: ${t.env}`, `Modelplane-Action: ${t.action}`, `Modelplane-Version: ${t.version}`];
  if (t.step !== undefined) lines.push(`Modelplane-Step: ${stepTrailerValue(t.model, t.env, t.version, t.step)}`);
  return lines.join('\n');
}

/** `<model> <env> <version> <step>`: the value of the `Modelplane-Step` trailer. */
export function stepTrailerValue(model: string, env: string, version: string, step: number): string {
  return `${model} ${env} ${version} ${step}`;
}

export interface CommitRef {
  readonly sha: string;
  readonly subject: string;
  readonly committedAt: Date;
}

/** The newest commit reachable from HEAD whose `Modelplane-Step` trailer sets this step, if any. */
export async function stepCommit(root: string, model: string, env: string, version: string, step: number): Promise<CommitRef | undefined> {
  const value = stepTrailerValue(model, env, version, step);
  const out = await git(root, ['log', '--format=%H%x1f%s%x1f%cI%x1f%(trailers:key=Modelplane-Step,valueonly,separator=%x1d)%x1e', '--fixed-strings', '--grep', `Modelplane-Step: ${value}`, 'HEAD']);
  for (const record of out.split('\x1e')) {
    const [sha, subject, date, trailers] = record.trim().split('\x1f');
    if (sha && (trailers ?? '').split('\x1d').some((t) => t.trim() === value)) return { sha, subject, committedAt: new Date(date) };
  }
  return undefined;
}

/** Commits reachable from HEAD (newest first, at most `limit`) that changed `file`. */
export async function fileCommits(root: string, file: string, range = 'HEAD', limit = 200): Promise<CommitRef[]> {
  const out = await git(root, ['log', `--max-count=${limit}`, '--format=%H%x1f%s%x1f%cI', range, '--', file]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha, subject, date] = line.split('\x1f');
      return { sha, subject, committedAt: new Date(date) };
    });
}

/** Commits what is staged. */
export async function commit(root: string, message: string): Promise<string> {
  await git(root, [...identity(), 'commit', '--quiet', '--no-verify', '-m', message]);
  return headCommit(root);
}

/** Commit as the configured user, or as modelplane when git has no identity (CI). */
function identity(): string[] {
  return process.env.GIT_AUTHOR_NAME || process.env.GIT_COMMITTER_NAME ? [] : ['-c', 'user.useConfigOnly=false', ...defaultIdentity];
}
let defaultIdentity: string[] = [];

/** Uses `modelplane <modelplane@users.noreply.github.com>` when git has no user configured. */
export async function ensureIdentity(root: string): Promise<void> {
  try {
    await git(root, ['config', 'user.email']);
    defaultIdentity = [];
  } catch {
    defaultIdentity = ['-c', 'user.name=modelplane', '-c', 'user.email=modelplane@users.noreply.github.com'];
  }
}

export interface RolloutCommit {
  readonly sha: string;
  readonly subject: string;
  readonly action: string;
  readonly version: string;
  readonly committedAt: string;
}

/** modelplane's commits for one model and environment reachable from HEAD, newest first. */
export async function rolloutCommits(root: string, model: string, env: string): Promise<RolloutCommit[]> {
  const format = '%H%x1f%s%x1f%cI%x1f%(trailers:key=Modelplane-Model,valueonly,separator=%x2c)%x1f%(trailers:key=Modelplane-Env,valueonly,separator=%x2c)%x1f%(trailers:key=Modelplane-Action,valueonly,separator=%x2c)%x1f%(trailers:key=Modelplane-Version,valueonly,separator=%x2c)%x1e';
  const out = await git(root, ['log', `--format=${format}`, '--grep', `^Modelplane-Model: ${model}$`, 'HEAD']);
  return out
    .split('\x1e')
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => r.split('\x1f').map((f) => f.trim()))
    .filter((f) => f[3] === model && f[4] === env)
    .map((f) => ({ sha: f[0], subject: f[1], committedAt: f[2], action: f[5], version: f[6] }));
}

/** When a path last changed in a commit reachable from HEAD. */
export async function lastChanged(root: string, path: string): Promise<Date | undefined> {
  const out = (await git(root, ['log', '-1', '--format=%cI', '--', path])).trim();
  return out ? new Date(out) : undefined;
}

/** The checked-out branch (`HEAD` when detached). */
export async function currentBranch(root: string): Promise<string> {
  return (await git(root, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
}

export async function checkout(root: string, branch: string): Promise<void> {
  await git(root, ['checkout', '--quiet', branch]);
}

/** Creates `branch` at HEAD and checks it out. */
export async function createBranch(root: string, branch: string): Promise<void> {
  await git(root, ['checkout', '--quiet', '-b', branch]);
}

/** Throws away everything on `branch` (uncommitted work included), goes back to `returnTo` and deletes `branch`. Best effort. */
export async function abandonBranch(root: string, branch: string, returnTo: string): Promise<void> {
  await git(root, ['reset', '--quiet', '--hard', 'HEAD']).catch(() => undefined);
  await git(root, ['clean', '-fdq']).catch(() => undefined);
  await git(root, ['checkout', '--quiet', returnTo]).catch(() => undefined);
  await git(root, ['branch', '-D', branch]).catch(() => undefined);
}

export async function commitExists(root: string, sha: string): Promise<boolean> {
  return git(root, ['cat-file', '-e', `${sha}^{commit}`]).then(
    () => true,
    () => false,
  );
}

/** Temporary worktrees are `<tmpdir>/modelplane-wt-<pid>-<random>/tree`: the pid tells a sweep whether their run is still alive. */
const WORKTREE_DIR = /(?:^|[\\/])modelplane-wt-(\d+)-[^\\/]+[\\/]tree$/;

/**
 * Runs `fn` in a temporary detached worktree of `ref` (with a commit identity),
 * and removes the worktree afterwards, also when the process gets SIGINT or
 * SIGTERM meanwhile. A run killed with SIGKILL leaves it registered: the next
 * run's {@link sweepStaleWorktrees} removes it.
 */
export async function withWorktree<T>(root: string, ref: string, fn: (worktree: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), `modelplane-wt-${process.pid}-`));
  const worktree = path.join(dir, 'tree');
  const release = onInterrupt(() => {
    spawnSync('git', ['worktree', 'remove', '--force', worktree], { cwd: root, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
    spawnSync('git', ['worktree', 'prune'], { cwd: root, stdio: 'ignore' });
  });
  try {
    await git(root, ['worktree', 'add', '--detach', '--quiet', worktree, ref]);
    await ensureIdentity(worktree);
    return await fn(worktree);
  } finally {
    await git(root, ['worktree', 'remove', '--force', worktree]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    await git(root, ['worktree', 'prune']).catch(() => undefined);
    release();
  }
}

/**
 * Removes the temporary worktrees of modelplane runs that are no longer alive
 * (killed before they could clean up) and prunes worktree registrations whose
 * folder is gone. Returns the folders removed.
 */
export async function sweepStaleWorktrees(root: string): Promise<string[]> {
  const out = await git(root, ['worktree', 'list', '--porcelain']).catch(() => '');
  const removed: string[] = [];
  for (const line of out.split('\n')) {
    if (!line.startsWith('worktree ')) continue;
    const worktree = line.slice('worktree '.length);
    const match = WORKTREE_DIR.exec(worktree);
    if (!match || isAlive(Number(match[1]))) continue;
    await git(root, ['worktree', 'remove', '--force', worktree]).catch(() => undefined);
    await rm(path.dirname(worktree), { recursive: true, force: true });
    removed.push(worktree);
  }
  await git(root, ['worktree', 'prune']).catch(() => undefined);
  return removed;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const cleanups = new Set<() => void>();

function runCleanupsAndExit(signal: NodeJS.Signals): void {
  for (const c of [...cleanups]) {
    try {
      c();
    } catch {
      // best effort: the next run sweeps what is left
    }
  }
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

/**
 * Registers a synchronous cleanup to run when the process gets SIGINT or
 * SIGTERM while it is registered; the process then exits with 128 + the
 * signal's number. Returns the function that unregisters it (the signal
 * handlers go with the last one).
 */
export function onInterrupt(cleanup: () => void): () => void {
  if (cleanups.size === 0) {
    process.on('SIGINT', runCleanupsAndExit);
    process.on('SIGTERM', runCleanupsAndExit);
  }
  cleanups.add(cleanup);
  return () => {
    if (!cleanups.delete(cleanup) || cleanups.size > 0) return;
    process.off('SIGINT', runCleanupsAndExit);
    process.off('SIGTERM', runCleanupsAndExit);
  };
}

/** The sha a ref points at. */
export async function revParse(root: string, ref: string): Promise<string> {
  return (await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
}

/** The tree sha of a commit. */
export async function treeOf(root: string, ref: string): Promise<string> {
  return (await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{tree}`])).trim();
}

/** Commits in `range` (newest first) with their modelplane trailers. */
export async function commitsIn(root: string, range: string): Promise<(CommitRef & { readonly trailers: Partial<RolloutTrailers> })[]> {
  const format = '%H%x1f%s%x1f%cI%x1f%(trailers:key=Modelplane-Model,valueonly,separator=%x2c)%x1f%(trailers:key=Modelplane-Env,valueonly,separator=%x2c)%x1f%(trailers:key=Modelplane-Action,valueonly,separator=%x2c)%x1f%(trailers:key=Modelplane-Version,valueonly,separator=%x2c)%x1e';
  const out = await git(root, ['log', `--format=${format}`, range]);
  return out
    .split('\x1e')
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => r.split('\x1f').map((f) => f.trim()))
    .map((f) => ({ sha: f[0], subject: f[1], committedAt: new Date(f[2]), trailers: { model: f[3] || undefined, env: f[4] || undefined, action: f[5] || undefined, version: f[6] || undefined } }));
}

/** Points `branch` at `sha` (creating or moving it). */
export async function setBranch(root: string, branch: string, sha: string): Promise<void> {
  await git(root, ['branch', '--force', '--quiet', branch, sha]);
}

/** Branches checked out in some worktree of the repository. */
export async function checkedOutBranches(root: string): Promise<string[]> {
  const out = await git(root, ['worktree', 'list', '--porcelain']);
  return out
    .split('\n')
    .filter((l) => l.startsWith('branch refs/heads/'))
    .map((l) => l.slice('branch refs/heads/'.length));
}

/** Every path that differs from HEAD in the work tree or the index, untracked files included, sorted. */
export async function changedPaths(root: string): Promise<string[]> {
  const out = await git(root, ['status', '--porcelain', '-z', '--untracked-files=all', '--no-renames']);
  return [...new Set(out.split('\0').filter(Boolean).map((entry) => entry.slice(3)))].sort();
}

/** Stages every change of the work tree (additions, changes and deletions). */
export async function stageAll(root: string): Promise<void> {
  await git(root, ['add', '--all']);
}

/** Paths staged relative to HEAD. */
export async function stagedPaths(root: string): Promise<string[]> {
  return (await git(root, ['diff', '--cached', '--name-only', '--no-renames', '-z'])).split('\0').filter(Boolean);
}

/** Staged files relative to HEAD, with their new content (null when deleted), sorted by path. */
export async function stagedFiles(root: string): Promise<{ path: string; content: string | null }[]> {
  const out = await git(root, ['diff', '--cached', '--name-status', '--no-renames', '-z']);
  const parts = out.split('\0').filter(Boolean);
  const files: { path: string; content: string | null }[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const [statusLetter, file] = [parts[i], parts[i + 1]];
    files.push({ path: file, content: statusLetter === 'D' ? null : await readFile(path.join(root, file), 'utf8') });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** `git revert --no-commit` of `shas`; false (and the work tree reset to HEAD) when it does not apply cleanly. */
export async function revertWithoutCommit(root: string, shas: readonly string[]): Promise<boolean> {
  try {
    await git(root, ['revert', '--no-commit', ...shas]);
    return true;
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    await git(root, ['revert', '--abort']).catch(() => undefined);
    await git(root, ['reset', '--quiet', '--hard', 'HEAD']);
    return false;
  }
}

/** The content of `file` at `rev`. */
export async function showFile(root: string, rev: string, file: string): Promise<string> {
  return git(root, ['show', `${rev}:${file}`]);
}
