/**
 * `modelplane promote --watch --env prod` against a local HTTP server that
 * speaks the Kubernetes list and watch protocol for AnalysisRuns (newline-
 * delimited JSON events on a held-open response). The fixture's card-fraud
 * canary (4.2.0 at step 1 in prod, namespace risk-prod) is watched: a Running
 * event changes nothing, a dropped watch is re-opened, a Failed event is
 * decided at once (a rollback commit, --no-pr), and SIGTERM ends the watch with
 * exit 0. The assertions wait for what the watcher prints, never for a time.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, REPO_ROOT, type Repo } from '../support/repo.js';

const execFileAsync = promisify(execFile);
const IDENTITY = { GIT_AUTHOR_NAME: 'Test Author', GIT_AUTHOR_EMAIL: 'author@example.com', GIT_COMMITTER_NAME: 'Test Author', GIT_COMMITTER_EMAIL: 'author@example.com' };
const RUNS = '/apis/argoproj.io/v1alpha1/namespaces/risk-prod/analysisruns';

/** A minimal API server: lists AnalysisRuns and holds watches open until the test writes or ends them. */
class FakeApiServer {
  readonly server: Server;
  readonly requests: string[] = [];
  readonly watches: ServerResponse[] = [];
  private lists = 0;
  private waiters: (() => void)[] = [];
  constructor() {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      this.requests.push(`${req.method} ${url.pathname}${url.searchParams.get('watch') === 'true' ? ` watch from ${url.searchParams.get('resourceVersion') ?? '(none)'}` : ''}`);
      if (url.pathname !== RUNS) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', status: 'Failure', code: 404 }));
      } else if (url.searchParams.get('watch') === 'true') {
        res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        res.flushHeaders();
        this.watches.push(res);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRunList', metadata: { resourceVersion: String(++this.lists) }, items: [] }));
      }
      this.waiters.splice(0).forEach((w) => w());
    });
  }
  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as AddressInfo).port)));
  }
  /** Resolves once `n` watch connections have been opened. */
  async watchCount(n: number): Promise<ServerResponse> {
    while (this.watches.length < n) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.watches[n - 1];
  }
  close(): Promise<void> {
    for (const w of this.watches) w.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function event(type: string, name: string, phase: string, message?: string): string {
  const object = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name, namespace: 'risk-prod', creationTimestamp: '2026-12-01T10:00:00Z', resourceVersion: '2' },
    status: { phase, startedAt: '2026-12-01T10:00:00Z', ...(message ? { message } : {}), metricResults: [{ name: 'error-rate', phase, measurements: [{ value: '[0.07]', phase }] }] },
  };
  return `${JSON.stringify({ type, object })}\n`;
}

/** Collects a child's stdout and resolves when a line matches. */
function lineMatching(child: ChildProcess, out: { text: string }, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const check = () => {
      const line = out.text.split('\n').find((l) => pattern.test(l));
      if (line) {
        child.stdout!.off('data', check);
        resolve(line);
      }
    };
    child.stdout!.on('data', check);
    check();
  });
}

describe('promote --watch', () => {
  let repo: Repo;
  let api: FakeApiServer;
  let dir: string;
  const git = async (...args: string[]) => (await execFileAsync('git', args, { cwd: repo.root, env: { ...process.env, ...IDENTITY } })).stdout;

  beforeAll(async () => {
    repo = await makeRepo({ platform: 'fixture', models: ['card-fraud', 'photo-moderation'] });
    expect((await repo.run(['synth'])).code).toBe(0);
    await git('init', '--quiet', '--initial-branch=main');
    await git('add', '--all');
    await git('commit', '--quiet', '-m', 'fixture platform');
    api = new FakeApiServer();
    const port = await api.listen();
    dir = await mkdtemp(path.join(os.tmpdir(), 'modelplane-kube-'));
    await writeFile(
      path.join(dir, 'kubeconfig'),
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: local, cluster: { server: "http://127.0.0.1:' + port + '", insecure-skip-tls-verify: true } }]',
        'users: [{ name: promoter, user: { token: test-token } }]',
        'contexts: [{ name: local, context: { cluster: local, user: promoter } }]',
        'current-context: local',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await api?.close();
    await repo?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('decides the moment the current step’s AnalysisRun fails, survives a dropped watch and stops on SIGTERM with exit 0', async () => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/modelplane.js'), '--root', repo.root, 'promote', '--watch', '--env', 'prod', '--no-pr'], {
      cwd: repo.root,
      env: { ...process.env, ...IDENTITY, KUBECONFIG: path.join(dir, 'kubeconfig'), GITHUB_ACTIONS: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = { text: '' };
    let stderr = '';
    child.stdout!.on('data', (b: Buffer) => (out.text += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      // The pass at start: no run yet, so the canary waits.
      await lineMatching(child, out, /^card-fraud \(prod\): wait: /);
      const first = await api.watchCount(1);
      await lineMatching(child, out, /^promote --watch: watching AnalysisRuns in risk-prod for prod$/);
      first.write(event('MODIFIED', 'card-fraud-v4-2-0-s1', 'Running'));
      // The server drops the watch: the watcher lists again and re-opens it.
      first.destroy();
      const second = await api.watchCount(2);
      expect(stderr).toMatch(/promote --watch: the watch ended/);
      // An ERROR event (the API server's Status, e.g. 410 Gone) ends the watch too; the message is printed.
      second.write(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version: 2 (9)' } })}\n`);
      const third = await api.watchCount(3);
      expect(stderr).toMatch(/promote --watch: the watch ended \(risk-prod: the API server answered 410: too old resource version: 2 \(9\)\)/);
      third.write(event('MODIFIED', 'card-fraud-v4-2-0-s1', 'Failed', 'Metric "error-rate" assessed Failed due to failed (3) > failureLimit (2)'));
      await lineMatching(child, out, /^committed [0-9a-f]{12} on branch modelplane\/rollback\/prod\/card-fraud\/abort-4\.2\.0$/);
      expect(out.text).toMatch(/^promote --watch: AnalysisRun card-fraud-v4-2-0-s1 Failed$/m);
      expect(out.text).toMatch(/^card-fraud \(prod\): rollback: analysis of step 1 ended Failed/m);
      expect(out.text).not.toMatch(/Running/);
      expect(await git('show', 'modelplane/rollback/prod/card-fraud/abort-4.2.0:models/card-fraud.ts')).not.toMatch(/canary:/);
      expect(api.requests.filter((r) => r === `GET ${RUNS}`).length).toBeGreaterThanOrEqual(3);
      // Each watch starts from the resourceVersion of the list just before it.
      const watches = api.requests.filter((r) => r.startsWith(`GET ${RUNS} watch`));
      expect(watches.slice(0, 3)).toEqual([`GET ${RUNS} watch from 1`, `GET ${RUNS} watch from 2`, `GET ${RUNS} watch from 3`]);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out.text).toMatch(/^promote --watch: stopped$/m);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
