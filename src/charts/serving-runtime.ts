import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ResolvedRuntime } from '../resolve/index.js';
import type { ServingRuntimeManifest } from './crd-types.js';
import { memoryQuantity, syncWave, SyncWave } from './meta.js';

export interface ServingRuntimeProps {
  readonly runtime: ResolvedRuntime;
  readonly namespace: string;
}

/**
 * A platform ServingRuntime in a team namespace, image pinned by digest, with
 * the container contract of its kind (executable, flags, ports, protocols,
 * numeric user, shared memory). Per-version values (model name, threads,
 * tensor parallelism) are Go templates over the InferenceService's
 * annotations, which KServe fills in.
 */
export class ServingRuntime extends ApiObject {
  constructor(scope: Construct, id: string, props: ServingRuntimeProps) {
    super(scope, id, servingRuntimeManifest(props));
  }
}

/** A platform ServingRuntime; the managed-by label comes from the chart. */
export function servingRuntimeManifest({ runtime, namespace }: ServingRuntimeProps): ServingRuntimeManifest {
  const c = runtime.container;
  const shm = c.sharedMemoryGiB;
  return {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: {
      name: runtime.name,
      namespace,
      labels: { 'modelplane.io/runtime': runtime.name, 'modelplane.io/runtime-kind': runtime.kind },
      annotations: { ...syncWave(SyncWave.namespaceSetup) },
    },
    spec: {
      supportedModelFormats: runtime.formats.map((name) => ({ name, autoSelect: true })),
      protocolVersions: [...runtime.protocols],
      multiModel: false,
      annotations: { 'prometheus.kserve.io/port': String(runtime.metrics.containerPort), 'prometheus.kserve.io/path': runtime.metrics.path },
      containers: [
        {
          name: 'kserve-container',
          image: runtime.image,
          ...(c.command ? { command: [...c.command] } : {}),
          args: [...c.args, ...runtime.args],
          ...(c.env.length > 0 ? { env: c.env.map((e) => ({ name: e.name, value: e.value })) } : {}),
          ports: c.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: 'TCP' as const })),
          securityContext: {
            allowPrivilegeEscalation: false,
            privileged: false,
            runAsNonRoot: true,
            runAsUser: c.runAsUser,
            capabilities: { drop: ['ALL'] },
          },
          ...(shm ? { volumeMounts: [{ name: 'devshm', mountPath: '/dev/shm' }] } : {}),
        },
      ],
      ...(shm ? { volumes: [{ name: 'devshm', emptyDir: { medium: 'Memory', sizeLimit: memoryQuantity(shm) } }] } : {}),
    },
  };
}
