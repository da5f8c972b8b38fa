/**
 * The serving side of resolve: runtime container contracts, what a model pod
 * really runs (agent, sidecar, init containers) and charges against its quota,
 * probes, disruption and spread, and the platform's mesh and Pod Security.
 * Pure; every default of these lives here.
 */
import type { ContainerResourcesDefinition, PlatformDefinition, RuntimeDefinition } from '../definitions/index.js';
import type {
  ContainerResources,
  InferenceProtocol,
  PodCharge,
  ResolvedPool,
  ResolvedRuntime,
  ResolvedRuntimeContainer,
  ResolvedServingPlatform,
  Resources,
  RuntimeKind,
} from './types.js';

/** Annotation carrying the model id; runtimes template `--model_name` from it. */
export const MODEL_NAME_ANNOTATION = 'modelplaneModelId';
/** Annotation carrying the model container's thread count (its CPU limit, rounded down, at least 1). */
export const THREADS_ANNOTATION = 'modelplaneThreads';
/** Annotation carrying the tensor parallelism of a replica (its GPUs). */
export const TENSOR_PARALLEL_ANNOTATION = 'modelplaneTensorParallel';

/** The user KServe's runtime images run as (their Dockerfiles' `USER 1000`; KServe's chart forces it for TorchServe and Triton). */
const RUNTIME_UID = 1000;
const HTTP_PORT = 8080;
const template = (annotation: string) => `{{.Annotations.${annotation}}}`;

interface Contract {
  readonly protocols: readonly InferenceProtocol[];
  readonly gpu: boolean;
  readonly cpuOnly: boolean;
  readonly container: (protocols: readonly InferenceProtocol[]) => Omit<ResolvedRuntimeContainer, 'runAsUser' | 'sharedMemoryGiB'>;
  readonly sharedMemoryGiB?: number;
  readonly livenessPath: string;
  readonly metrics: ResolvedRuntime['metrics'];
  readonly openai: boolean;
  readonly templateAnnotations: readonly string[];
}

const httpPort = { name: 'http', containerPort: HTTP_PORT };
const pythonMetrics = { port: 'http', containerPort: HTTP_PORT, path: '/metrics' };
const pythonArgs = [`--model_name=${template(MODEL_NAME_ANNOTATION)}`, '--model_dir=/mnt/models', `--http_port=${HTTP_PORT}`];
const threadsEnv = [{ name: 'OMP_NUM_THREADS', value: template(THREADS_ANNOTATION) }];

/** KServe's tree and scikit-learn servers: the image's entrypoint is the server; threads bound to the CPU limit. */
function kservePython(nthread: boolean): Contract {
  return {
    protocols: ['v1', 'v2'],
    gpu: false,
    cpuOnly: true,
    container: () => ({
      args: [...pythonArgs, ...(nthread ? [`--nthread=${template(THREADS_ANNOTATION)}`] : [])],
      env: threadsEnv,
      ports: [httpPort],
    }),
    livenessPath: '/',
    metrics: pythonMetrics,
    openai: false,
    templateAnnotations: [MODEL_NAME_ANNOTATION, THREADS_ANNOTATION],
  };
}

/** One container contract per runtime kind, after KServe's ClusterServingRuntimes. */
export const RUNTIME_CONTRACTS: Readonly<Record<RuntimeKind, Contract>> = {
  'kserve-sklearnserver': kservePython(false),
  'kserve-xgbserver': kservePython(true),
  'kserve-lgbserver': kservePython(true),
  'kserve-torchserve': {
    protocols: ['v1'],
    gpu: true,
    cpuOnly: false,
    // The image's entrypoint runs its first argument: the executable, as upstream.
    container: (protocols) => ({
      args: ['torchserve', '--start', '--model-store=/mnt/models/model-store', '--ts-config=/mnt/models/config/config.properties'],
      env: [
        { name: 'TS_SERVICE_ENVELOPE', value: protocols.includes('v1') ? 'kserve' : 'kservev2' },
        // The metrics API on all interfaces in Prometheus format (TorchServe's defaults: 127.0.0.1, `log` mode). TorchServe
        // reads TS_* variables only when the model's config.properties sets enable_envvars_config=true (KServe's examples do).
        { name: 'TS_ENABLE_METRICS_API', value: 'true' },
        { name: 'TS_METRICS_ADDRESS', value: 'http://0.0.0.0:8082' },
        { name: 'TS_METRICS_MODE', value: 'prometheus' },
        ...threadsEnv,
      ],
      ports: [httpPort, { name: 'metrics', containerPort: 8082 }],
    }),
    livenessPath: '/',
    metrics: { port: 'metrics', containerPort: 8082, path: '/metrics' },
    openai: false,
    templateAnnotations: [THREADS_ANNOTATION],
  },
  triton: {
    protocols: ['v2', 'grpc-v2'],
    gpu: true,
    cpuOnly: false,
    container: () => ({
      args: ['tritonserver', '--model-store=/mnt/models', `--http-port=${HTTP_PORT}`, '--grpc-port=9000', '--allow-http=true', '--allow-grpc=true', '--allow-metrics=true', '--metrics-port=8002'],
      env: [],
      ports: [httpPort, { name: 'h2c', containerPort: 9000 }, { name: 'metrics', containerPort: 8002 }],
    }),
    sharedMemoryGiB: 2,
    livenessPath: '/v2/health/live',
    metrics: { port: 'metrics', containerPort: 8002, path: '/metrics' },
    openai: false,
    templateAnnotations: [],
  },
  'kserve-huggingfaceserver': {
    protocols: ['v1', 'v2'],
    gpu: true,
    cpuOnly: false,
    container: () => ({
      args: [`--model_name=${template(MODEL_NAME_ANNOTATION)}`, '--model_dir=/mnt/models', `--tensor-parallel-size=${template(TENSOR_PARALLEL_ANNOTATION)}`],
      // A per-model prefix: the OpenAI paths carry no model name, so two models on one hostname would claim the same paths.
      env: [{ name: 'KSERVE_OPENAI_ROUTE_PREFIX', value: `/openai/${template(MODEL_NAME_ANNOTATION)}` }],
      ports: [httpPort],
    }),
    sharedMemoryGiB: 8,
    livenessPath: '/',
    metrics: pythonMetrics,
    openai: true,
    templateAnnotations: [MODEL_NAME_ANNOTATION, TENSOR_PARALLEL_ANNOTATION],
  },
};

