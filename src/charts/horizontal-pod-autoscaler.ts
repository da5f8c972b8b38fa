import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { ResolvedModel, ResolvedServer, ScalingBehavior } from '../resolve/index.js';
import { versionLabels } from './inference-service.js';
import { syncWave, SyncWave } from './meta.js';

export interface HorizontalPodAutoscalerProps {
  readonly model: ResolvedModel;
  readonly server: ResolvedServer;
}

/**
 * `autoscaling/v2` HorizontalPodAutoscaler of a CPU version's predictor
 * Deployment, with the declared scaling behaviour. Ours rather than KServe's:
 * KServe's HPA reconciler always sets an empty behaviour, so the
 * InferenceService is `autoscalerClass: external`.
 */
export class HorizontalPodAutoscaler extends ApiObject {
  constructor(scope: Construct, id: string, props: HorizontalPodAutoscalerProps) {
    super(scope, id, { ...horizontalPodAutoscalerManifest(props) });
  }
}

/** The HPA behaviour as the API takes it (also the ScaledObject's `advanced.horizontalPodAutoscalerConfig.behavior`). */
export function behaviorManifest(behavior: ScalingBehavior) {
  const rules = (r: ScalingBehavior['scaleUp']) => ({
    stabilizationWindowSeconds: r.stabilizationWindowSeconds,
    selectPolicy: r.selectPolicy,
    policies: r.policies.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds })),
  });
  return { scaleUp: rules(behavior.scaleUp), scaleDown: rules(behavior.scaleDown) };
}

/** The HPA of a CPU version; namespace and shared labels come from the chart. */
export function horizontalPodAutoscalerManifest({ model, server }: HorizontalPodAutoscalerProps): IHorizontalPodAutoscaler {
  const a = server.autoscaling;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: a.hpaName, labels: versionLabels(model, server), annotations: syncWave(SyncWave.autoscaling) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: server.predictorName },
      minReplicas: server.replicas.min,
      maxReplicas: server.replicas.max,
      // The model container only: the sidecar and the agent would dilute the utilisation.
      metrics: [
        {
          type: 'ContainerResource',
          containerResource: { name: 'cpu', container: 'kserve-container', target: { type: 'Utilization', averageUtilization: a.targetCpuUtilizationPercent } },
        },
      ],
      behavior: behaviorManifest(a.behavior),
    },
  };
}
