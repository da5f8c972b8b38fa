import type { ResolvedModel, ResolvedPlatform } from '../resolve/index.js';
import { bindQuery, labelValue, serverSignals, type ServerSignal } from '../metrics/index.js';

type Target = { expr: string; legendFormat: string };
const panelOf = (title: string, unit: string, targets: Target[]) => (targets.length > 0 ? [{ title, unit, targets }] : []);
/** The recorded series of one version's signal, if its runtime exports what it is recorded from. */
const signalTargets = (signal: ServerSignal | undefined, selector: string, version: string): Target[] =>
  signal ? [{ expr: `${signal.record}{${selector},version="${labelValue(version)}"}`, legendFormat: signal.legend }] : [];

/**
 * Grafana dashboard of one model in one environment (JSON text): traffic by
 * version, error ratio, p99 against the tier budget, replicas against the warm
 * pool, GPU utilisation, cold starts, queueing and batch size where the
 * versions' runtimes export them, and the declared quality and drift checks.
 */
export function dashboardJson(platform: ResolvedPlatform, model: ResolvedModel): string {
  const m = `model="${model.id}",namespace="${model.namespace}"`;
  const panels: { title: string; unit: string; targets: Target[] }[] = [
    { title: 'Requests per second by version', unit: 'reqps', targets: [{ expr: `modelplane:requests:rate5m{${m}}`, legendFormat: '{{destination_workload}}' }] },
    { title: 'Error ratio (5m)', unit: 'percentunit', targets: [{ expr: `modelplane:error_ratio:rate5m{${m}}`, legendFormat: 'error ratio' }, { expr: `vector(${1 - model.tier.availability})`, legendFormat: 'error budget' }] },
    {
      title: `p99 latency vs ${model.tier.p99BudgetMs === undefined ? 'no' : model.tier.p99BudgetMs} ms budget`,
      unit: 'ms',
      targets: [
        { expr: `modelplane:latency_ms:p99{${m}}`, legendFormat: 'p99 {{destination_workload}}' },
        ...(model.tier.p99BudgetMs !== undefined ? [{ expr: `vector(${model.tier.p99BudgetMs})`, legendFormat: 'budget' }] : []),
      ],
    },
    {
      title: 'Ready replicas vs warm pool',
      unit: 'short',
      targets: model.servers.flatMap((s) => [
        { expr: `sum(kube_deployment_status_replicas_ready{namespace="${model.namespace}",deployment="${s.predictorName}"})`, legendFormat: `ready ${s.version}` },
        { expr: `vector(${s.replicas.min})`, legendFormat: `warm pool ${s.version}` },
      ]),
    },
    { title: 'Replica utilisation', unit: 'percentunit', targets: [{ expr: `modelplane:replica_utilisation:ratio{${m}}`, legendFormat: '{{version}}' }] },
    ...(model.pool.kind === 'gpu' ? [{ title: 'GPU utilisation', unit: 'percent', targets: [{ expr: `modelplane:gpu_utilisation:avg{${m}}`, legendFormat: 'GPU' }] }] : []),
    { title: 'Cold starts (pods started in the last 10 min)', unit: 'short', targets: [{ expr: `modelplane:cold_starts:count10m{${m}}`, legendFormat: 'cold starts' }] },
    // Only what the versions' runtimes export: no panel for servers without queueing or batch series.
    ...panelOf('Queueing delay (s)', 's', model.servers.flatMap((s) => signalTargets(serverSignals(platform, model, s).queue, m, s.version))),
    ...panelOf('Batch size', 'short', model.servers.flatMap((s) => signalTargets(serverSignals(platform, model, s).batch, m, s.version))),
    ...model.quality.map((q) => ({
      title: `${q.name} (${q.condition})`,
      unit: 'short',
      targets: [{ expr: bindQuery(q.query, model.namespace, model.workloads.stable, model.id), legendFormat: `${q.name} stable` }],
    })),
  ];
  const dashboard = {
    title: `${model.id} (${model.env})`,
    uid: model.dashboard.uid,
    tags: ['modelplane', model.owner, model.tier.name, model.env],
    timezone: 'utc',
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    panels: panels.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource: { type: 'prometheus', uid: 'prometheus' },
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      targets: p.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), expr: t.expr, legendFormat: t.legendFormat })),
    })),
  };
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
