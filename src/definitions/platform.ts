import {
  boolean,
  closed,
  described,
  count,
  dnsLabel,
  githubHandle,
  integer,
  list,
  map,
  matching,
  name,
  named,
  nonNegative,
  number,
  oneOf,
  optional,
  positive,
  positiveCount,
  sinkUrl,
  string,
  text,
  type Static,
} from './builders.js';
import { withCallSite } from './source.js';

const ResourcesSchema = closed('Per-replica resources; requests equal limits.', {
  cpu: optional(number('CPU cores, e.g. 2 or 0.5. Default: the pool\'s default resources.', { exclusiveMinimum: 0, maximum: 1024 })),
  memoryGiB: optional(number('Memory in GiB. Default: the pool\'s default resources.', { exclusiveMinimum: 0, maximum: 16384 })),
  gpus: optional(integer('Whole GPUs per replica (GPU pools only). Default: the pool\'s default resources.', { minimum: 0, maximum: 64 })),
});
/** Per-replica resources; requests equal limits. */
export interface ResourcesDefinition extends Static<typeof ResourcesSchema> {}
export const Resources = named<ResourcesDefinition>(ResourcesSchema);

const TaintSchema = closed('A Kubernetes taint on a node pool; models on the pool get the matching toleration.', {
  key: name('Taint key, e.g. `nvidia.com/gpu`.'),
  value: optional(text('Taint value. Default: no value (the toleration uses operator Exists).', { maxLength: 63 })),
  effect: oneOf('Taint effect.', ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const),
});
/** A Kubernetes taint on a node pool; models on the pool get the matching toleration. */
export interface Taint extends Static<typeof TaintSchema> {}

const GpuSpecSchema = closed('The accelerators of a GPU node pool.', {
  model: name('Product name, e.g. `nvidia-a100-80gb`; shown in plans.'),
  memoryGiB: positive('Memory of one GPU, in GiB.'),
  perNode: positiveCount('GPUs on one node.'),
  resourceName: optional(
    matching('Extended resource name requested by pods. Default: \'nvidia.com/gpu\'.', '^[a-z0-9.-]+/[a-z0-9.-]+$', 'an extended resource name such as "nvidia.com/gpu"'),
  ),
});
/** The accelerators of a GPU node pool. */
export interface GpuSpec extends Static<typeof GpuSpecSchema> {}

const NodePoolSchema = closed('A group of identical nodes that models are scheduled on.', {
  kind: oneOf('`gpu` pools must declare `gpu` and should be tainted so CPU work stays off them.', ['gpu', 'cpu'] as const),
  nodeSelector: map('Labels that select the pool\'s nodes.', text('Label value.', { maxLength: 63 }), { keys: { type: 'string', minLength: 1, maxLength: 253 } }),
  taints: optional(list('Taints of the pool\'s nodes. Default: [].', named<Taint>(TaintSchema))),
  gpu: optional(described('The pool\'s GPUs; required when `kind` is `gpu`. Default: none (a CPU pool).', named<GpuSpec>(GpuSpecSchema))),
  cpuPerNode: positive('Allocatable CPU cores on one node.'),
  memoryGiBPerNode: positive('Allocatable memory on one node, in GiB.'),
  nodes: map('Nodes available per environment (the pool\'s capacity).', count('Nodes in the environment.')),
  hourlyPriceUsd: nonNegative('On-demand price of one node, for cost estimates.'),
  zones: optional(
    list('Zones the pool\'s nodes are spread over (`topology.kubernetes.io/zone`); with two or more, every version also spreads its pods over them. Default: [] (none declared).', dnsLabel('A zone name.'), { maxItems: 16 }),
  ),
  defaultResources: optional(
    described('Resources of one replica when the deployment does not say. Default: 1 GPU, 4 CPU and 16 GiB on GPU pools; 1 CPU and 2 GiB on CPU pools.', Resources),
  ),
});
/** A group of identical nodes that models are scheduled on. */
export interface NodePoolDefinition extends Static<typeof NodePoolSchema> {}

const EnvironmentSchema = closed('A deployment environment (one cluster).', {
  cluster: matching('Argo CD destination server of the environment\'s cluster.', '^https://\\S+$', 'an https:// API server URL'),
  production: boolean('Production environments get the strictest checks (approval, replicas).'),
  gateway: closed('The Gateway that model routes attach to.', {
    name: dnsLabel('Gateway name.'),
    namespace: dnsLabel('Gateway namespace.'),
    hostname: matching('Host name the routes answer on.', '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', 'a DNS host name', { maxLength: 253 }),
  }),
  defaultPolicy: optional(name('Rollout policy used by `release` when the deployment names none. Default: the first policy found.')),
  rollbackDelivery: optional(
    oneOf(
      "How a rollback or an abort (a pre-approved revert) is published: `pull-request` waits for review and the required checks; `auto-merge` enables auto-merge on the pull request (make `synth --check` its only required check for `modelplane/rollback/*`); `push` pushes the commit straight to the base branch (branch protection must allow the bot). Default: 'pull-request'.",
      ['pull-request', 'auto-merge', 'push'] as const,
    ),
  ),
});
export interface EnvironmentDefinition extends Static<typeof EnvironmentSchema> {}

