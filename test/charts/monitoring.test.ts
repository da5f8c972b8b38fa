/**
 * The Prometheus the README asks for selects every monitoring object modelplane
 * emits, the PodMonitors scrape the port where each runtime really exports its
 * metrics, and every query selects only series that the model's runtime, its
 * Istio sidecar or a platform exporter exports (src/metrics/series.ts, read
 * from upstream), or that its own rules record.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parser } from '@prometheus-io/lezer-promql';
import { compile } from '../../src/cli/compile.js';
import { EXPORTED_SERIES, platformExporters, runtimeExporters, type SeriesExporter } from '../../src/metrics/series.js';
import type { ResolvedModel, ResolvedPlatform } from '../../src/resolve/index.js';

const root = path.resolve(import.meta.dirname, '../..');
type Obj = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec: any; data?: Record<string, string> };
let objects: { path: string; obj: Obj }[];
let platform: ResolvedPlatform;

beforeAll(async () => {
  const result = await compile(root);
  platform = result.platform!;
  objects = (result.files ?? []).filter((f) => f.path.endsWith('.yaml')).map((f) => ({ path: f.path, obj: parse(f.content) as Obj }));
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

/** Metric names a PromQL text selects (every vector selector's name), parsed with Prometheus' own grammar. */
function selectedNames(expr: string): string[] {
  const text = expr.replace(/\{\{[A-Za-z_.-]+\}\}/g, (p) => 'x'.repeat(p.length));
  const out: string[] = [];
  let error: string | undefined;
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) error ??= text.slice(node.from, node.from + 20);
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) out.push(text.slice(id.from, id.to));
      }
    },
  });
  if (error !== undefined) throw new Error(`does not parse at ${JSON.stringify(error)}: ${expr}`);
  return out;
}

/** Every PromQL text of a model's folder: rules, dashboard panels, analysis queries, KEDA triggers. */
function expressionsIn(dir: string): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  for (const { path: p, obj } of objects.filter((o) => o.path.startsWith(`${dir}/`))) {
    if (obj.kind === 'PrometheusRule') for (const g of obj.spec.groups) for (const r of g.rules) out.push({ where: `${p} ${r.record ?? r.alert}`, expr: r.expr });
    if (obj.kind === 'ConfigMap' && obj.metadata.labels?.grafana_dashboard)
      for (const json of Object.values(obj.data ?? {})) for (const panel of JSON.parse(json).panels) for (const t of panel.targets) out.push({ where: `${p} ${panel.title}`, expr: t.expr });
    if (obj.kind === 'AnalysisTemplate' || obj.kind === 'AnalysisRun') for (const m of obj.spec.metrics) out.push({ where: `${p} ${m.name}`, expr: m.provider.prometheus.query });
    if (obj.kind === 'ScaledObject') for (const t of obj.spec.triggers) out.push({ where: `${p} trigger`, expr: t.metadata.query });
  }
  return out;
}

const GENERATIVE = new Set(['llm', 'text-generation', 'chat', 'text2text-generation']);

