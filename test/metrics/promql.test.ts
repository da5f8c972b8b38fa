/**
 * What the reference platform emits for progressive delivery, checked with the
 * real tools: every PromQL query of every AnalysisTemplate and AnalysisRun
 * parses with `promtool check rules` (Prometheus 2.42), every HTTPRoute,
 * AnalysisTemplate and AnalysisRun passes its CRD schema (closed objects), and
 * the routes of the reference canary and tenant pin are laid out as designed.
 * The repository is compiled in-process; nothing is written under it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { compile } from '../../src/cli/compile.js';
import { validateCrdObject } from '../support/crd-validator.js';
import { REPO_ROOT } from '../support/repo.js';

const execFileAsync = promisify(execFile);

interface Emitted {
  readonly path: string;
  readonly object: {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string> };
    spec: Record<string, unknown>;
  };
}

interface Metric {
  name: string;
  successCondition: string;
  provider: { prometheus: { address: string; query: string; timeout: number } };
}

interface BackendRef {
  name: string;
  port: number;
  weight?: number;
}
interface RouteRule {
  matches: { path: { type: string; value: string }; headers?: { type: string; name: string; value: string }[] }[];
  backendRefs: BackendRef[];
}

/** Values bound to an AnalysisTemplate's `{{args.*}}` placeholders for promtool. */
const SAMPLE_ARGS: Record<string, string> = {
  namespace: 'risk-prod',
  'canary-workload': 'fraud-detector-v4-2-0-predictor',
  'stable-workload': 'fraud-detector-v4-1-0-predictor',
};

const bindArgs = (query: string, args: Record<string, string>) => query.replace(/\{\{args\.([a-z-]+)\}\}/g, (all, name: string) => args[name] ?? all);

let emitted: Emitted[];
const ofKind = (kind: string) => emitted.filter((e) => e.object.kind === kind);
const metricsOf = (e: Emitted) => (e.object.spec.metrics as Metric[]) ?? [];
const rulesOf = (e: Emitted) => e.object.spec.rules as RouteRule[];
const find = (file: string) => {
  const found = emitted.find((e) => e.path === file);
  if (!found) throw new Error(`${file} was not emitted`);
  return found;
};

beforeAll(async () => {
  const result = await compile(REPO_ROOT);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  emitted = result
    .files!.filter((f) => f.path.endsWith('.yaml'))
    .map((f) => ({ path: f.path, object: parse(f.content) as Emitted['object'] }))
    .filter((e) => ['HTTPRoute', 'AnalysisTemplate', 'AnalysisRun'].includes(e.object?.kind));
});

describe('what the reference platform emits for progressive delivery', () => {
  it('has an AnalysisTemplate per model and policy, and the AnalysisRun of the fraud-detector canary step', () => {
    expect(ofKind('AnalysisTemplate').length).toBeGreaterThanOrEqual(10);
    expect(ofKind('HTTPRoute').length).toBeGreaterThanOrEqual(16);
    expect(ofKind('AnalysisRun').map((e) => e.path)).toContain('generated/prod/fraud-detector/analysisrun-fraud-detector-v4-2-0-s1.yaml');
  });

  it('binds every AnalysisRun query to concrete names and leaves only {{args.*}} placeholders in templates', () => {
    for (const run of ofKind('AnalysisRun')) for (const m of metricsOf(run)) expect(m.provider.prometheus.query, `${run.path} ${m.name}`).not.toContain('{{');
    for (const t of ofKind('AnalysisTemplate')) {
      const declared = (t.object.spec.args as { name: string }[]).map((a) => a.name);
      for (const m of metricsOf(t)) {
        const used = [...m.provider.prometheus.query.matchAll(/\{\{([^}]*)\}\}/g)].map((x) => x[1]);
        for (const placeholder of used) expect(declared.map((d) => `args.${d}`), `${t.path} ${m.name}`).toContain(placeholder);
      }
    }
  });

  it('gives the fraud-detector AnalysisRun the same checks as its template, bound to the canary and stable predictors', () => {
    const run = find('generated/prod/fraud-detector/analysisrun-fraud-detector-v4-2-0-s1.yaml');
    const template = find('generated/prod/fraud-detector/analysistemplate-fraud-detector-progressive.yaml');
    expect(metricsOf(run).map((m) => m.name)).toEqual(['error-rate', 'latency-p99', 'latency-vs-stable', 'request-count', 'approval-rate', 'approval-rate-delta', 'score-drift-psi']);
    expect(metricsOf(run)).toEqual(
      metricsOf(template).map((m) => ({ ...m, provider: { prometheus: { ...m.provider.prometheus, query: bindArgs(m.provider.prometheus.query, SAMPLE_ARGS) } } })),
    );
  });

  it('never lets an empty, NaN or infinite result pass a success condition', () => {
    for (const e of [...ofKind('AnalysisTemplate'), ...ofKind('AnalysisRun')])
      for (const m of metricsOf(e)) expect(m.successCondition, `${e.path} ${m.name}`).toMatch(/^len\(result\) > 0 && !isNaN\(result\[0\]\) && !isInf\(result\[0\]\) && result\[0\] (<=|>=|<|>|==) -?[\d.e-]+$/);
  });
});