export const RUNTIME_KINDS = Object.keys(RUNTIME_CONTRACTS).sort() as RuntimeKind[];

/** Image repository (last path segment, before `@` or `:`) → runtime kind, for runtimes that do not declare `kind`. */
const KIND_BY_IMAGE: Readonly<Record<string, RuntimeKind>> = {
  sklearnserver: 'kserve-sklearnserver',
  xgbserver: 'kserve-xgbserver',
  lgbserver: 'kserve-lgbserver',
  'torchserve-kfs': 'kserve-torchserve',
  tritonserver: 'triton',
  huggingfaceserver: 'kserve-huggingfaceserver',
};

/** The kind a runtime declares, else the one its image names; undefined when neither says (a diagnostic). */
export function runtimeKindOf(r: RuntimeDefinition): RuntimeKind | undefined {
  if (r.kind) return r.kind;
  const repository = r.image.split('@')[0].split('/').pop()?.split(':')[0] ?? '';
  return KIND_BY_IMAGE[repository];
}

export function resolveRuntime(name: string, r: RuntimeDefinition): ResolvedRuntime {
  const kind = runtimeKindOf(r);
  if (!kind) throw new Error(`resolve: runtime ${name} has no kind (validation should have reported it)`);
  const contract = RUNTIME_CONTRACTS[kind];
  const protocols = [...(r.protocols ?? contract.protocols)] as InferenceProtocol[];
  const sharedMemoryGiB = r.sharedMemoryGiB ?? contract.sharedMemoryGiB;
  return {
    name,
    image: r.image,
    formats: [...r.formats],
    kind,
    protocols,
    args: [...(r.args ?? [])],
    gpu: r.gpu ?? contract.gpu,
    cpuOnly: contract.cpuOnly,
    container: { ...contract.container(protocols), runAsUser: RUNTIME_UID, ...(sharedMemoryGiB ? { sharedMemoryGiB } : {}) },
    livenessPath: contract.livenessPath,
    metrics: { ...contract.metrics },
    openai: contract.openai,
    templateAnnotations: [...contract.templateAnnotations],
  };
}

/** Values of the runtime's template annotations for one version's resources. */
export function runtimeAnnotations(runtime: ResolvedRuntime, modelId: string, resources: Resources): Record<string, string> {
  const values: Record<string, string> = {
    [MODEL_NAME_ANNOTATION]: modelId,
    [THREADS_ANNOTATION]: String(Math.max(1, Math.floor(resources.cpu + 1e-9))),
    [TENSOR_PARALLEL_ANNOTATION]: String(Math.max(1, resources.gpus)),
  };
  // The model id annotation is always set (it names the model in every route and probe).
  return Object.fromEntries([...new Set([MODEL_NAME_ANNOTATION, ...runtime.templateAnnotations])].sort().map((k) => [k, values[k]]));
}

const resources = (cpuRequest: number, cpuLimit: number, memoryRequestGiB: number, memoryLimitGiB: number): ContainerResources => ({
  requests: { cpu: cpuRequest, memoryGiB: memoryRequestGiB },
  limits: { cpu: cpuLimit, memoryGiB: memoryLimitGiB },
});

/**
 * Defaults: Istio sidecar 100m/128Mi requests, 500m/512Mi limits (set
 * explicitly, Istio's own default limit is 2 CPU / 1 GiB); `istio-init` /
 * `istio-validation` Istio's 10m/10Mi requests, 2 CPU/1 GiB limits; KServe's
 * `inferenceservice-config` defaults for the agent and the storage initializer
 * (100m/100Mi requests, 1 CPU/1 GiB limits).
 */
