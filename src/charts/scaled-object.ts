import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ResolvedModel, ResolvedPlatform, ResolvedServer } from '../resolve/index.js';
import { bindSelector } from '../metrics/index.js';
import { behaviorManifest } from './horizontal-pod-autoscaler.js';
import { versionLabels } from './inference-service.js';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { syncWave, SyncWave } from './meta.js';

export interface ScaledObjectProps {
  readonly platform: ResolvedPlatform;
  readonly model: ResolvedModel;
  readonly server: ResolvedServer;
}

/**
 * KEDA ScaledObject for a GPU version: scales the predictor Deployment on the
 * request rate per replica from Prometheus, never below the warm pool.
 */
export class ScaledObject extends ApiObject {
  constructor(scope: Construct, id: string, props: ScaledObjectProps) {
    super(scope, id, { ...scaledObjectManifest(props) });
  }
}

/** The ScaledObject of a GPU version; namespace and shared labels come from the chart. */
export function scaledObjectManifest({ platform, model, server }: ScaledObjectProps): IScaledObject {
    const { requests } = platform.metricSources;
    const workload = server.predictorName;
    const selector = bindSelector(requests.selector, server.namespace, workload);
    const fallback = server.autoscaling.fallback && { ...server.autoscaling.fallback };
    return {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: {
        name: workload,
        labels: versionLabels(model, server),
        annotations: syncWave(SyncWave.autoscaling),
      },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: workload },
        minReplicaCount: server.replicas.min,
        maxReplicaCount: server.replicas.max,
        pollingInterval: server.autoscaling.model.syncPeriodSeconds,
        cooldownPeriod: server.autoscaling.scaleDownStabilizationSeconds,
        advanced: { horizontalPodAutoscalerConfig: { name: server.autoscaling.hpaName, behavior: behaviorManifest(server.autoscaling.behavior) } },
        // `fallback.behavior` is in KEDA's CRD from 2.18 on; the typed bindings predate it.
        ...(fallback ? { fallback } : {}),
        triggers: [
          {
            type: 'prometheus',
            metricType: 'AverageValue',
            metadata: {
              serverAddress: platform.metricSources.prometheus.address,
              query: `sum(rate(${requests.total}{${selector}}[1m]))`,
              threshold: String(server.autoscaling.targetRpsPerReplica),
            },
          },
        ],
      },
    };
}
