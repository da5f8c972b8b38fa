import { execFile } from 'node:child_process';
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
}

export function trailerLines(t: RolloutTrailers): string {
  return [`Modelplane-Model: ${t.model}`, `Modelplane-Env: ${t.env}`, `Modelplane-Action: ${t.action}`, `Modelplane-Version: ${t.version}`].join('\n');
}

/** Stages everything and commits with a title, a body and modelplane's trailers. */
export async function commitAll(root: string, title: string, body: string, trailers: RolloutTrailers): Promise<string> {
  await git(root, ['add', '--all']);
  return commit(root, `${title}\n\n${body.trim()}\n\n${trailerLines(trailers)}\n`);
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
