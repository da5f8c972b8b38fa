/**
 * A rollback published the fast way (issue 14 item 3): with
 * `environments.prod.rollbackDelivery: 'push'`, promote's abort of a Failed
 * canary step is committed straight onto the checked-out branch (--no-pr: no
 * side branch, no pull request) and Argo CD's Application is then asked to
 * refresh: a JSON merge patch of `argocd.argoproj.io/refresh: normal`, sent to
 * a local HTTP server standing in for the API server of Argo CD's cluster.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, type Repo } from '../support/repo.js';

const execFileAsync = promisify(execFile);
const IDENTITY = { GIT_AUTHOR_NAME: 'Test Author', GIT_AUTHOR_EMAIL: 'author@example.com', GIT_COMMITTER_NAME: 'Test Author', GIT_COMMITTER_EMAIL: 'author@example.com' };

describe("rollbackDelivery: 'push'", () => {
  let repo: Repo;
  let dir: string;
  let server: Server;
  const requests: { method: string; url: string; type: string; body: string }[] = [];
  const git = async (...args: string[]) => (await execFileAsync('git', args, { cwd: repo.root, env: { ...process.env, ...IDENTITY } })).stdout;

  beforeAll(async () => {
    repo = await makeRepo({ platform: 'fixture', models: ['card-fraud', 'photo-moderation'] });
    await repo.edit('policies/platform.ts', "defaultPolicy: 'progressive' }", "defaultPolicy: 'progressive', rollbackDelivery: 'push' }");
    expect((await repo.run(['synth'])).code).toBe(0);
    await git('init', '--quiet', '--initial-branch=main');
    await git('add', '--all');
    await git('commit', '--quiet', '-m', 'fixture platform, rollbacks pushed in prod');
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', type: String(req.headers['content-type']), body });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'card-fraud-prod', namespace: 'argocd' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    dir = await mkdtemp(path.join(os.tmpdir(), 'modelplane-refresh-'));
    const port = (server.address() as AddressInfo).port;
    await writeFile(
      path.join(dir, 'argocd-kubeconfig'),
      `apiVersion: v1\nkind: Config\nclusters: [{ name: argocd, cluster: { server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true } }]\nusers: [{ name: promoter, user: { token: t } }]\ncontexts: [{ name: argocd, context: { cluster: argocd, user: promoter } }]\ncurrent-context: argocd\n`,
    );
    const run = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: { name: 'card-fraud-v4-2-0-s1', namespace: 'risk-prod', creationTimestamp: '2026-12-01T10:00:00Z' },
      status: { phase: 'Failed', startedAt: '2026-12-01T10:00:00Z', metricResults: [{ name: 'error-rate', phase: 'Failed', measurements: [{ value: '[0.08]', phase: 'Failed' }] }] },
    };
    await writeFile(path.join(dir, 'runs.json'), JSON.stringify({ items: [run] }));
  });
  afterAll(async () => {
    server?.close();
    await repo?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('commits the abort onto main itself and then patches the refresh annotation on card-fraud-prod', async () => {
    const before = (await git('rev-parse', 'HEAD')).trim();
    const result = await repo.run(['promote', '--env', 'prod', '--model', 'card-fraud', '--status-file', path.join(dir, 'runs.json'), '--no-pr', '--refresh-kubeconfig', path.join(dir, 'argocd-kubeconfig')], IDENTITY);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^pushed [0-9a-f]{12} onto main$/m);
    expect(result.stdout).toContain('asked Argo CD to refresh Application argocd/card-fraud-prod');
    expect((await git('rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('main');
    expect((await git('rev-parse', 'HEAD^')).trim()).toBe(before);
    expect(await git('log', '-1', '--format=%(trailers:key=Modelplane-Action,valueonly)')).toBe('abort\n\n');
    expect(await git('branch', '--list', 'modelplane/*')).toBe('');
    expect(await git('show', 'HEAD:models/card-fraud.ts')).not.toMatch(/canary:/);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'PATCH', url: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/card-fraud-prod', type: 'application/merge-patch+json' });
    expect(JSON.parse(requests[0].body)).toEqual({ metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } });
  });
});
