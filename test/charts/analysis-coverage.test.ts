/**
 * No late regression passes a step (issue 11 item 14) and each tier's rollback
 * budget (issue 14 item 4), read from the emitted AnalysisRuns and templates
 * and from `plan`'s Markdown.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compile, type Compilation } from '../../src/cli/compile.js';
import { detection, tierBudgets } from '../../src/metrics/index.js';
import { durationSeconds } from '../../src/resolve/duration.js';
import { budgetMarkdown } from '../../src/plan/markdown.js';

const root = path.resolve(import.meta.dirname, '../..');
let result: Compilation;
type Metric = { name: string; interval: string; initialDelay: string; count: number; failureLimit: number; provider: { prometheus: { query: string } } };
type Run = { kind: string; metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> }; spec: { metrics: Metric[] } };

beforeAll(async () => {
  result = await compile(root);
}, 60_000);

const runs = () =>
  (result.files ?? [])
    .filter((f) => /\/analysisrun-[^/]+\.yaml$/.test(f.path))
    .map((f) => ({ path: f.path, run: parse(f.content) as Run }));

describe('emitted AnalysisRuns', () => {
  it('fail their step for every regression that starts during it, even one just past the threshold', () => {
    expect(runs().length).toBeGreaterThan(0);
    for (const { path: p, run } of runs()) {
      const policy = result.definitions.policies.find((x) => x.value.name === run.metadata.labels['modelplane.io/policy'])!.value;
      const pause = durationSeconds(policy.steps[Number(run.metadata.labels['modelplane.io/step'])].pause);
      for (const m of run.spec.metrics.filter((x) => ['error-rate', 'latency-p99', 'latency-vs-stable'].includes(x.name))) {
        const window = Math.max(...[...m.provider.prometheus.query.matchAll(/\[(\d+[smh])\]/g)].map((w) => durationSeconds(w[1])));
        const timing = { initialDelaySeconds: durationSeconds(m.initialDelay), intervalSeconds: durationSeconds(m.interval), count: m.count, failureLimit: m.failureLimit, windowSeconds: window };
        const d = detection(timing, pause, 'marginal', 15);
        expect(d.passesIfStartingAfterSeconds, `${p} ${m.name}: a regression starting after this many seconds of the ${pause} s step passes`).toBeUndefined();
      }
    }
  });

  it('measure a critical model every 20 s over 1-minute windows, failing at the second bad measurement', () => {
    const fraud = runs().find((r) => r.path.startsWith('generated/prod/fraud-detector/'))!;
    const error = fraud.run.spec.metrics.find((m) => m.name === 'error-rate')!;
    expect({ interval: error.interval, initialDelay: error.initialDelay, count: error.count, failureLimit: error.failureLimit }).toEqual({ interval: '20s', initialDelay: '20s', count: 35, failureLimit: 1 });
    expect(error.provider.prometheus.query).toContain('[1m]');
  });
});

describe('rollback budget', () => {
  it('puts every tier in use within its objective, critical at 149 s of 180 s', () => {
    const budgets = tierBudgets(result.platform!);
    const critical = budgets.find((b) => b.policy === 'progressive' && b.tier === 'critical')!;
    expect(critical).toMatchObject({ detectionSevereSeconds: 69, detectionMarginalSeconds: 114, pathSeconds: 80, totalSeconds: 149, objectiveSeconds: 180 });
    for (const b of budgets) expect(b.totalSeconds, `${b.policy} ${b.tier}`).toBeLessThanOrEqual(b.objectiveSeconds);
    expect(budgets.map((b) => `${b.policy}/${b.tier}`)).toEqual(expect.arrayContaining(['progressive/critical', 'progressive/standard', 'progressive/batch', 'fast/critical']));
  });

  it("is printed by plan as one row per policy and tier with each tier's worst case", () => {
    const md = budgetMarkdown(tierBudgets(result.platform!)).join('\n');
    expect(md).toContain('### Rollback budget (worst case)');
    expect(md).toMatch(/\| progressive \(prod\) \| critical \| every 20 s over 60 s \| 2 failures \| 35 × 20 s = 700 s for a 600 s pause \| 69 s \(114 s\) \| 80 s \| \*\*149 s\*\* \| 180 s ✓ \|/);
    expect(md).toMatch(/\| progressive \(prod\) \| batch \| .* \| \*\*289 s\*\* \| 900 s ✓ \|/);
  });
});
