/**
 * Git repositories of the fixture platform for tests that run the CLI
 * against a fake GitHub: a committed copy (see repo.ts), and cheap clones of it
 * so that tests running at the same time never share a work tree.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeRepo, REPO_ROOT, runCli as runInRepo, type MakeRepoOptions, type Repo, type RunResult } from './repo.js';

const execFileAsync = promisify(execFile);

/** A fixed git identity, so commits do not depend on the machine's configuration. */
export const IDENTITY = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
} as const;

/** Runs git in `cwd` and returns stdout. */
export async function gitIn(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, env: { ...process.env, ...IDENTITY, GIT_TERMINAL_PROMPT: '0' }, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Makes `repo.root` a git repository on `main` with everything committed; returns HEAD. */
export async function initAndCommit(repo: Repo, message: string): Promise<string> {
  await gitIn(repo.root, 'init', '--quiet', '--initial-branch=main');
  await gitIn(repo.root, 'config', 'user.name', IDENTITY.GIT_AUTHOR_NAME);
  await gitIn(repo.root, 'config', 'user.email', IDENTITY.GIT_AUTHOR_EMAIL);
  await gitIn(repo.root, 'config', 'commit.gpgsign', 'false');
  await gitIn(repo.root, 'add', '--all');
  await gitIn(repo.root, 'commit', '--quiet', '-m', message);
  return (await gitIn(repo.root, 'rev-parse', 'HEAD')).trim();
}

export const STAGING_URI = "uri: 's3://acme-ml-staging/vision/photo-moderation/3.3.0/'";
export const PROD_URI = "uri: 's3://acme-ml-prod/vision/photo-moderation/3.3.0/'";

/**
 * card-fraud and photo-moderation of the fixture platform, with
 * photo-moderation 3.3.0 published to the prod bucket (the fixture keeps it
 * in the staging bucket, which prod may not read: MP7004), synthesized and
 * committed on `main`.
 */
export async function makeReleasableRepo(options: MakeRepoOptions = {}): Promise<{ repo: Repo; head: string }> {
  const repo = await makeRepo({ platform: 'fixture', models: ['card-fraud', 'photo-moderation'], ...options });
  try {
    await repo.edit('models/photo-moderation.ts', STAGING_URI, PROD_URI);
    const synth = await repo.run(['synth']);
    if (synth.code !== 0) throw new Error(`synth failed in the test repository:\n${synth.stderr}`);
    const head = await initAndCommit(repo, 'fixture platform, photo-moderation 3.3.0 published to the prod bucket');
    return { repo, head };
  } catch (error) {
    await repo.cleanup();
    throw error;
  }
}

export interface Clone {
  readonly root: string;
  git(...args: string[]): Promise<string>;
  /** Runs `node bin/modelplane.js --root <clone> ...args`; `env` is merged over process.env, undefined unsets. */
  run(args: readonly string[], env?: Readonly<Record<string, string | undefined>>): Promise<RunResult>;
  cleanup(): Promise<void>;
}

/** A clone of `source` (its `main`, with the same commits and so the same shas) in a temporary directory. */
export async function cloneRepo(source: string): Promise<Clone> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'modelplane-clone-'));
  const root = path.join(dir, 'repo');
  await gitIn(dir, 'clone', '--quiet', source, root);
  await gitIn(root, 'config', 'user.name', IDENTITY.GIT_AUTHOR_NAME);
  await gitIn(root, 'config', 'user.email', IDENTITY.GIT_AUTHOR_EMAIL);
  return {
    root,
    git: (...args) => gitIn(root, ...args),
    run: (args, env) => runCli(root, args, env),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The CLI as a subprocess, with the test git identity; GITHUB_ACTIONS is unset unless given. */
export function runCli(root: string, args: readonly string[], extra: Readonly<Record<string, string | undefined>> = {}): Promise<RunResult> {
  return runInRepo(root, args, { ...IDENTITY, ...extra });
}
