/**
 * A throw-away copy of the reference platform for tests that write: models/ and
 * policies/ are copied into a temporary directory, src/ and node_modules/ are
 * symlinked to the real ones (model files import '../src/index.js'), and the
 * CLI runs against it with `--root`. The real repository's generated/ is never
 * touched.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository these tests belong to. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The tests' own platform (test/fixtures/platform): policies/ (platform,
 * progressive, fast, direct) and two models, card-fraud (4.1.0 stable in prod,
 * a canary of 4.2.0 at step 1 of 'progressive') and photo-moderation (3.2.0
 * stable in prod on gpu-l4, 3.3.0 declared with its artifact in the staging
 * bucket). Tests that assert on definitions use it, so the reference platform
 * under models/ and policies/ can change freely.
 */
export const FIXTURE_ROOT = path.join(REPO_ROOT, 'test/fixtures/platform');

const BIN = path.join(REPO_ROOT, 'bin/modelplane.js');

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface MakeRepoOptions {
  /** Where models/ and policies/ are copied from. @default 'reference' (the repository's own) */
  readonly platform?: 'reference' | 'fixture';
  /**
   * Model files to copy, by model id. @default - every model file of the platform
   */
  readonly models?: readonly string[];
  /** Copy policies/ of the platform. @default true */
  readonly policies?: boolean;
  /** Another test repository whose generated/ and .github/ are copied in. @default - none */
  readonly generatedFrom?: Repo;
}

export interface Repo {
  /** Absolute path of the temporary repository. */
  readonly root: string;
  /** Writes a file (creating its folders), path relative to the root. */
  write(relPath: string, text: string): Promise<void>;
  remove(relPath: string): Promise<void>;
  read(relPath: string): Promise<string>;
  /** Replaces the one occurrence of `from` in a file; fails when it is absent or not unique. */
  edit(relPath: string, from: string, to: string): Promise<void>;
  /**
   * Every file under generated/ and .github/, by repository-relative path
   * (forward slashes), with its bytes.
   */
  tree(): Promise<Map<string, Buffer>>;
  /**
   * Runs `node bin/modelplane.js --root <root> ...args` in the repository.
   * `env` is merged over process.env; a variable given as undefined is unset.
   * GITHUB_ACTIONS is unset unless given.
   */
  run(args: readonly string[], env?: Readonly<Record<string, string | undefined>>): Promise<RunResult>;
  cleanup(): Promise<void>;
}

export async function makeRepo(options: MakeRepoOptions = {}): Promise<Repo> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'modelplane-test-'));
  const from = options.platform === 'fixture' ? FIXTURE_ROOT : REPO_ROOT;
  await mkdir(path.join(root, 'models'));
  if (options.models) {
    for (const id of options.models) await cp(path.join(from, 'models', `${id}.ts`), path.join(root, 'models', `${id}.ts`));
  } else {
    await cp(path.join(from, 'models'), path.join(root, 'models'), { recursive: true });
  }
  if (options.policies !== false) await cp(path.join(from, 'policies'), path.join(root, 'policies'), { recursive: true });
  if (options.generatedFrom) {
    for (const dir of ['generated', '.github']) {
      const from = path.join(options.generatedFrom.root, dir);
      if (existsSync(from)) await cp(from, path.join(root, dir), { recursive: true });
    }
  }
  await symlink(path.join(REPO_ROOT, 'src'), path.join(root, 'src'), 'dir');
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  // Definitions are ES modules: the temporary directory needs the package scope the repository has.
  await writeFile(path.join(root, 'package.json'), `${JSON.stringify({ name: 'modelplane-test-repo', private: true, type: 'module' }, null, 2)}\n`);

  const abs = (relPath: string) => path.join(root, relPath);
  const repo: Repo = {
    root,
    async write(relPath, text) {
      await mkdir(path.dirname(abs(relPath)), { recursive: true });
      await writeFile(abs(relPath), text);
    },
    async remove(relPath) {
      await rm(abs(relPath), { recursive: true, force: true });
    },
    read: (relPath) => readFile(abs(relPath), 'utf8'),
    async edit(relPath, from, to) {
      const text = await readFile(abs(relPath), 'utf8');
      const at = text.indexOf(from);
      if (at < 0) throw new Error(`edit: ${JSON.stringify(from)} not found in ${relPath}`);
      if (text.indexOf(from, at + 1) >= 0) throw new Error(`edit: ${JSON.stringify(from)} occurs more than once in ${relPath}`);
      await writeFile(abs(relPath), text.slice(0, at) + to + text.slice(at + from.length));
    },
    async tree() {
      const out = new Map<string, Buffer>();
      for (const dir of ['generated', '.github']) {
        for (const file of await listFiles(root, dir)) out.set(file, await readFile(abs(file)));
      }
      return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    },
    run: (args, env) => runCli(root, args, env),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
  return repo;
}

/** Files under `dir` (relative to `root`), recursively, sorted, with forward slashes. */
export async function listFiles(root: string, dir: string): Promise<string[]> {
  const base = path.join(root, dir);
  if (!existsSync(base)) return [];
  const entries = await readdir(base, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** The CLI as a subprocess in `root`; GITHUB_ACTIONS is unset unless given. */
export function runCli(root: string, args: readonly string[], extra: Readonly<Record<string, string | undefined>> = {}): Promise<RunResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, GITHUB_ACTIONS: undefined, ...extra })) if (v !== undefined) env[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--root', root, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });
}

export const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);

/** A line of a JavaScript stack trace. */
export const STACK_FRAME = /^\s{4}at /m;

/** Paths whose bytes differ between two trees, plus paths only in one of them. */
export function differences(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const out: string[] = [];
  for (const [p, bytes] of a) if (!b.has(p) || !b.get(p)!.equals(bytes)) out.push(p);
  for (const p of b.keys()) if (!a.has(p)) out.push(p);
  return out.sort();
}
