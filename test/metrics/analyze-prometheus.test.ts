/**
 * `modelplane analyze card-fraud --env prod` against a real Prometheus 2.42
 * on 127.0.0.1. Each scenario writes synthetic series (OpenMetrics, one sample
 * every 15 s over the last 30 minutes, ending now), turns them into TSDB
 * blocks with `promtool tsdb create-blocks-from openmetrics`, starts a
 * Prometheus without scrape targets on them, and runs the CLI against a
 * temporary copy of the repository. Scenarios run one after another, each with
 * its own Prometheus, stopped before the next one starts.
 *
 * The fixture's canary: card-fraud 4.2.0 (canary) against 4.1.0 (stable)
 * in risk-prod; policy 'progressive' (error ratio ≤ 0.01, p99 ≤ 100 ms for the
 * critical tier, p99 ratio ≤ 1.5, ≥ 100 requests in 5 m) plus the model's
 * quality checks (approval rate ≥ 0.90 and within 0.02 of stable, score PSI ≤ 0.2).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, type Repo, type RunResult } from '../support/repo.js';

const execFileAsync = promisify(execFile);

const NAMESPACE = 'risk-prod';
const CANARY = 'card-fraud-v4-2-0-predictor';
const STABLE = 'card-fraud-v4-1-0-predictor';
const STEP_SECONDS = 15;
const SPAN_SECONDS = 30 * 60;
const FUTURE_SECONDS = 10 * 60;

/** Cumulative share of requests at or under each bucket bound (ms). */
type Latency = Readonly<Record<string, number>>;
/** p99 ≈ 24.8 ms (inside 10–25 ms). */
const FAST: Latency = { '5': 0.3, '10': 0.6, '25': 0.995, '50': 1, '100': 1, '250': 1, '500': 1, '1000': 1, '+Inf': 1 };
/** p99 ≈ 48.7 ms (inside 25–50 ms): about twice FAST, still under the 100 ms budget. */
const SLOWER: Latency = { '5': 0.2, '10': 0.5, '25': 0.9, '50': 0.995, '100': 1, '250': 1, '500': 1, '1000': 1, '+Inf': 1 };

interface Workload {
  /** Requests per second answered 200 and 503. */
  readonly ok: number;
  readonly errors: number;
  readonly latency: Latency;
  /** Share of fraud decisions that approve. */
  readonly approval: number;
  readonly psi: number;
}

interface Scenario {
  readonly canary?: Workload;
  readonly stable: Workload;
}

const HEALTHY_STABLE: Workload = { ok: 30, errors: 0.01, latency: FAST, approval: 0.95, psi: 0.04 };
const HEALTHY_CANARY: Workload = { ok: 10, errors: 0.002, latency: FAST, approval: 0.95, psi: 0.05 };

/**
 * OpenMetrics text of a scenario, samples every 15 s from `end` − 30 m to
 * `end` (seconds; `end` is 10 minutes after now). Families are not interleaved; each series is in time order.
 */
