import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { modelRules } from '../delivery/observability.js';
import type { ResolvedModel, ResolvedPlatform } from '../resolve/index.js';
import { MANAGED_BY, syncWave, SyncWave } from './meta.js';
import { dashboardJson } from './dashboard.js';

export interface MonitoringProps {
  readonly platform: ResolvedPlatform;
  readonly model: ResolvedModel;
}

function labels(model: ResolvedModel) {
  return { ...MANAGED_BY, 'modelplane.io/model': model.id, 'modelplane.io/environment': model.env, 'modelplane.io/owner': model.owner, 'modelplane.io/tier': model.tier.name };
}

const POD_LABELS = ['model', 'version', 'owner', 'tier'] as const;

/**
 * Scrapes every version of a model: the model server's metrics and the Istio
 * sidecar's, with the pod's modelplane labels copied onto every series.
 */
export class ModelPodMonitor extends ApiObject {
  constructor(scope: Construct, id: string, { model }: MonitoringProps) {
    const relabelings = [
      ...POD_LABELS.map((l) => ({ sourceLabels: [`__meta_kubernetes_pod_label_modelplane_io_${l}`], targetLabel: l, action: 'replace' })),
      { sourceLabels: ['__meta_kubernetes_pod_label_modelplane_io_environment'], targetLabel: 'environment', action: 'replace' },
    ];
    super(scope, id, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: model.id, namespace: model.namespace, labels: labels(model), annotations: syncWave(SyncWave.routing) },
      spec: {
        selector: { matchLabels: { 'modelplane.io/model': model.id } },
        namespaceSelector: { matchNames: [model.namespace] },
        podMetricsEndpoints: [
          { port: 'http', path: '/metrics', interval: '15s', relabelings },
          { port: 'http-envoy-prom', path: '/stats/prometheus', interval: '15s', relabelings },
        ],
      },
    });
  }
}

/** Recording rules, SLO burn-rate alerts, absent-metrics, quality and stuck-canary alerts of one model. */
export class ModelPrometheusRule extends ApiObject {
  constructor(scope: Construct, id: string, { platform, model }: MonitoringProps) {
    const { recording, alerts } = modelRules(platform, model);
    super(scope, id, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: model.id, namespace: model.namespace, labels: { ...labels(model), 'prometheus': 'modelplane' }, annotations: syncWave(SyncWave.routing) },
      spec: {
        groups: [
          { name: `modelplane.${model.id}.recording`, interval: '30s', rules: recording.map((r) => ({ record: r.record, expr: r.expr, labels: r.labels })) },
          { name: `modelplane.${model.id}.alerts`, rules: alerts.map((a) => ({ alert: a.alert, expr: a.expr, for: a.for, labels: a.labels, annotations: a.annotations })) },
        ],
      },
    });
  }
}

/** A Grafana dashboard, picked up by the Grafana sidecar through the `grafana_dashboard` label. */
export class ModelDashboard extends ApiObject {
  constructor(scope: Construct, id: string, { platform, model }: MonitoringProps) {
    super(scope, id, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${model.id}-dashboard`, namespace: model.namespace, labels: { ...labels(model), grafana_dashboard: '1' }, annotations: syncWave(SyncWave.routing) },
      data: { [`${model.id}-${model.env}.json`]: dashboardJson(platform, model) },
    });
  }
}
