import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { compile } from '../../src/cli/compile.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
let dir: string;
let files: readonly { path: string; content: string }[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'modelplane-slo-'));
  const result = await compile(root);
  files = result.files ?? [];
  expect(files.length).toBeGreaterThan(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Rule = { alert?: string; record?: string; annotations?: Record<string, string> };

function rulesOf(file: string) {
  const f = files.find((x) => x.path === file);
  if (!f) throw new Error(`${file} not generated`);
  return parse(f.content) as { spec: { groups: { name: string; rules: Rule[] }[] } };
}

function annotationsOf(alert: string): Record<string, string> {
  const rule = rulesOf(FRAUD).spec.groups.flatMap((g) => g.rules).find((r) => r.alert === alert);
  if (!rule) throw new Error(`no alert ${alert}`);
  return rule.annotations ?? {};
}

async function promtool(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: dir });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: `${err.stdout}${err.stderr}` };
  }
}

const FRAUD = 'generated/prod/fraud-detector/prometheusrule-fraud-detector.yaml';
const SERIES = (code: string, workload = 'fraud-detector-v4-1-0-predictor') =>
  `istio_requests_total{reporter="destination",destination_workload_namespace="risk-prod",destination_workload="${workload}",response_code="${code}"}`;
const ALERT_LABELS = { model: 'fraud-detector', namespace: 'risk-prod', owner: 'risk', team: 'risk', tier: 'critical' };

describe('PrometheusRules', () => {
  it('pass promtool check rules for every model in every environment', async () => {
    const groups = files
      .filter((f) => f.path.includes('/prometheusrule-'))
      .flatMap((f) => (parse(f.content) as { spec: { groups: { name: string }[] } }).spec.groups.map((g) => ({ ...g, name: `${f.path}:${g.name}` })));
    expect(groups.length).toBeGreaterThan(20);
    writeFileSync(path.join(dir, 'all.rules.yaml'), stringify({ groups }, { lineWidth: 0 }));
    const result = await promtool(['check', 'rules', 'all.rules.yaml']);
    expect(result.out).toContain('SUCCESS');
    expect(result.code, result.out).toBe(0);
  });

  it('page a 99.9 % critical model within 5 minutes at 2 % errors, never at 0.05 %, and raise absent-metrics (not burn rate) without traffic', async () => {
    const rule = rulesOf(FRAUD);
    writeFileSync(path.join(dir, 'fraud.rules.yaml'), stringify({ groups: rule.spec.groups }, { lineWidth: 0 }));
    const burn = ['ModelErrorBudgetBurnFast', 'ModelErrorBudgetBurnSustained', 'ModelErrorBudgetBurnSlow', 'ModelErrorBudgetBurnChronic'];
    const none = (evalTime: string) => burn.map((alertname) => ({ eval_time: evalTime, alertname, exp_alerts: [] }));
    const tests = {
      rule_files: ['fraud.rules.yaml'],
      evaluation_interval: '30s',
      tests: [
        {
          // 100 rps, 2 % of them 503 from the start.
          interval: '1m',
          input_series: [
            { series: SERIES('200'), values: '0+5880x180' },
            { series: SERIES('503'), values: '0+120x180' },
          ],
          alert_rule_test: [
            {
              eval_time: '5m',
              alertname: 'ModelErrorBudgetBurnFast',
              exp_alerts: [{ exp_labels: { ...ALERT_LABELS, severity: 'page', slo: 'availability' }, exp_annotations: annotationsOf('ModelErrorBudgetBurnFast') }],
            },
          ],
        },
        {
          // 100 rps, 0.05 % of them 503 for three hours: within a 99.9 % objective.
          interval: '1m',
          input_series: [
            { series: SERIES('200'), values: '0+5997x180' },
            { series: SERIES('503'), values: '0+3x180' },
          ],
          alert_rule_test: [...none('10m'), ...none('1h'), ...none('3h')],
        },
        {
          // No traffic at all: no series.
          interval: '1m',
          input_series: [{ series: 'up{job="unrelated"}', values: '1x30' }],
          alert_rule_test: [
            ...none('15m'),
            {
              eval_time: '15m',
              alertname: 'ModelMetricsAbsent',
              exp_alerts: [
                {
                  exp_labels: { ...ALERT_LABELS, severity: 'page', reporter: 'destination', destination_workload_namespace: 'risk-prod' },
                  exp_annotations: annotationsOf('ModelMetricsAbsent'),
                },
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(path.join(dir, 'fraud.test.yaml'), stringify(tests, { lineWidth: 0 }));
    const result = await promtool(['test', 'rules', 'fraud.test.yaml']);
    expect(result.out).toContain('SUCCESS');
    expect(result.code, result.out).toBe(0);
  });

  it('fail the promtool test when the page threshold is not met (the test can fail)', async () => {
    const tests = {
      rule_files: ['fraud.rules.yaml'],
      evaluation_interval: '30s',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: SERIES('200'), values: '0+5997x30' },
            { series: SERIES('503'), values: '0+3x30' },
          ],
          alert_rule_test: [
            {
              eval_time: '5m',
              alertname: 'ModelErrorBudgetBurnFast',
              exp_alerts: [{ exp_labels: { ...ALERT_LABELS, severity: 'page', slo: 'availability' }, exp_annotations: annotationsOf('ModelErrorBudgetBurnFast') }],
            },
          ],
        },
      ],
    };
    writeFileSync(path.join(dir, 'negative.test.yaml'), stringify(tests, { lineWidth: 0 }));
    const result = await promtool(['test', 'rules', 'negative.test.yaml']);
    expect(result.code).not.toBe(0);
  });
});