const TeamSchema = closed('A team that owns models.', {
  github: githubHandle('GitHub handle that owns the team\'s model files, e.g. `@acme/risk-ml`.', '@acme/risk-ml'),
  artifactPrefixes: map(
    'Storage prefixes the team\'s artifacts may come from, per environment.',
    list('Storage prefixes, e.g. `s3://acme-ml-prod/risk/`.', string('A storage prefix.', { minLength: 1 })),
  ),
  quota: optional(
    map('ResourceQuota of the team\'s namespace per environment. Default: the sum of every live version\'s maximum replicas times its resources.', Resources),
  ),
  identity: optional(
    map(
      'Cloud identity the team\'s ServiceAccount maps to per environment (e.g. an IAM role ARN), set as the annotation named by `platform.serviceAccountAnnotation`. Default: no annotation.',
      text('Identity, e.g. an IAM role ARN.', { minLength: 1, maxLength: 2048 }),
    ),
  ),
});
export interface TeamDefinition extends Static<typeof TeamSchema> {}

const TierSchema = closed('A service tier: priority, latency budget and replica floor of the models in it.', {
  priority: integer('PriorityClass value; higher preempts lower.', { minimum: -2147483648, maximum: 1000000000 }),
  p99BudgetMs: optional(positive('p99 latency budget for a request, end to end through the model server. Default: none (offline tiers).')),
  availability: number('Availability objective, e.g. 0.999.', { exclusiveMinimum: 0, exclusiveMaximum: 1 }),
  minReplicas: optional(
    map('Minimum replicas per environment (`*` for every other one). Default: { \'*\': 1 }.', count('Minimum replicas.'), {
      keys: {
        anyOf: [
          {
            type: 'string',
            pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$',
            maxLength: 63,
            'x-expected': 'an environment name (a lower-case DNS-1035 label) or "*"',
          },
          { const: '*' },
        ],
      },
    }),
  ),
  headroom: optional(number('Capacity margin over peak traffic used to size the warm pool. Default: 1.3.', { minimum: 1, maximum: 100 })),
  rampSeconds: optional(number('Seconds the expected traffic ramp takes, for models that declare none. Default: 60.', { minimum: 0, maximum: 86400 })),
  batching: optional(boolean('Whether request batching is allowed. Default: true.')),
  preempting: optional(boolean('Whether pods of this tier may preempt others. Default: true for tiers with priority >= 1000000.')),
  strict: optional(
    boolean(
      'Strict tiers: a minimum below the warm pool is an error (not a warning), the declared traffic ramp is simulated, production needs at least 2 minimum replicas, and SLO alerts page instead of opening a ticket. Default: false.',
    ),
  ),
  rollbackObjectiveSeconds: optional(
    integer(
      "Longest tolerated time, worst case, from a regression's start to traffic back on stable (canary analysis detection plus the platform's `rollbackPath`); `validate` refuses a policy that cannot meet it (MP8003). Default: 180 on strict tiers, 900 otherwise.",
      { minimum: 1, maximum: 86400 },
    ),
  ),
});
export interface TierDefinition extends Static<typeof TierSchema> {}

const RuntimeSchema = closed('A model server (a KServe ServingRuntime).', {
  image: text('Container image, pinned by digest (`repo@sha256:...`).', { minLength: 1, maxLength: 512 }),
  kind: optional(
    oneOf(
      'The model server, whose container contract (executable, flags, ports, protocols, user, shared memory) modelplane emits. Default: told from the image repository (`kserve/xgbserver` → `kserve-xgbserver`, `nvidia/tritonserver` → `triton`, ...).',
      ['kserve-sklearnserver', 'kserve-xgbserver', 'kserve-lgbserver', 'kserve-torchserve', 'triton', 'kserve-huggingfaceserver'] as const,
    ),
  ),
  formats: list('Model formats served, e.g. `[\'xgboost\']`.', name('A model format.'), { minItems: 1 }),
  protocols: optional(
    list('Inference protocols, a subset of what the server serves. Default: what the kind serves (Triton: v2 and grpc-v2; TorchServe: v1; the KServe Python servers: v1 and v2).', oneOf('An inference protocol.', ['v1', 'v2', 'grpc-v2'] as const), { minItems: 1 }),
  ),
  sharedMemoryGiB: optional(
    number('Size of the memory-backed `/dev/shm` (counts against the pod\'s memory limit). Default: 8 for the Hugging Face server, 2 for Triton, none for the others.', { exclusiveMinimum: 0, maximum: 1024 }),
  ),
  args: optional(list('Extra container arguments. Default: [].', text('A container argument.'))),
  gpu: optional(boolean('Whether the runtime needs a GPU pool. Default: false.')),
});
export interface RuntimeDefinition extends Static<typeof RuntimeSchema> {}