function openMetrics(scenario: Scenario, end: number): string {
  const times: number[] = [];
  for (let t = end - SPAN_SECONDS; t <= end; t += STEP_SECONDS) times.push(t);
  const elapsed = (t: number) => t - (end - SPAN_SECONDS);
  const workloads = [...(scenario.canary ? [[CANARY, scenario.canary] as const] : []), [STABLE, scenario.stable] as const];
  const lines: string[] = [];
  const series = (name: string, labels: Record<string, string>, value: (t: number) => number) => {
    const text = Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    for (const t of times) lines.push(`${name}{${text}} ${Number(value(t).toFixed(6))} ${t}`);
  };
  const istio = (workload: string) => ({ reporter: 'destination', destination_workload_namespace: NAMESPACE, destination_workload: workload });

  for (const [workload, w] of workloads) {
    series('istio_requests_total', { ...istio(workload), response_code: '200' }, (t) => Math.round(w.ok * elapsed(t)));
    if (w.errors > 0) series('istio_requests_total', { ...istio(workload), response_code: '503' }, (t) => Math.round(w.errors * elapsed(t)));
  }
  for (const [workload, w] of workloads)
    for (const [le, share] of Object.entries(w.latency)) series('istio_request_duration_milliseconds_bucket', { ...istio(workload), le }, (t) => Math.round((w.ok + w.errors) * share * elapsed(t)));
  // Two pods per workload; decisions at the workload's request rate, split between them.
  for (const [workload, w] of workloads)
    for (const pod of [`${workload}-7c9d5b6f48-k2x7q`, `${workload}-7c9d5b6f48-p9w3m`])
      for (const [decision, share] of [
        ['approve', w.approval],
        ['decline', 1 - w.approval],
      ] as const)
        series('fraud_decisions_total', { namespace: NAMESPACE, pod, decision }, (t) => Math.round((w.ok / 2) * share * elapsed(t)));
  for (const [workload, w] of workloads)
    for (const pod of [`${workload}-7c9d5b6f48-k2x7q`, `${workload}-7c9d5b6f48-p9w3m`]) series('model_feature_psi', { namespace: NAMESPACE, pod, feature: 'score' }, () => w.psi);
  return `${lines.join('\n')}\n# EOF\n`;
}

