/**
 * The CLI as a well-kept tool (issue 13 item 7): --version, help texts that
 * state README's exit codes, a closed pipe, a missing kubeconfig, a malformed
 * --prometheus URL and a missing --root. Subprocesses on the fixture platform.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, REPO_ROOT, STACK_FRAME, type Repo } from '../support/repo.js';

const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const execFileAsync = promisify(execFile);
const BIN = path.join(REPO_ROOT, 'bin/modelplane.js');

/** `command` → exit column of README's CLI table. */
function readmeExitCodes(): Map<string, string> {
  const rows = new Map<string, string>();
  const start = README.indexOf('## The CLI');
  const section = README.slice(start, README.indexOf('\n## ', start + 1));
  for (const line of section.split('\n')) {
    const m = /^\| `([a-z]+)[^`]*` \|.*\| ([^|]+) \|$/.exec(line);
    if (m && m[1] !== 'command') rows.set(m[1], m[2].trim());
  }
  return rows;
}

describe.concurrent('the modelplane command line', () => {
  let repo: Repo;
  let home: string;
  beforeAll(async () => {
    repo = await makeRepo({ platform: 'fixture', models: ['card-fraud', 'photo-moderation'] });
    home = await mkdtemp(path.join(os.tmpdir(), 'modelplane-home-'));
    const git = (...args: string[]) => execFileAsync('git', args, { cwd: repo.root });
    expect((await repo.run(['synth'])).code).toBe(0);
    await git('init', '--quiet', '--initial-branch=main');
    await git('add', '--all');
    await git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '--quiet', '-m', 'fixture');
  });
  afterAll(async () => {
    await repo?.cleanup();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('--version prints the package version and exits 0', async ({ expect }) => {
    const result = await repo.run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it("every command's help states the exit codes of README's CLI table", async ({ expect }) => {
    const table = readmeExitCodes();
    expect([...table.keys()].sort()).toEqual(['analyze', 'plan', 'promote', 'release', 'rollback', 'simulate', 'synth', 'validate']);
    const top = await repo.run(['--help']);
    expect(top.stdout).toContain('Exit codes: 0 ok; 1 diagnostics, drift, a refused change or a failed check; 2 usage error; 3 external failure');
    const helps = await Promise.all([...table.keys()].map((command) => repo.run([command, '--help'])));
    [...table].forEach(([command, exit], i) => {
      expect(helps[i].code, command).toBe(0);
      expect(helps[i].stdout.replace(/\s+/g, ' '), command).toContain(`(exit ${exit})`);
    });
  }, 300_000);

  it('simulate piped into a reader that closes early ends without an error', async ({ expect }) => {
    // `modelplane simulate ... | head -1`: the pipe is closed after the first line.
    const child = spawn(process.execPath, [BIN, '--root', repo.root, 'simulate', 'photo-moderation', '--env', 'prod'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|internal error/);
    expect(stderr).not.toMatch(STACK_FRAME);
    expect([0, 1]).toContain(code);
  });

  it('promote without a kubeconfig says so and suggests --status-file (exit 3)', async ({ expect }) => {
    const result = await repo.run(['promote', '--env', 'prod'], { HOME: home, KUBECONFIG: undefined, KUBERNETES_SERVICE_HOST: undefined });
    expect(result.stderr).toMatch(/no kubeconfig: KUBECONFIG is not set, .*\.kube\/config does not exist/);
    expect(result.stderr).toContain('--status-file');
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.code).toBe(3);
  });

  it('a malformed --prometheus URL is a usage error (exit 2) naming the value', async ({ expect }) => {
    const result = await repo.run(['analyze', 'card-fraud', '--env', 'prod', '--prometheus', 'localhost:9090']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--prometheus localhost:9090 is not an http:// or https:// URL');
  });

  it('--root of a missing folder says so (exit 2)', async ({ expect }) => {
    const missing = path.join(home, 'no-such-repo');
    const result = await repo.run(['validate', '--root', missing]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--root ${missing} does not exist`);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });
});