const MetricSourcesSchema = closed(
  'Where canary analysis reads its measurements. Queries are built from these parts in one place; `{{namespace}}` and `{{workload}}` in `selector` are replaced by the version\'s namespace and predictor Deployment.',
  {
    prometheus: closed('Prometheus that Argo Rollouts and `modelplane analyze` query.', {
      address: matching('Prometheus URL.', '^https?://\\S+$', 'an http(s):// URL'),
      timeoutSeconds: optional(integer('Query timeout in seconds. Default: 30.', { minimum: 1, maximum: 600 })),
      selectorLabels: optional(
        map(
          'Labels this Prometheus selects PodMonitors and PrometheusRules by (its podMonitorSelector and ruleSelector matchLabels); every monitoring object carries them. Default: { prometheus: \'modelplane\' }.',
          string('Label value.', { minLength: 1, maxLength: 63 }),
          { keys: { type: 'string', minLength: 1, maxLength: 253 } },
        ),
      ),
    }),
    requests: closed('Request metrics of the mesh or gateway.', {
      total: name('Counter of requests, e.g. `istio_requests_total`.'),
      errorMatcher: name('Label matcher selecting failed requests, e.g. `response_code=~"5.."`.'),
      durationBucketMs: name('Histogram buckets of request duration in milliseconds, e.g. `istio_request_duration_milliseconds_bucket`.'),
      selector: name('Label matchers selecting one version\'s pods.'),
    }),
    gpuUtilization: optional(name('GPU utilisation per pod, e.g. DCGM\'s `DCGM_FI_DEV_GPU_UTIL`. Default: \'DCGM_FI_DEV_GPU_UTIL\'.')),
    modelServer: optional(
      closed(
        'Histograms of a model server whose runtime exports no queueing or batch series of its own (a custom server), selected by `namespace` and `pod`: the dashboards and rules of such models read them. Runtimes that export their own (Triton, TorchServe, vLLM) use those. Default: none.',
        {
          queueSecondsBucket: optional(name('Queueing delay histogram in seconds. Default: none.')),
          batchSizeBucket: optional(name('Batch size histogram. Default: none.')),
        },
      ),
    ),
  },
);
/** Where canary analysis reads its measurements. */
export interface MetricSourcesDefinition extends Static<typeof MetricSourcesSchema> {}

const LoggingSinksSchema = closed('Where prediction logs (`deploy.<env>.logging`) may be sent.', {
  sink: sinkUrl('Default log sink URL, used when a deployment\'s `logging.url` is not set.'),
  scrubbingSink: sinkUrl('Sink that scrubs personal data before storing; the only sink payloads of `pii` models may go to.'),
  allowedUrls: optional(list('Further URLs a deployment\'s `logging.url` may name. Default: [].', sinkUrl('A log sink URL.'))),
});
/** Where prediction logs (`deploy.<env>.logging`) may be sent. */
export interface LoggingSinksDefinition extends Static<typeof LoggingSinksSchema> {}

const AutoscalingSchema = closed('How the autoscalers behave; `simulate` and the warm-pool gate use the same numbers.', {
  syncPeriodSeconds: optional(integer('HPA / KEDA evaluation period. Default: 15.', { minimum: 1, maximum: 600 })),
  targetUtilization: optional(number('Share of `maxRpsPerReplica` (or CPU) the autoscaler aims for. Default: 0.7.', { exclusiveMinimum: 0, maximum: 1 })),
  metricLagSeconds: optional(integer('Age of the metric the autoscaler sees (scrape + rate window). Default: 30.', { minimum: 0, maximum: 600 })),
  scaleUpPods: optional(integer('Scale-up limit per period: the larger of this many pods and doubling. Default: 4.', { minimum: 1, maximum: 1000 })),
});
/** How the autoscalers behave; `simulate` and the warm-pool gate use the same numbers. */
export interface AutoscalingDefinition extends Static<typeof AutoscalingSchema> {}