describe('promtool check rules on every analysis query', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'modelplane-promql-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('accepts every query, wrapped as a recording rule', async () => {
    const sources = [...ofKind('AnalysisTemplate'), ...ofKind('AnalysisRun')];
    const groups = sources.map((e, g) => ({
      name: e.path,
      rules: metricsOf(e).map((m, i) => ({
        record: `modelplane:analysis_g${g}_r${i}`,
        expr: e.object.kind === 'AnalysisTemplate' ? bindArgs(m.provider.prometheus.query, SAMPLE_ARGS) : m.provider.prometheus.query,
        labels: { metric: m.name },
      })),
    }));
    const count = groups.reduce((n, g) => n + g.rules.length, 0);
    expect(count).toBeGreaterThan(100);
    const file = path.join(dir, 'analysis.rules.yaml');
    await writeFile(file, stringify({ groups }, { lineWidth: 0 }));
    const result = await execFileAsync('promtool', ['check', 'rules', file]).then(
      (r) => ({ code: 0, out: `${r.stdout}${r.stderr}` }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }),
    );
    expect(result.out).toContain(`SUCCESS: ${count} rules found`);
    expect(result.code, result.out).toBe(0);
  });

  it('rejects a broken query, so the check above is not vacuous', async () => {
    const file = path.join(dir, 'broken.rules.yaml');
    await writeFile(file, stringify({ groups: [{ name: 'broken', rules: [{ record: 'x:y', expr: 'sum(rate(istio_requests_total[5m])' }] }] }));
    await expect(execFileAsync('promtool', ['check', 'rules', file])).rejects.toMatchObject({ code: 1 });
  });
});

describe('CRD schemas of the emitted delivery objects', () => {
  it('accepts every HTTPRoute, AnalysisTemplate and AnalysisRun', () => {
    const failures = emitted.flatMap((e) => validateCrdObject(e.object).map((error) => `${e.path} ${error}`));
    expect(failures).toEqual([]);
    expect(emitted.length).toBeGreaterThan(40);
  });

  it('rejects an unknown field in each kind, so the schemas are closed', () => {
    const route = structuredClone(find('generated/prod/fraud-detector/httproute-fraud-detector.yaml').object);
    (rulesOf({ path: '', object: route })[0] as unknown as Record<string, unknown>).retries = 3;
    expect(validateCrdObject(route)).toEqual(['/spec/rules/0/retries: must NOT have additional properties (retries)']);

    for (const file of ['generated/prod/fraud-detector/analysistemplate-fraud-detector-progressive.yaml', 'generated/prod/fraud-detector/analysisrun-fraud-detector-v4-2-0-s1.yaml']) {
      const object = structuredClone(find(file).object);
      ((object.spec.metrics as Metric[])[0].provider.prometheus as unknown as Record<string, unknown>).step = '1m';
      expect(validateCrdObject(object), file).toEqual(['/spec/metrics/0/provider/prometheus/step: must NOT have additional properties (step)']);
    }
  });
});

