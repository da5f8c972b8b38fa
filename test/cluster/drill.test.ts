// Unit tests of the drill's harness (the drill itself runs with `npm run cluster -- drill`): the GitHub
// stand-in behind modelplane's own GitHub client, the HTTPS Git server, the platform edit, scoped errors.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeClient, publishPullRequest, pushToBase } from '../../src/github/index.js';
import { LocalGitHub } from './lib/github.js';
import { serveGit } from './lib/githttp.js';
import { Exporter } from './lib/metrics.js';
import { pointPlatformAt } from './lib/platform.js';

const ENV = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t.invalid' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] }).trim();

const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A bare repository with one commit on main (a.txt, b.txt) and a clone of it. */
function repository(): { bare: string; work: string } {
  const dir = mkdtempSync(join(tmpdir(), 'drill-test-'));
  dirs.push(dir);
  const bare = join(dir, 'platform.git');
  const work = join(dir, 'work');
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  git(dir, 'init', '--quiet', '--initial-branch=main', work);
  writeFileSync(join(work, 'a.txt'), 'a\n');
  writeFileSync(join(work, 'b.txt'), 'b\n');
  git(work, 'add', '--all');
  git(work, 'commit', '--quiet', '-m', 'first');
  git(work, 'push', '--quiet', bare, 'HEAD:main');
  return { bare, work };
}

async function localGitHub(bare: string) {
  const github = new LocalGitHub(bare);
  await github.listen();
  closers.push(() => github.close());
  const config = { token: github.token, owner: github.owner, repo: github.repo, apiUrl: github.url };
  return { github, config, octokit: makeClient(config, { maxRetries: 0 }) };
}

describe("the drill's GitHub stand-in", () => {
  it("takes modelplane's direct push (pushToBase) into the real repository: files written and removed, main moved", async () => {
    const { bare } = repository();
    const { github, config, octokit } = await localGitHub(bare);
    const before = github.head('main')!;
    const { commit } = await pushToBase(octokit, config, { base: 'main', message: 'roll back\n\nModelplane-Action: abort\n' }, async () => ({
      files: [
        { path: 'dir/c.txt', content: 'c\n' },
        { path: 'b.txt', content: null },
      ],
      body: '',
    }));
    expect(git(bare, 'rev-parse', 'main')).toBe(commit);
    expect(git(bare, 'rev-parse', `${commit}^`)).toBe(before);
    expect(git(bare, 'show', `${commit}:dir/c.txt`)).toBe('c');
    expect(git(bare, 'ls-tree', '--name-only', '-r', commit).split('\n').sort()).toEqual(['a.txt', 'dir/c.txt']);
    expect(git(bare, 'log', '-1', '--format=%B', commit)).toContain('Modelplane-Action: abort');
    expect(github.events.map((e) => e.what)).toEqual(['ref-updated']);
  });

  it('refuses a ref update that is not a fast-forward, as GitHub does (422)', async () => {
    const { bare, work } = repository();
    const { octokit, config } = await localGitHub(bare);
    const first = git(work, 'rev-parse', 'HEAD');
    writeFileSync(join(work, 'a.txt'), 'a2\n');
    git(work, 'commit', '--quiet', '-am', 'second');
    git(work, 'push', '--quiet', bare, 'HEAD:main');
    await expect(octokit.rest.git.updateRef({ owner: config.owner, repo: config.repo, ref: 'heads/main', sha: first, force: false })).rejects.toMatchObject({ status: 422 });
    expect(git(bare, 'rev-parse', 'main')).toBe(git(work, 'rev-parse', 'HEAD'));
  });

  it('opens a pull request on a new branch and merges it by fast-forward when asked', async () => {
    const { bare } = repository();
    const { github, config, octokit } = await localGitHub(bare);
    const result = await publishPullRequest(octokit, config, { base: 'main', branch: 'modelplane/prod/m/advance', title: 'advance m', labels: ['modelplane'], autoMerge: true, message: 'advance m\n' }, async () => ({
      files: [{ path: 'a.txt', content: 'advanced\n' }],
      body: 'body',
    }));
    expect(result.created).toBe(true);
    const pr = github.pulls[0];
    expect(pr).toMatchObject({ number: result.number, head: 'modelplane/prod/m/advance', base: 'main', state: 'open', autoMerge: true });
    const merged = github.merge(pr);
    expect(git(bare, 'rev-parse', 'main')).toBe(merged);
    expect(git(bare, 'show', 'main:a.txt')).toBe('advanced');
    expect(pr.state).toBe('closed');
  });

  it('answers 401 without the token', async () => {
    const { bare } = repository();
    const { github } = await localGitHub(bare);
    const res = await fetch(`${github.url}/repos/${github.owner}/${github.repo}/git/ref/heads/main`);
    expect(res.status).toBe(401);
  });
});