const ContainerResourcesSchema = closed('Requests and limits of one container.', {
  requests: optional(
    closed('Requests. Default: see the field that uses it.', {
      cpu: optional(number('CPU cores. Default: see the field that uses it.', { exclusiveMinimum: 0, maximum: 64 })),
      memoryGiB: optional(number('Memory in GiB. Default: see the field that uses it.', { exclusiveMinimum: 0, maximum: 256 })),
    }),
  ),
  limits: optional(
    closed('Limits. Default: see the field that uses it.', {
      cpu: optional(number('CPU cores. Default: see the field that uses it.', { exclusiveMinimum: 0, maximum: 64 })),
      memoryGiB: optional(number('Memory in GiB. Default: see the field that uses it.', { exclusiveMinimum: 0, maximum: 256 })),
    }),
  ),
});
/** Requests and limits of one container. */
export interface ContainerResourcesDefinition extends Static<typeof ContainerResourcesSchema> {}

const MeshSchema = closed('The service mesh the model namespaces are injected into.', {
  istio: optional(boolean('Istio sidecar injection in model namespaces. Default: true.')),
  cni: optional(
    boolean(
      'Istio runs the CNI node agent: the injected init container is then `istio-validation` and namespaces can enforce Pod Security `baseline`; without it `istio-init` needs NET_ADMIN and NET_RAW. Default: false.',
    ),
  ),
  sidecar: optional(
    described('Resources of the `istio-proxy` sidecar, set on every pod by its annotations. Default: 100m CPU and 0.125 GiB requests, 500m and 0.5 GiB limits.', named<ContainerResourcesDefinition>(ContainerResourcesSchema)),
  ),
});
/** The service mesh the model namespaces are injected into. */
export interface MeshDefinition extends Static<typeof MeshSchema> {}

const KserveSchema = closed('What the cluster\'s KServe injects into model pods (its `inferenceservice-config`); modelplane counts it in quotas.', {
  agent: optional(
    described('The `agent` key: the KServe agent beside a model with a logger. Default: KServe\'s, 100m CPU and 100 MiB requests, 1 CPU and 1 GiB limits.', named<ContainerResourcesDefinition>(ContainerResourcesSchema)),
  ),
  storageInitializer: optional(
    described('The `storageInitializer` key: the init container that downloads the artifact. Default: KServe\'s, 100m CPU and 100 MiB requests, 1 CPU and 1 GiB limits.', named<ContainerResourcesDefinition>(ContainerResourcesSchema)),
  ),
});
/** What the cluster's KServe injects into model pods. */
export interface KserveDefinition extends Static<typeof KserveSchema> {}

const PodSecurityLevels = ['privileged', 'baseline', 'restricted'] as const;
const PodSecuritySchema = closed('Pod Security Admission levels of the model namespaces.', {
  enforce: optional(oneOf('Enforced level. Default: \'baseline\' with Istio CNI or without Istio, else \'privileged\' (istio-init needs NET_ADMIN and NET_RAW).', PodSecurityLevels)),
  warn: optional(oneOf('Level that warns. Default: \'baseline\'.', PodSecurityLevels)),
  audit: optional(oneOf('Level that audits. Default: \'baseline\'.', PodSecurityLevels)),
});
/** Pod Security Admission levels of the model namespaces. */
export interface PodSecurityDefinition extends Static<typeof PodSecuritySchema> {}

const PromoterSchema = closed('The in-cluster promoter: a Deployment per environment running `modelplane promote --watch`.', {
  image: matching('Image holding modelplane and git, pinned by digest.', '^[^@\\s]+@sha256:[0-9a-f]{64}$', 'an image pinned by digest, e.g. ghcr.io/acme/modelplane@sha256:<64 hex digits>'),
  namespace: optional(dnsLabel("Namespace the promoter runs in. Default: 'modelplane-system'.")),
  credentialsSecret: optional(dnsLabel("Secret (in the promoter's namespace) whose key `token` is a GitHub token that may push only `modelplane/*` branches and open pull requests. Default: 'modelplane-promoter-github'.")),
});
/** The in-cluster promoter. */
export interface PromoterDefinition extends Static<typeof PromoterSchema> {}

