import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ResolvedRuntime } from '../resolve/index.js';
import { MODEL_NAME_ANNOTATION } from './inference-service.js';
import type { ServingRuntimeManifest } from './crd-types.js';
import { syncWave, SyncWave } from './meta.js';

export interface ServingRuntimeProps {
  readonly runtime: ResolvedRuntime;
  readonly namespace: string;
}

/**
 * A platform ServingRuntime in a team namespace, image pinned by digest. The
 * model name is templated from the InferenceService's `modelplaneModelId`
 * annotation (KServe fills `{{.Annotations.*}}` in runtime containers), so all
 * versions of a model serve under the same model id.
 */
export class ServingRuntime extends ApiObject {
  constructor(scope: Construct, id: string, props: ServingRuntimeProps) {
    super(scope, id, servingRuntimeManifest(props));
  }
}

/** A platform ServingRuntime; the managed-by label comes from the chart. */
export function servingRuntimeManifest({ runtime, namespace }: ServingRuntimeProps): ServingRuntimeManifest {
  return {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: {
      name: runtime.name,
      namespace,
      labels: { 'modelplane.io/runtime': runtime.name },
      annotations: { ...syncWave(SyncWave.namespaceSetup) },
    },
    spec: {
      supportedModelFormats: runtime.formats.map((name) => ({ name, autoSelect: true })),
      protocolVersions: [...runtime.protocols],
      multiModel: false,
      containers: [
        {
          name: 'kserve-container',
          image: runtime.image,
          args: [`--model_name={{.Annotations.${MODEL_NAME_ANNOTATION}}}`, '--model_dir=/mnt/models', '--http_port=8080', ...runtime.args],
          ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' as const }],
          securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}
