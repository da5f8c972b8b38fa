/** The Prometheus the README asks for selects every monitoring object modelplane emits, and the rules use current series. */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compile } from '../../src/cli/compile.js';

const root = path.resolve(import.meta.dirname, '../..');
type Obj = { kind: string; metadata: { name: string; labels?: Record<string, string> }; spec: any };
let objects: { path: string; obj: Obj }[];

beforeAll(async () => {
  const files = (await compile(root)).files ?? [];
  objects = files.filter((f) => f.path.endsWith('.yaml')).map((f) => ({ path: f.path, obj: parse(f.content) as Obj }));
}, 60_000);

/** The Prometheus of README "Monitoring": podMonitorSelector and ruleSelector. */
const PROMETHEUS_SELECTOR = { prometheus: 'modelplane' };
const selects = (labels: Record<string, string> | undefined) => Object.entries(PROMETHEUS_SELECTOR).every(([k, v]) => labels?.[k] === v);
const ofKind = (kind: string) => objects.filter((o) => o.obj.kind === kind);

describe('monitoring objects (issue 11 item 13)', () => {
  it('are all selected by the platform Prometheus: PodMonitors carry the same selector label as the rules', () => {
    expect(ofKind('PodMonitor').length).toBeGreaterThan(10);
    expect(ofKind('PodMonitor').filter((o) => !selects(o.obj.metadata.labels)).map((o) => o.path)).toEqual([]);
    expect(ofKind('PrometheusRule').filter((o) => !selects(o.obj.metadata.labels)).map((o) => o.path)).toEqual([]);
  });

  it('keep the pod labels on every series: honorLabels false and the modelplane labels relabelled', () => {
    for (const { path: p, obj } of ofKind('PodMonitor'))
      for (const e of obj.spec.podMetricsEndpoints) {
        expect(e.honorLabels, p).toBe(false);
        expect(e.relabelings.map((r: { targetLabel: string }) => r.targetLabel), p).toEqual(expect.arrayContaining(['model', 'version']));
      }
  });

  it('alert on a stuck canary with analysis_run_info, not the deprecated analysis_run_phase', () => {
    const exprs = ofKind('PrometheusRule').flatMap((o) => o.obj.spec.groups.flatMap((g: { rules: { alert?: string; expr: string }[] }) => g.rules));
    const stuck = exprs.filter((r) => r.alert === 'ModelCanaryStuck');
    expect(stuck.length).toBeGreaterThan(0);
    for (const r of stuck) expect(r.expr).toMatch(/^max\(analysis_run_info\{/);
    expect(exprs.filter((r) => r.expr.includes('analysis_run_phase'))).toEqual([]);
  });
});

describe('the Prometheus selector of the platform', () => {
  it('is what every PodMonitor and PrometheusRule carries when the platform declares its own', async () => {
    const { cloneReference, asDefinitions } = await import('../support/definitions.js');
    const { resolvePlatform } = await import('../../src/resolve/index.js');
    const { podMonitorManifest, prometheusRuleManifest } = await import('../../src/charts/monitoring.js');
    const d = await cloneReference();
    d.platform.value.metricSources.prometheus.selectorLabels = { 'monitoring.acme.com/instance': 'ml' };
    const platform = resolvePlatform(asDefinitions(d));
    const model = platform.environments.find((e) => e.name === 'prod')!.models[0];
    expect(podMonitorManifest({ platform, model }).metadata?.labels).toMatchObject({ 'monitoring.acme.com/instance': 'ml' });
    expect(prometheusRuleManifest({ platform, model }).metadata?.labels).toMatchObject({ 'monitoring.acme.com/instance': 'ml' });
    expect(podMonitorManifest({ platform, model }).metadata?.labels).not.toHaveProperty('prometheus');
  });
});