describe('every query selects only series that are exported (item 13)', () => {
  const models = () => platform.environments.flatMap((e) => e.models.map((m) => ({ env: e.name, model: m })));
  /** Exporters of a model: its versions' runtimes (by the emitted ServingRuntime's kind), the sidecar where injected, the platform's. */
  const exportersOf = (env: string, model: ResolvedModel): SeriesExporter[] => {
    const out = new Set<SeriesExporter>(platformExporters(model.pool.kind === 'gpu'));
    for (const isvc of objects.filter((o) => o.path.startsWith(`generated/${env}/${model.id}/`) && o.obj.kind === 'InferenceService')) {
      const runtime = objects.find((o) => o.obj.kind === 'ServingRuntime' && o.path.startsWith(`generated/${env}/`) && o.obj.metadata.namespace === model.namespace && o.obj.metadata.name === isvc.obj.spec.predictor.model.runtime)!;
      for (const e of runtimeExporters(runtime.obj.metadata.labels!['modelplane.io/runtime-kind'], GENERATIVE.has(model.taskType))) out.add(e);
    }
    const ns = objects.find((o) => o.obj.kind === 'Namespace' && o.obj.metadata.name === model.namespace && o.path.startsWith(`generated/${env}/`));
    if (ns?.obj.metadata.labels?.['istio-injection'] === 'enabled') out.add('istio-proxy');
    return [...out];
  };

  it('parses every generated expression and finds each selected name in the table of the model\'s exporters', () => {
    const missing: string[] = [];
    const declared = new Set<string>();
    let checked = 0;
    for (const { env, model } of models()) {
      const dir = `generated/${env}/${model.id}`;
      const exported = new Set(exportersOf(env, model).flatMap((e) => EXPORTED_SERIES[e].series));
      const rules = objects.find((o) => o.path.startsWith(`${dir}/`) && o.obj.kind === 'PrometheusRule')!;
      const recorded = new Set<string>(rules.obj.spec.groups.flatMap((g: { rules: { record?: string }[] }) => g.rules.flatMap((r) => (r.record ? [r.record] : []))));
      // The model's and its policies' own quality queries read series the model team declares (its code or a drift job exports them).
      const ownQueries = [...model.quality, ...platform.policies.flatMap((p) => p.analysis.quality)].flatMap((q) => selectedNames(q.query));
      for (const { where, expr } of expressionsIn(dir))
        for (const name of selectedNames(expr)) {
          checked++;
          if (exported.has(name) || recorded.has(name)) continue;
          if (ownQueries.includes(name)) declared.add(name);
          else missing.push(`${where}: ${name}`);
        }
    }
    expect(checked).toBeGreaterThan(500);
    expect(missing).toEqual([]);
    // Named here so that a new undeclared series cannot hide among the model-declared ones.
    expect([...declared].sort()).toEqual(['fraud_decisions_total', 'model_feature_psi']);
  });

  it('reads queueing and batch size from each runtime\'s own series, and shows no such panel where the runtime has none', () => {
    const rulesOf = (env: string, id: string) => objects.find((o) => o.path === `generated/${env}/${id}/prometheusrule-${id}.yaml`)!.obj.spec.groups.flatMap((g: { rules: { record?: string; expr: string }[] }) => g.rules);
    const panelsOf = (env: string, id: string) => JSON.parse(Object.values(objects.find((o) => o.path === `generated/${env}/${id}/configmap-${id}-dashboard.yaml`)!.obj.data!)[0]).panels.map((p: { title: string }) => p.title);
    const record = (env: string, id: string, name: string) => rulesOf(env, id).filter((r: { record?: string }) => r.record === name).map((r: { expr: string }) => r.expr);
    // Triton (image-moderation): cumulative queue time per request and inferences per execution.
    expect(record('prod', 'image-moderation', 'modelplane:queue_seconds:avg')[0]).toMatch(/^sum\(rate\(nv_inference_queue_duration_us\{.*\/ sum\(rate\(nv_inference_request_success\{/);
    expect(record('prod', 'image-moderation', 'modelplane:batch_size:avg')[0]).toContain('nv_inference_exec_count');
    // vLLM (assistant-llm): the queue-time histogram and the running batch.
    expect(record('prod', 'assistant-llm', 'modelplane:queue_seconds:p99')[0]).toContain('vllm:request_queue_time_seconds_bucket');
    expect(record('prod', 'assistant-llm', 'modelplane:batch_size:avg')[0]).toContain('vllm:num_requests_running');
    // TorchServe (query-embedder): queue latency, no batch series.
    expect(record('prod', 'query-embedder', 'modelplane:queue_seconds:avg')[0]).toContain('ts_queue_latency_microseconds');
    expect(panelsOf('prod', 'query-embedder')).not.toContain('Batch size');
    // The KServe tree servers export neither: no rule, no panel.
    expect(rulesOf('prod', 'fraud-detector').filter((r: { record?: string }) => /queue|batch/.test(r.record ?? ''))).toEqual([]);
    expect(panelsOf('prod', 'fraud-detector').filter((t: string) => /Queue|Batch/.test(t))).toEqual([]);
    expect(panelsOf('prod', 'image-moderation')).toEqual(expect.arrayContaining(['Queueing delay (s)', 'Batch size']));
  });
});

describe('the PodMonitors scrape where each runtime exports (item 13)', () => {
  const runtimeFor = (env: string, namespace: string, name: string) => objects.find((o) => o.obj.kind === 'ServingRuntime' && o.path.startsWith(`generated/${env}/`) && o.obj.metadata.namespace === namespace && o.obj.metadata.name === name)!.obj;

  it('scrapes every version\'s runtime metrics port by name, a port its container declares, and the sidecar\'s', () => {
    let versions = 0;
    for (const { path: p, obj: monitor } of ofKind('PodMonitor')) {
      const [, env, id] = p.split('/');
      const endpoints: { port: string; path: string }[] = monitor.spec.podMetricsEndpoints;
      const isvcs = objects.filter((o) => o.path.startsWith(`generated/${env}/${id}/`) && o.obj.kind === 'InferenceService');
      const podPorts = new Set<string>(['http-envoy-prom']);
      for (const isvc of isvcs) {
        versions++;
        const runtime = runtimeFor(env, monitor.metadata.namespace ?? isvc.obj.metadata.namespace!, isvc.obj.spec.predictor.model.runtime);
        const ports: { name: string; containerPort: number }[] = runtime.spec.containers[0].ports;
        for (const port of ports) podPorts.add(port.name);
        // KServe's own annotation says where the runtime exports; that port must be named in the container and scraped.
        const metricsPort = ports.find((port) => String(port.containerPort) === runtime.spec.annotations['prometheus.kserve.io/port']);
        expect(metricsPort, `${runtime.metadata.name}: a named container port for ${runtime.spec.annotations['prometheus.kserve.io/port']}`).toBeDefined();
        expect(endpoints, `${p} scrapes ${runtime.metadata.name}`).toContainEqual(expect.objectContaining({ port: metricsPort!.name, path: runtime.spec.annotations['prometheus.kserve.io/path'] }));
      }
      for (const e of endpoints) expect([...podPorts], `${p} endpoint ${e.port}`).toContain(e.port);
      expect(endpoints, p).toContainEqual(expect.objectContaining({ port: 'http-envoy-prom', path: '/stats/prometheus' }));
    }
    expect(versions).toBeGreaterThan(20);
  });

  it('scrapes Triton and TorchServe on their metrics ports (8002, 8082), not on the inference port', () => {
    const ports = (env: string, id: string) => objects.find((o) => o.path === `generated/${env}/${id}/podmonitor-${id}.yaml`)!.obj.spec.podMetricsEndpoints.map((e: { port: string }) => e.port);
    expect(ports('prod', 'image-moderation')).toEqual(['metrics', 'http-envoy-prom']);
    expect(ports('prod', 'query-embedder')).toEqual(['metrics', 'http-envoy-prom']);
    expect(ports('prod', 'fraud-detector')).toEqual(['http', 'http-envoy-prom']);
    expect(runtimeFor('prod', 'vision-prod', 'triton').spec.containers[0].ports).toContainEqual({ name: 'metrics', containerPort: 8002, protocol: 'TCP' });
  });
});

describe('queueing and batch histograms a platform declares for its own servers', () => {
  it('are read for runtimes that export none of their own, and never instead of a runtime\'s own series', async () => {
    const { cloneReference, asDefinitions } = await import('../support/definitions.js');
    const { resolvePlatform } = await import('../../src/resolve/index.js');
    const { modelRules } = await import('../../src/metrics/rules.js');
    const d = await cloneReference();
    d.platform.value.metricSources.modelServer = { queueSecondsBucket: 'acme_queue_seconds_bucket', batchSizeBucket: 'acme_batch_size_bucket' };
    const resolved = resolvePlatform(asDefinitions(d));
    const prod = resolved.environments.find((e) => e.name === 'prod')!;
    const records = (id: string) => modelRules(resolved, prod.models.find((m) => m.id === id)!).recording.filter((r) => /queue|batch/.test(r.record));
    expect([...new Set(records('fraud-detector').map((r) => r.record))].sort()).toEqual(['modelplane:batch_size:p50', 'modelplane:queue_seconds:p99']);
    expect(records('fraud-detector').map((r) => r.expr).join(' ')).toContain('acme_queue_seconds_bucket');
    expect(records('image-moderation').map((r) => r.expr).join(' ')).not.toContain('acme_');
  });
});
