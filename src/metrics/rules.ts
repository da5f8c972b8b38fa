import type { ResolvedModel, ResolvedPlatform, ResolvedServer } from '../resolve/index.js';
import { names } from '../resolve/index.js';
import { bindQuery, bindSelector, labelValue } from './bind.js';
import type { SeriesExporter } from './series.js';
import { negation, validCondition } from './condition.js';
import { stepDeadlineSeconds } from './duration.js';
import { formatNumber as fmt, formatPercent as pct } from './format.js';

/**
 * Recording rules and alerts of one model, as data. Queries select the model's
 * versions by namespace and predictor workload, so no query is written per
 * model by hand: everything comes from the platform's metric sources, the tier
 * and the model's declared quality checks.
 */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels: Record<string, string>;
}

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** Windows of the error-ratio recording rules used by the burn-rate alerts. */
export const BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/** Multiwindow, multi-burn-rate alerts for a 30-day SLO (Google SRE workbook). */
export const BURN_RATES = [
  { severity: 'page', factor: 14.4, long: '1h', short: '5m', for: '2m' },
  { severity: 'page', factor: 6, long: '6h', short: '30m', for: '15m' },
  { severity: 'ticket', factor: 3, long: '1d', short: '2h', for: '1h' },
  { severity: 'ticket', factor: 1, long: '3d', short: '6h', for: '3h' },
] as const;

/** Requests in the long window below which burn-rate alerts stay silent (too little traffic to judge). */
export const LOW_TRAFFIC_REQUESTS = 100;

/** A per-version series recorded from what the version's runtime exports. */
export interface ServerSignal {
  readonly record: string;
  readonly expr: string;
  /** What the dashboard calls it. */
  readonly legend: string;
}

/**
 * Queueing delay and batch size of one version, from its runtime's own series
 * (src/metrics/series.ts): vLLM's queue-time histogram and running batch,
 * Triton's cumulative queue time and inference/execution counts, TorchServe's
 * cumulative queue latency; else the histograms the platform declares for
 * servers that export none (`metricSources.modelServer`); else nothing.
 */
export function serverSignals(platform: ResolvedPlatform, model: ResolvedModel, server: ResolvedServer): { queue?: ServerSignal; batch?: ServerSignal } {
  const sel = `namespace="${labelValue(model.namespace)}",pod=~"${labelValue(server.predictorName)}-.*"`;
  const rate = (metric: string) => `sum(rate(${metric}{${sel}}[5m]))`;
  const has = (e: SeriesExporter) => server.exporters.includes(e);
  const declared = platform.metricSources.modelServer;
  const p99 = (metric: string): ServerSignal => ({ record: 'modelplane:queue_seconds:p99', expr: `histogram_quantile(0.99, sum by (le) (rate(${metric}{${sel}}[5m])))`, legend: `queue p99 ${server.version}` });
  const avgQueue = (microseconds: string, requests: string): ServerSignal => ({
    record: 'modelplane:queue_seconds:avg',
    expr: `${rate(microseconds)} / ${rate(requests)} / 1e6`,
    legend: `queue mean ${server.version}`,
  });
  const queue = has('vllm')
    ? p99('vllm:request_queue_time_seconds_bucket')
    : has('triton')
      ? avgQueue('nv_inference_queue_duration_us', 'nv_inference_request_success')
      : has('torchserve')
        ? avgQueue('ts_queue_latency_microseconds', 'ts_inference_requests_total')
        : declared.queueSecondsBucket
          ? p99(declared.queueSecondsBucket)
          : undefined;
  const batch: ServerSignal | undefined = has('vllm')
    ? { record: 'modelplane:batch_size:avg', expr: `avg(vllm:num_requests_running{${sel}})`, legend: `running batch ${server.version}` }
    : has('triton')
      ? { record: 'modelplane:batch_size:avg', expr: `${rate('nv_inference_count')} / ${rate('nv_inference_exec_count')}`, legend: `batch mean ${server.version}` }
      : declared.batchSizeBucket
        ? { record: 'modelplane:batch_size:p50', expr: `histogram_quantile(0.5, sum by (le) (rate(${declared.batchSizeBucket}{${sel}}[5m])))`, legend: `batch p50 ${server.version}` }
        : undefined;
  return { ...(queue ? { queue } : {}), ...(batch ? { batch } : {}) };
}