describe("the drill's HTTPS Git server", () => {
  it('serves clones over https (git http-backend) and refuses pushes', async () => {
    const { bare } = repository();
    const server = await serveGit(bare, join(mkdtempSync(join(tmpdir(), 'drill-tls-')), 'tls'));
    closers.push(() => server.close());
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/platform\.git$/);
    const into = mkdtempSync(join(tmpdir(), 'drill-clone-'));
    dirs.push(into);
    const run = (args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        const child = execFile('git', args, { cwd: into, env: { ...process.env, ...ENV, GIT_SSL_NO_VERIFY: '1' } }, (error: any, stdout: string, stderr: string) =>
          resolve({ code: error ? (error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
        );
        void child;
      });
    const clone = await run(['clone', '--quiet', server.url, 'c']);
    expect(clone.code, clone.out).toBe(0);
    expect(readFileSync(join(into, 'c', 'a.txt'), 'utf8')).toBe('a\n');
    writeFileSync(join(into, 'c', 'a.txt'), 'x\n');
    git(join(into, 'c'), 'commit', '--quiet', '-am', 'x');
    const push = await run(['-C', 'c', 'push', 'origin', 'HEAD:main']);
    expect(push.code).not.toBe(0);
  });
});

describe('pointing the platform at the suite', () => {
  const text = readFileSync(new URL('../../policies/platform.ts', import.meta.url), 'utf8');
  const settings = { repoURL: 'https://127.0.0.1:1/platform.git', cluster: 'https://kubernetes.default.svc', prometheus: 'http://127.0.0.1:2', rollbackDelivery: 'push' as const };

  it('sets the repository, the environment\'s cluster and rollback delivery and the Prometheus address, keeping the rest', () => {
    const out = pointPlatformAt(text, 'prod', settings);
    expect(out).toContain('repoURL: "https://127.0.0.1:1/platform.git"');
    expect(out).toContain('address: "http://127.0.0.1:2"');
    const prod = out.slice(out.indexOf('    prod: {'), out.indexOf('nodePools'));
    expect(prod).toContain('cluster: "https://kubernetes.default.svc"');
    expect(prod).toContain('rollbackDelivery: "push"');
    expect(out).toContain("cluster: 'https://staging.k8s.acme.internal'");
    expect(out).toContain('// Canary analysis reads Istio');
    expect(out).not.toContain('acme/ml-platform.git');
  });

  it('names the field it cannot edit', () => {
    expect(() => pointPlatformAt(text, 'qa', settings)).toThrow(/environments\.qa is not written as an object literal/);
    expect(() => pointPlatformAt('export default 1;\n', 'prod', settings)).toThrow(/definePlatform/);
  });
});

describe('errors on one workload', () => {
  it('puts errors only on the series of the named workload', () => {
    const e = new Exporter();
    e.add('sum(increase(istio_requests_total{destination_workload="m-v2-predictor",response_code=~"5.."}[1m])) / sum(increase(istio_requests_total{destination_workload="m-v2-predictor"}[1m]))');
    e.add('sum(increase(istio_requests_total{destination_workload="m-v1-predictor",response_code=~"5.."}[1m]))');
    const from = e.startErrors({ label: 'destination_workload', value: 'm-v2-predictor' });
    const lines = e.render(from + 10_000).split('\n');
    const value = (workload: string, code: string) => Number(lines.find((l) => l.includes(`destination_workload="${workload}"`) && l.includes(`response_code="${code}"`))?.split(' ').pop());
    expect(value('m-v2-predictor', '500')).toBeGreaterThan(0);
    expect(value('m-v1-predictor', '500')).toBe(0);
  });
});