export function resolveServingPlatform(platform: PlatformDefinition): ResolvedServingPlatform {
  const p = platform;
  const istio = p.mesh?.istio ?? true;
  const cni = p.mesh?.cni ?? false;
  const sidecar = containerResources(p.mesh?.sidecar, resources(0.1, 0.5, 0.125, 0.5));
  // Without CNI, istio-init needs NET_ADMIN and NET_RAW: only `privileged` admits it.
  const safe = istio && !cni ? 'privileged' : 'baseline';
  const enforce = p.podSecurity?.enforce ?? safe;
  return {
    mesh: { istio, cni, sidecar, init: resources(0.01, 2, 10 / 1024, 1) },
    agent: containerResources(p.kserve?.agent, resources(0.1, 1, 100 / 1024, 1)),
    storageInitializer: containerResources(p.kserve?.storageInitializer, resources(0.1, 1, 100 / 1024, 1)),
    maxSurgePercent: 25,
    podSecurity: { enforce, warn: p.podSecurity?.warn ?? 'baseline', audit: p.podSecurity?.audit ?? 'baseline' },
    visibilityLabel: { key: 'networking.kserve.io/visibility', value: 'cluster-local' },
  };
}

function containerResources(input: ContainerResourcesDefinition | undefined, fallback: ContainerResources): ContainerResources {
  return {
    requests: { cpu: input?.requests?.cpu ?? fallback.requests.cpu, memoryGiB: input?.requests?.memoryGiB ?? fallback.requests.memoryGiB },
    limits: { cpu: input?.limits?.cpu ?? fallback.limits.cpu, memoryGiB: input?.limits?.memoryGiB ?? fallback.limits.memoryGiB },
  };
}

/**
 * Quota charge of one pod: the model container (requests = limits), the
 * KServe agent when a logger is set, the Istio sidecar when injected; against
 * the largest init container (storage initializer, istio-init/validation), per
 * resource, as Kubernetes computes a pod's effective request.
 */
export function podCharge(serving: ResolvedServingPlatform, model: Resources, logger: boolean, sharedMemoryGiB = 0): PodCharge {
  const containers: PodCharge['containers'][number][] = [
    { name: 'kserve-container', init: false, resources: resources(model.cpu, model.cpu, model.memoryGiB, model.memoryGiB) },
    ...(logger ? [{ name: 'agent', init: false, resources: serving.agent }] : []),
    ...(serving.mesh.istio ? [{ name: 'istio-proxy', init: false, resources: serving.mesh.sidecar }] : []),
    { name: 'storage-initializer', init: true, resources: serving.storageInitializer },
    ...(serving.mesh.istio ? [{ name: serving.mesh.cni ? 'istio-validation' : 'istio-init', init: true, resources: serving.mesh.init }] : []),
  ];
  void sharedMemoryGiB; // /dev/shm is memory of the model container: already inside its limit.
  const charge = (side: 'requests' | 'limits', key: 'cpu' | 'memoryGiB') => {
    const app = containers.filter((c) => !c.init).reduce((sum, c) => sum + c.resources[side][key], 0);
    const init = Math.max(0, ...containers.filter((c) => c.init).map((c) => c.resources[side][key]));
    return Math.max(app, init);
  };
  return {
    requests: { cpu: charge('requests', 'cpu'), memoryGiB: charge('requests', 'memoryGiB') },
    limits: { cpu: charge('limits', 'cpu'), memoryGiB: charge('limits', 'memoryGiB') },
    gpus: model.gpus,
    containers,
  };
}

/** Pod-template annotations that give the Istio sidecar its resources. */
export function sidecarAnnotations(serving: ResolvedServingPlatform): Record<string, string> {
  if (!serving.mesh.istio) return {};
  const { requests, limits } = serving.mesh.sidecar;
  const cpu = (cores: number) => `${Math.round(cores * 1000)}m`;
  const memory = (gib: number) => `${Math.round(gib * 1024)}Mi`;
  return {
    'sidecar.istio.io/proxyCPU': cpu(requests.cpu),
    'sidecar.istio.io/proxyCPULimit': cpu(limits.cpu),
    'sidecar.istio.io/proxyMemory': memory(requests.memoryGiB),
    'sidecar.istio.io/proxyMemoryLimit': memory(limits.memoryGiB),
  };
}

/** Extra pods of a rolling update at `replicas`: Kubernetes' `ceil(maxSurge% × replicas)`. */
export function surgeOf(serving: ResolvedServingPlatform, replicas: number): number {
  return Math.ceil((replicas * serving.maxSurgePercent) / 100 - 1e-9);
}

/**
 * Spread over nodes always, and over zones when the pool declares them; soft
 * (`ScheduleAnyway`), so a busy pool never leaves a pod Pending for the sake of spread.
 */
export function topologySpread(pool: ResolvedPool): { topologyKey: string; maxSkew: number; whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway' }[] {
  return [
    { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' },
    ...(pool.zones.length > 1 ? [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' as const }] : []),
  ];
}