export function modelRules(platform: ResolvedPlatform, model: ResolvedModel): { recording: RecordingRule[]; alerts: AlertRule[] } {
  const { requests } = platform.metricSources;
  const workloads = `${model.id}-v.+-predictor`;
  const sel = requests.selector
    .replaceAll('{{namespace}}', model.namespace)
    .replaceAll('destination_workload="{{workload}}"', `destination_workload=~"${workloads}"`)
    .replaceAll('{{workload}}', workloads);
  const labels = { model: model.id, namespace: model.namespace, owner: model.owner, tier: model.tier.name };
  const byWorkload = 'destination_workload';
  const recording: RecordingRule[] = [
    { record: 'modelplane:requests:rate5m', expr: `sum by (${byWorkload}) (rate(${requests.total}{${sel}}[5m]))`, labels },
    ...BURN_WINDOWS.map((w) => ({
      record: `modelplane:error_ratio:rate${w}`,
      expr: `(sum(rate(${requests.total}{${sel},${requests.errorMatcher}}[${w}])) or vector(0)) / sum(rate(${requests.total}{${sel}}[${w}]))`,
      labels,
    })),
    { record: 'modelplane:requests:increase1h', expr: `sum(increase(${requests.total}{${sel}}[1h]))`, labels },
    ...[0.5, 0.99].map((q) => ({
      record: `modelplane:latency_ms:p${q * 100}`,
      expr: `histogram_quantile(${q}, sum by (le, ${byWorkload}) (rate(${requests.durationBucketMs}{${sel}}[5m])))`,
      labels,
    })),
    // Queueing and batch size per version, from what its runtime exports (none for the KServe tree servers).
    ...model.servers.flatMap((s) => {
      const { queue, batch } = serverSignals(platform, model, s);
      return [queue, batch].flatMap((signal) => (signal ? [{ record: signal.record, expr: signal.expr, labels: { ...labels, version: s.version } }] : []));
    }),
    ...model.servers.map((s) => {
      const workload = names.predictorName(model.id, s.version);
      return {
        record: 'modelplane:replica_utilisation:ratio',
        expr: `sum(rate(${requests.total}{${bindSelector(requests.selector, model.namespace, workload)}}[5m])) / (sum(kube_deployment_status_replicas_ready{namespace="${model.namespace}",deployment="${workload}"}) * ${s.profile.maxRpsPerReplica})`,
        labels: { ...labels, version: s.version },
      };
    }),
    {
      record: 'modelplane:cold_starts:count10m',
      expr: `count(time() - kube_pod_start_time{namespace="${model.namespace}",pod=~"${workloads}-.*"} < 600) or vector(0)`,
      labels,
    },
    ...(model.pool.kind === 'gpu'
      ? [{ record: 'modelplane:gpu_utilisation:avg', expr: `avg(${platform.metricSources.gpuUtilization}{namespace="${model.namespace}",pod=~"${workloads}-.*"})`, labels }]
      : []),
  ];
  if (model.canary) {
    const one = (workload: string) => bindSelector(requests.selector, model.namespace, workload);
    const canary = one(names.predictorName(model.id, model.canary.version));
    const stable = one(names.predictorName(model.id, model.stable));
    const errors = (s: string) => `((sum(rate(${requests.total}{${s},${requests.errorMatcher}}[5m])) or vector(0)) / sum(rate(${requests.total}{${s}}[5m])))`;
    const p99 = (s: string) => `histogram_quantile(0.99, sum by (le) (rate(${requests.durationBucketMs}{${s}}[5m])))`;
    recording.push(
      { record: 'modelplane:canary_error_ratio_delta:rate5m', expr: `${errors(canary)} - ${errors(stable)}`, labels },
      { record: 'modelplane:canary_latency_p99_ratio:rate5m', expr: `${p99(canary)} / ${p99(stable)}`, labels },
    );
  }

  const budget = 1 - model.tier.availability;
  const route = { model: model.id, namespace: model.namespace, owner: model.owner, tier: model.tier.name, team: model.owner };
  const guard = `on() (modelplane:requests:increase1h{model="${model.id}",namespace="${model.namespace}"} > ${LOW_TRAFFIC_REQUESTS})`;
  const ratio = (w: string) => `modelplane:error_ratio:rate${w}{model="${model.id}",namespace="${model.namespace}"}`;
  const alerts: AlertRule[] = BURN_RATES.map((b) => ({
    alert: b.severity === 'page' ? `ModelErrorBudgetBurn${b.long === '1h' ? 'Fast' : 'Sustained'}` : `ModelErrorBudgetBurn${b.long === '1d' ? 'Slow' : 'Chronic'}`,
    expr: `(${ratio(b.long)} > ${fmt(b.factor * budget)} and ${ratio(b.short)} > ${fmt(b.factor * budget)}) and ${guard}`,
    for: b.for,
    labels: { ...route, severity: b.severity, slo: 'availability' },
    annotations: {
      summary: `${model.id} in ${model.env} burns its ${pct(model.tier.availability)} availability budget ${b.factor}× too fast`,
      description: `Error ratio over ${b.long} and ${b.short} is above ${b.factor} × ${fmt(budget)} (30-day budget of the ${model.tier.name} tier).`,
    },
  }));
  if (model.tier.p99BudgetMs !== undefined)
    alerts.push({
      alert: 'ModelLatencyBudgetExceeded',
      expr: `max(modelplane:latency_ms:p99{model="${model.id}",namespace="${model.namespace}"}) > ${model.tier.p99BudgetMs} and ${guard}`,
      for: '10m',
      labels: { ...route, severity: model.tier.strict ? 'page' : 'ticket', slo: 'latency' },
      annotations: { summary: `${model.id} in ${model.env}: p99 latency above the ${model.tier.p99BudgetMs} ms budget of the ${model.tier.name} tier` },
    });
  if (model.peakRps !== undefined && model.peakRps > 0)
    alerts.push({
      alert: 'ModelMetricsAbsent',
      expr: `absent(${requests.total}{${sel}})`,
      for: '10m',
      labels: { ...route, severity: model.tier.strict ? 'page' : 'ticket' },
      annotations: { summary: `${model.id} in ${model.env} is a hot model (peak ${model.peakRps} rps) but its request metrics have vanished` },
    });
  for (const q of model.quality) {
    const { op, threshold } = validCondition(q.condition);
    const stableWorkload = names.predictorName(model.id, model.stable);
    const query = bindQuery(q.query, model.namespace, stableWorkload, model.id);
    alerts.push({
      alert: 'ModelQualityDegraded',
      expr: `(${query}) ${negation(op)} ${threshold}`,
      for: '30m',
      labels: { ...route, severity: 'ticket', check: q.name },
      annotations: { summary: `${model.id} ${model.stable} in ${model.env}: ${q.name} no longer ${q.condition} (drift or quality regression)` },
    });
  }
  if (model.canary) {
    const policy = platform.policies.find((p) => p.name === model.canary!.policy);
    const deadline = policy ? stepDeadlineSeconds(policy, model.canary.step, model.tier.name) : 3600;
    alerts.push({
      alert: 'ModelCanaryStuck',
      expr: `max(analysis_run_info{namespace="${model.namespace}",name="${names.analysisRunName(model.id, model.canary.version, model.canary.step)}",phase=~"Pending|Running"}) == 1`,
      for: `${deadline}s`,
      labels: { ...route, severity: 'ticket' },
      annotations: { summary: `canary ${model.canary.version} of ${model.id} in ${model.env} has been at step ${model.canary.step} longer than its deadline (${deadline} s): is the promoter running?` },
    });
  }
  return { recording, alerts };
}