/** JSON Schema of `definePlatform({...})`. */
const seconds = (description: string) => optional(number(description, { minimum: 0, maximum: 86400 }));
const RollbackPathSchema = closed('Declared latencies, in seconds, of the path from a failed analysis to traffic on stable.', {
  promoterReactionSeconds: seconds('Failed AnalysisRun → the promoter\'s decision (`promote --watch`). Default: 5.'),
  checkSeconds: seconds('The rollback commit\'s check (`synth --check`). Default: 30.'),
  mergeSeconds: seconds('Merge or direct push of the rollback. Default: 10.'),
  refreshSeconds: seconds('Push → Argo CD refresh of the Application (refresh annotation). Default: 5.'),
  syncSeconds: seconds('Refresh → the HTTPRoute applied. Default: 30.'),
  scrapeSeconds: seconds('Prometheus scrape interval of the model pods (the PodMonitors\'). Default: 15.'),
});

export const PlatformSchema = closed('The platform: environments, node pools, teams, tiers and runtimes (`policies/platform.ts`).', {
  repoURL: matching('Git repository Argo CD reads `generated/` from.', '^(https://|ssh://|git@)\\S+$', 'an https:// or ssh git URL'),
  targetRevision: optional(name('Git revision Argo CD follows. Default: \'main\'.')),
  argocdNamespace: optional(dnsLabel('Namespace Argo CD runs in. Default: \'argocd\'.')),
  argocd: optional(
    closed('Settings of the one Argo CD that syncs every environment (its health customizations in argocd-cm). Default: see each field.', {
      progressDeadlineSeconds: optional(
        integer(
          'Seconds allowed for what comes before a model container starts (scheduling, image pull, artifact download). Each InferenceService may stay not Ready for this plus all its startup probe allows plus one readiness window (its `modelplane.io/progress-deadline-seconds` annotation) before its Argo CD health turns Degraded (a sync then fails instead of waiting on Pending GPU pods); an InferenceService without the annotation gets this. Default: 900.',
          { minimum: 60, maximum: 86400 },
        ),
      ),
    }),
  ),
  platformTeam: closed('The platform team: owns `generated/` and the platform objects.', {
    github: githubHandle('GitHub handle of the platform team.', '@acme/ml-platform'),
  }),
  environments: map('Environments, keyed by name.', named<EnvironmentDefinition>(EnvironmentSchema), { minProperties: 1 }),
  nodePools: map('Node pools, keyed by name.', named<NodePoolDefinition>(NodePoolSchema), { minProperties: 1 }),
  teams: map('Teams, keyed by name (a model\'s `owner`).', named<TeamDefinition>(TeamSchema), { minProperties: 1 }),
  tiers: map('Tiers, keyed by name (a model\'s `tier`).', named<TierDefinition>(TierSchema), { minProperties: 1 }),
  runtimes: map('Serving runtimes, keyed by name.', named<RuntimeDefinition>(RuntimeSchema), { minProperties: 1 }),
  metricSources: named<MetricSourcesDefinition>(MetricSourcesSchema),
  autoscaling: optional(described('Autoscaler settings. Default: see each field.', named<AutoscalingDefinition>(AutoscalingSchema))),
  serviceAccountAnnotation: optional(name('Annotation key for team identities. Default: \'eks.amazonaws.com/role-arn\'.')),
  promoter: optional(
    described(
      'The in-cluster promoter (`promote --watch`) that decides the moment an AnalysisRun finishes; the scheduled job stays as the safety net. Default: none.',
      named<PromoterDefinition>(PromoterSchema),
    ),
  ),
  deploymentMode: optional(oneOf('KServe deployment mode. Default: \'Standard\'.', ['Standard', 'RawDeployment'] as const)),
  mesh: optional(described('The service mesh of the model namespaces. Default: Istio injection without CNI.', named<MeshDefinition>(MeshSchema))),
  kserve: optional(described('What KServe injects into model pods. Default: KServe\'s defaults.', named<KserveDefinition>(KserveSchema))),
  podSecurity: optional(described('Pod Security levels of the model namespaces. Default: see each field.', named<PodSecurityDefinition>(PodSecuritySchema))),
  logging: optional(
    described(
      'Prediction log sinks. `logging.url` must be one of them, and payloads of `pii` models may only go to `scrubbingSink`. Default: no sinks: no deployment may set `logging.url`, and `pii` models may not log payloads.',
      named<LoggingSinksDefinition>(LoggingSinksSchema),
    ),
  ),
  rollbackPath: optional(described('Latencies of the rollback path, for the rollback budget of each tier. Default: see each field.', RollbackPathSchema)),
});
export interface PlatformDefinition extends Static<typeof PlatformSchema> {}
export interface RollbackPathDefinition extends Static<typeof RollbackPathSchema> {}

/** Declares the platform: environments, node pools, teams, tiers and runtimes (`policies/platform.ts`). */
export function definePlatform(definition: PlatformDefinition): PlatformDefinition {
  return withCallSite(definition, 'platform');
}