describe('HTTPRoutes of the reference platform', () => {
  const weights = (rule: RouteRule) => rule.backendRefs.map((b) => [b.name, b.weight]);
  const headerNames = (rule: RouteRule) => [...new Set(rule.matches.flatMap((m) => (m.headers ?? []).map((h) => h.name)))];

  it('sends 75 % of fraud-detector prod traffic to stable 4.1.0 and 25 % to canary 4.2.0 in the last rule', () => {
    const rules = rulesOf(find('generated/prod/fraud-detector/httproute-fraud-detector.yaml'));
    const last = rules.at(-1)!;
    expect(weights(last)).toEqual([
      ['fraud-detector-v4-1-0-predictor', 75],
      ['fraud-detector-v4-2-0-predictor', 25],
    ]);
    expect(last.backendRefs.every((b) => b.port === 80)).toBe(true);
    expect(last.matches.map((m) => m.path.value)).toEqual(['/v1/models/fraud-detector:predict', '/v1/models/fraud-detector:explain', '/v1/models/fraud-detector', '/v2/models/fraud-detector']);
    expect(last.matches.every((m) => m.headers === undefined)).toBe(true);
  });

  it('puts the x-model-version rules of fraud-detector prod before the split', () => {
    const rules = rulesOf(find('generated/prod/fraud-detector/httproute-fraud-detector.yaml'));
    const before = rules.slice(0, -1);
    expect(before.map(headerNames)).toEqual([['x-model-version'], ['x-model-version']]);
    expect(before.map((r) => [r.matches[0].headers![0].value, r.backendRefs.map((b) => b.name)])).toEqual([
      ['4.1.0', ['fraud-detector-v4-1-0-predictor']],
      ['4.2.0', ['fraud-detector-v4-2-0-predictor']],
    ]);
  });

  it('pins tenant-a of search-ranker prod to 2.3.1 in the first rule', () => {
    const rules = rulesOf(find('generated/prod/search-ranker/httproute-search-ranker.yaml'));
    expect(headerNames(rules[0])).toEqual(['x-tenant']);
    expect(rules[0].matches.every((m) => m.headers!.length === 1 && m.headers![0].type === 'Exact' && m.headers![0].value === 'tenant-a')).toBe(true);
    expect(rules[0].matches).toHaveLength(4);
    expect(rules[0].backendRefs).toEqual([{ name: 'search-ranker-v2-3-1-predictor', port: 80 }]);
    expect(weights(rules.at(-1)!)).toEqual([['search-ranker-v2-4-0-predictor', 100]]);
  });

  it('orders every route tenant rules, then version rules, then one header-less split whose weights sum to 100', () => {
    for (const route of ofKind('HTTPRoute')) {
      const rules = rulesOf(route);
      const kinds = rules.map((r) => headerNames(r).join(',') || 'split');
      expect(kinds.at(-1), route.path).toBe('split');
      expect(kinds.slice(0, -1).every((k) => k === 'x-tenant' || k === 'x-model-version'), route.path).toBe(true);
      const firstVersionRule = kinds.indexOf('x-model-version');
      if (firstVersionRule >= 0) expect(kinds.slice(firstVersionRule), route.path).not.toContain('x-tenant');
      const split = rules.at(-1)!.backendRefs;
      expect(split.reduce((n, b) => n + (b.weight ?? 0), 0), route.path).toBe(100);
      for (const rule of rules.slice(0, -1)) expect(rule.backendRefs.every((b) => b.weight === undefined), route.path).toBe(true);
    }
  });
});
