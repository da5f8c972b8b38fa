import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { modelRules } from '../metrics/index.js';
import type { ResolvedModel, ResolvedPlatform } from '../resolve/index.js';
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { syncWave, SyncWave } from './meta.js';
import { dashboardJson } from './dashboard.js';

export interface MonitoringProps {
  readonly platform: ResolvedPlatform;
  readonly model: ResolvedModel;
}

/** Labels beyond the chart's (managed-by, model, environment). */
function labels(model: ResolvedModel) {
  return { 'modelplane.io/owner': model.owner, 'modelplane.io/tier': model.tier.name };
}

const POD_LABELS = ['model', 'version', 'owner', 'tier'] as const;

/**
 * Scrapes every version of a model: its runtime's metrics port and the Istio
 * sidecar's, with the pod's modelplane labels copied onto every series.
 */
export class ModelPodMonitor extends ApiObject {
  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id, { ...podMonitorManifest(props) });
  }
}

/** Istio's sidecar metrics: the injection template's named port 15090. */
export const ENVOY_METRICS = { port: 'http-envoy-prom', path: '/stats/prometheus' } as const;

/**
 * Where a model's pods export metrics: each live version's runtime metrics
 * port (a named port of its ServingRuntime container: `http` for the KServe
 * Python servers, `metrics` for Triton and TorchServe), once each, then the
 * Istio sidecar's when the mesh injects one.
 */
export function metricsEndpoints(platform: ResolvedPlatform, model: ResolvedModel): { port: string; path: string }[] {
  const seen = new Map<string, { port: string; path: string }>();
  for (const s of model.servers) seen.set(`${s.runtime.metrics.port} ${s.runtime.metrics.path}`, { port: s.runtime.metrics.port, path: s.runtime.metrics.path });
  const runtime = [...seen.keys()].sort().map((k) => seen.get(k)!);
  return [...runtime, ...(platform.serving.mesh.istio ? [{ ...ENVOY_METRICS }] : [])];
}

/** The PodMonitor of a model; namespace and shared labels come from the chart. */
export function podMonitorManifest({ platform, model }: MonitoringProps): IPodMonitor {
    const relabelings = [
      ...POD_LABELS.map((l) => ({ sourceLabels: [`__meta_kubernetes_pod_label_modelplane_io_${l}`], targetLabel: l, action: 'replace' as const })),
      { sourceLabels: ['__meta_kubernetes_pod_label_modelplane_io_environment'], targetLabel: 'environment', action: 'replace' as const },
    ];
    return {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: model.id, labels: { ...labels(model), ...platform.monitorSelectorLabels }, annotations: syncWave(SyncWave.routing) },
      spec: {
        selector: { matchLabels: { 'modelplane.io/model': model.id } },
        namespaceSelector: { matchNames: [model.namespace] },
        // honorLabels false: a runtime's own `model` or `version` label (Triton sets both) never overwrites the pod's.
        podMetricsEndpoints: metricsEndpoints(platform, model).map((e) => ({ ...e, interval: `${platform.rollbackPath.scrapeSeconds}s`, honorLabels: false, relabelings })),
      },
    };
}

/** Recording rules, SLO burn-rate alerts, absent-metrics, quality and stuck-canary alerts of one model. */
export class ModelPrometheusRule extends ApiObject {
  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id, { ...prometheusRuleManifest(props) });
  }
}

/** Recording rules and alerts of a model; namespace and shared labels come from the chart. */
export function prometheusRuleManifest({ platform, model }: MonitoringProps): IPrometheusRule {
    const { recording, alerts } = modelRules(platform, model);
    return {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: model.id, labels: { ...labels(model), ...platform.monitorSelectorLabels }, annotations: syncWave(SyncWave.routing) },
      spec: {
        groups: [
          { name: model.ruleGroups.recording, interval: '30s', rules: recording.map((r) => ({ record: r.record, expr: r.expr, labels: r.labels })) },
          { name: model.ruleGroups.alerts, rules: alerts.map((a) => ({ alert: a.alert, expr: a.expr, for: a.for, labels: a.labels, annotations: a.annotations })) },
        ],
      },
    };
}

/** A Grafana dashboard, picked up by the Grafana sidecar through the `grafana_dashboard` label. */
export class ModelDashboard extends ApiObject {
  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id, { ...dashboardManifest(props) });
  }
}

/** The dashboard ConfigMap of a model; namespace and shared labels come from the chart. */
export function dashboardManifest({ platform, model }: MonitoringProps): IConfigMap & { apiVersion: 'v1'; kind: 'ConfigMap' } {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: model.dashboard.configMap, labels: { ...labels(model), grafana_dashboard: '1' }, annotations: syncWave(SyncWave.routing) },
    data: { [model.dashboard.file]: dashboardJson(platform, model) },
  };
}
