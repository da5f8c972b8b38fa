import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ResolvedModel, ResolvedPlatform, ResolvedServer } from '../resolve/index.js';
import type { InferenceServiceManifest } from './crd-types.js';
import { PROGRESS_DEADLINE_ANNOTATION } from './argocd-health.js';
import { cpuQuantity, memoryQuantity, syncWave, SyncWave } from './meta.js';

/**
 * Annotation carrying the model id, read by the platform ServingRuntimes'
 * templated `--model_name`, so every version answers under
 * `/v1/models/{modelId}` whatever its InferenceService is called.
 */
export { MODEL_NAME_ANNOTATION } from '../resolve/index.js';

export interface InferenceServiceProps {
  readonly platform: ResolvedPlatform;
  readonly model: ResolvedModel;
  readonly server: ResolvedServer;
}

/** One KServe InferenceService (v1beta1, raw deployment) for one live model version. */
export class InferenceService extends ApiObject {
  constructor(scope: Construct, id: string, props: InferenceServiceProps) {
    super(scope, id, inferenceServiceManifest(props));
  }
}

/**
 * Labels of a model version beyond the chart's (managed-by, model, environment);
 * they never change while the version lives (KServe copies them to pods).
 */
export function versionLabels(model: ResolvedModel, server: ResolvedServer): Record<string, string> {
  return {
    'app.kubernetes.io/name': model.id,
    'app.kubernetes.io/version': server.version,
    'modelplane.io/version': server.version,
    'modelplane.io/owner': model.owner,
    'modelplane.io/tier': model.tier.name,
  };
}

/** The InferenceService of one live version; namespace and shared labels come from the chart. */
export function inferenceServiceManifest({ platform, model, server }: InferenceServiceProps): InferenceServiceManifest {
  const pool = model.pool;
  const quantities: Record<string, string> = {
    cpu: cpuQuantity(server.resources.cpu),
    memory: memoryQuantity(server.resources.memoryGiB),
    ...(server.resources.gpus > 0 ? { [pool.gpuResourceName]: String(server.resources.gpus) } : {}),
  };
  const visibility = platform.serving.visibilityLabel;
  const podLabels = { 'serving.kserve.io/inferenceservice': server.name };
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: server.name,
      // Cluster-local: KServe creates no Ingress of its own, the model's HTTPRoute is the only way in.
      labels: { ...versionLabels(model, server), [visibility.key]: visibility.value },
      annotations: {
        ...syncWave(SyncWave.workloads),
        'serving.kserve.io/deploymentMode': platform.deploymentMode,
        // The HorizontalPodAutoscaler or KEDA ScaledObject beside it scales the predictor; KServe creates none
        // (its own HPA would drop the scaling behaviour).
        'serving.kserve.io/autoscalerClass': 'external',
        ...server.runtimeAnnotations,
        // How long Argo CD's health (argocd-cm) waits for Ready before Degraded: covers the startup probe.
        [PROGRESS_DEADLINE_ANNOTATION]: String(server.progressDeadlineSeconds),
        'modelplane.io/artifact-sha256': server.artifactSha256,
        'modelplane.io/dataset': server.lineage.dataset,
        'modelplane.io/feature-code': server.lineage.featureCode,
        'modelplane.io/training-run': server.lineage.trainingRun,
        'modelplane.io/image': server.lineage.image,
      },
    },
    spec: {
      predictor: {
        minReplicas: server.replicas.min,
        maxReplicas: server.replicas.max,
        serviceAccountName: server.serviceAccountName,
        priorityClassName: server.priorityClassName,
        ...(Object.keys(server.podAnnotations).length > 0 ? { annotations: { ...server.podAnnotations } } : {}),
        nodeSelector: { ...pool.nodeSelector },
        tolerations: pool.taints.map((t) =>
          t.value === undefined
            ? { key: t.key, operator: 'Exists' as const, effect: t.effect }
            : { key: t.key, operator: 'Equal' as const, value: t.value, effect: t.effect },
        ),
        ...(server.batching
          ? { batcher: { maxBatchSize: server.batching.maxBatchSize, maxLatency: server.batching.maxLatencyMs } }
          : {}),
        topologySpreadConstraints: server.topologySpread.map((c) => ({
          topologyKey: c.topologyKey,
          maxSkew: c.maxSkew,
          whenUnsatisfiable: c.whenUnsatisfiable,
          labelSelector: { matchLabels: { ...podLabels } },
          matchLabelKeys: ['pod-template-hash'],
        })),
        ...(server.logger
          ? { logger: { mode: server.logger.mode, url: server.logger.url, metadataHeaders: ['x-request-id', 'x-tenant', 'x-model-version'] } }
          : {}),
        model: {
          modelFormat: { name: server.format },
          runtime: server.runtime.name,
          protocolVersion: server.runtime.protocols.includes('v1') ? 'v1' : 'v2',
          storageUri: server.storageUri,
          resources: { requests: { ...quantities }, limits: { ...quantities } },
          ...probes(server),
        },
      },
    },
  };
}

type Predictor = InferenceServiceManifest['spec']['predictor'];

/** No pod takes traffic before its model answers: startup covers the warmup, readiness keeps checking. */
function probes(server: ResolvedServer): Pick<NonNullable<Predictor['model']>, 'startupProbe' | 'readinessProbe' | 'livenessProbe'> {
  const p = server.probes;
  const httpGet = { path: p.path, port: p.port };
  return {
    startupProbe: { httpGet, ...p.startup },
    readinessProbe: { httpGet, ...p.readiness },
    livenessProbe: { httpGet: { path: p.livenessPath, port: p.port }, ...p.liveness },
  };
}