/** A TCP port nothing listens on at the time of the call. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface RunningPrometheus {
  readonly url: string;
  stop(): Promise<void>;
}

/** Backfills the scenario into a fresh TSDB and starts Prometheus on it; resolves once /-/ready answers 200. */
async function startPrometheus(scenario: Scenario, scratch: string, name: string): Promise<RunningPrometheus> {
  const dir = path.join(scratch, name);
  const data = path.join(dir, 'data');
  await mkdir(data, { recursive: true });
  const input = path.join(dir, 'series.om');
  // The series run 10 minutes past now, so every window the CLI queries (at now, however late it starts) is
  // inside the data: the verdicts do not depend on how long the machine takes to get there.
  await writeFile(input, openMetrics(scenario, Math.floor(Date.now() / 1000 / STEP_SECONDS) * STEP_SECONDS + FUTURE_SECONDS));
  await execFileAsync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', input, data]);
  const config = path.join(dir, 'prometheus.yml');
  await writeFile(config, 'global:\n  scrape_interval: 1m\nscrape_configs: []\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${config}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=30d', '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (b: Buffer) => (log += b.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${log}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus on ${url} was not ready within 20 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The table row of one check: `[value, threshold, verdict]`. */
function row(result: RunResult, check: string): [string, string, string] | undefined {
  const match = new RegExp(`^${check}\\s+(\\S+)\\s+(\\S+ \\S+)\\s+(\\S+)$`, 'm').exec(result.stdout);
  return match ? [match[1], match[2], match[3]] : undefined;
}

let repo: Repo;
let scratch: string;

beforeAll(async () => {
  repo = await makeRepo({ platform: 'fixture', models: ['card-fraud'] });
  scratch = await mkdtemp(path.join(os.tmpdir(), 'modelplane-prometheus-'));
});
afterAll(async () => {
  await repo?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Starts Prometheus on the scenario, runs `analyze`, stops Prometheus. */
async function analyze(name: string, scenario: Scenario): Promise<RunResult> {
  const prometheus = await startPrometheus(scenario, scratch, name);
  try {
    return await repo.run(['analyze', 'card-fraud', '--env', 'prod', '--prometheus', prometheus.url]);
  } finally {
    await prometheus.stop();
  }
}

describe('the synthetic series', () => {
  it('end at the given time, one sample every 15 s, as OpenMetrics', () => {
    const text = openMetrics({ canary: HEALTHY_CANARY, stable: HEALTHY_STABLE }, 1_800_000_000);
    expect(text.endsWith('\n# EOF\n')).toBe(true);
    const canaryOk = text.split('\n').filter((l) => l.startsWith(`istio_requests_total{reporter="destination",destination_workload_namespace="risk-prod",destination_workload="${CANARY}",response_code="200"}`));
    expect(canaryOk).toHaveLength(121);
    expect(canaryOk.at(-1)).toMatch(/ 18000 1800000000$/);
    expect(canaryOk[0]).toMatch(/ 0 1799998200$/);
  });
});

describe('modelplane analyze against a real Prometheus', () => {
  it('passes a healthy canary: exit 0 and "verdict: pass"', async () => {
    const result = await analyze('healthy', { canary: HEALTHY_CANARY, stable: HEALTHY_STABLE });
    expect(result.stdout).toContain('analysis of card-fraud 4.2.0 (step 1, 25%) against stable 4.1.0 in prod');
    for (const check of ['error-rate', 'latency-p99', 'latency-vs-stable', 'request-count', 'approval-rate', 'approval-rate-delta', 'score-drift-psi'])
      expect(row(result, check)?.[2], `${check}\n${result.stdout}${result.stderr}`).toBe('pass');
    expect(Number(row(result, 'request-count')![0])).toBeGreaterThanOrEqual(2900);
    expect(Number(row(result, 'latency-vs-stable')![0])).toBeCloseTo(1, 1);
    expect(result.stdout).toMatch(/^verdict: pass$/m);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('fails a canary answering 5 % of requests with 503: exit 1 with error-rate fail', async () => {
    const result = await analyze('errors', { canary: { ...HEALTHY_CANARY, ok: 9.5, errors: 0.5 }, stable: HEALTHY_STABLE });
    const [ratio, threshold, verdict] = row(result, 'error-rate') ?? [];
    expect([threshold, verdict], result.stdout + result.stderr).toEqual(['<= 0.01', 'fail']);
    expect(Number(ratio)).toBeCloseTo(0.05, 2);
    expect(row(result, 'request-count')?.[2]).toBe('pass');
    expect(result.stdout).toMatch(/^verdict: fail \(error-rate: fail\)$/m);
    expect(result.code).toBe(1);
  });

  it('fails a canary whose p99 is twice the stable one: exit 1 with latency-vs-stable fail', async () => {
    const result = await analyze('latency', { canary: { ...HEALTHY_CANARY, latency: SLOWER }, stable: HEALTHY_STABLE });
    const [ratio, threshold, verdict] = row(result, 'latency-vs-stable') ?? [];
    expect([threshold, verdict], result.stdout + result.stderr).toEqual(['<= 1.5', 'fail']);
    expect(Number(ratio)).toBeGreaterThan(1.9);
    expect(Number(ratio)).toBeLessThan(2.1);
    // Under the 100 ms budget of the critical tier: only the comparison with stable fails.
    expect(row(result, 'latency-p99')?.[2]).toBe('pass');
    expect(result.stdout).toMatch(/^verdict: fail \(latency-vs-stable: fail\)$/m);
    expect(result.code).toBe(1);
  });

  it('never passes a canary without traffic: exit 1 with request-count no-data', async () => {
    const result = await analyze('no-traffic', { stable: HEALTHY_STABLE });
    expect(result.stdout, result.stderr).toMatch(/^request-count\s+no data\s+>= 100\s+no-data$/m);
    expect(result.stdout).toMatch(/^error-rate\s+no data\s+<= 0\.01\s+no-data$/m);
    expect(result.stdout).not.toMatch(/^verdict: pass$/m);
    expect(result.stdout).toMatch(/^verdict: inconclusive \(.*request-count: no-data.*\)$/m);
    expect(result.code).toBe(1);
  });

  it('exits 3 when nothing answers at the Prometheus address', async () => {
    const port = await freePort();
    const result = await repo.run(['analyze', 'card-fraud', '--env', 'prod', '--prometheus', `http://127.0.0.1:${port}`]);
    expect(result.stderr).toMatch(new RegExp(`Prometheus at http://127\\.0\\.0\\.1:${port} could not be queried: .*ECONNREFUSED`));
    expect(result.stdout).not.toMatch(/^verdict: pass$/m);
    expect(result.code).toBe(3);
  });
});
