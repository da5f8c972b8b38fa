import { withCallSite } from './source.js';

/** A Kubernetes taint on a node pool; models on the pool get the matching toleration. */
export interface Taint {
  readonly key: string;
  /** @default - no value (the toleration uses operator Exists) */
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** The accelerators of a GPU node pool. */
export interface GpuSpec {
  /** Product name, e.g. `nvidia-a100-80gb`; shown in plans. */
  readonly model: string;
  /** Memory of one GPU. */
  readonly memoryGiB: number;
  /** GPUs on one node. */
  readonly perNode: number;
  /** Extended resource name requested by pods. @default 'nvidia.com/gpu' */
  readonly resourceName?: string;
}

/** A group of identical nodes that models are scheduled on. */
export interface NodePoolDefinition {
  /** `gpu` pools must declare `gpu` and should be tainted so CPU work stays off them. */
  readonly kind: 'gpu' | 'cpu';
  /** Labels that select the pool's nodes. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** @default [] */
  readonly taints?: readonly Taint[];
  /** Required when `kind` is `gpu`. */
  readonly gpu?: GpuSpec;
  /** Allocatable CPU cores on one node. */
  readonly cpuPerNode: number;
  /** Allocatable memory on one node. */
  readonly memoryGiBPerNode: number;
  /** Nodes available per environment (the pool's capacity). */
  readonly nodes: Readonly<Record<string, number>>;
  /** On-demand price of one node, for cost estimates. */
  readonly hourlyPriceUsd: number;
  /**
   * Resources of one replica when the deployment does not say.
   * @default - 1 GPU, 4 CPU and 16 GiB on GPU pools; 1 CPU and 2 GiB on CPU pools
   */
  readonly defaultResources?: ResourcesDefinition;
}

/** Per-replica resources; requests equal limits. */
export interface ResourcesDefinition {
  /** CPU cores, e.g. 2 or 0.5. */
  readonly cpu?: number;
  readonly memoryGiB?: number;
  /** Whole GPUs per replica (GPU pools only). */
  readonly gpus?: number;
}

export interface EnvironmentDefinition {
  /** Argo CD destination server of the environment's cluster. */
  readonly cluster: string;
  /** Production environments get the strictest checks (approval, replicas). */
  readonly production: boolean;
  /** The Gateway that model routes attach to. */
  readonly gateway: { readonly name: string; readonly namespace: string; readonly hostname: string };
  /**
   * Rollout policy used by `release` when the deployment names none.
   * @default - the first policy found
   */
  readonly defaultPolicy?: string;
}

export interface TeamDefinition {
  /** GitHub handle that owns the team's model files, e.g. `@acme/risk-ml`. */
  readonly github: string;
  /** Storage prefixes the team's artifacts may come from, per environment. */
  readonly artifactPrefixes: Readonly<Record<string, readonly string[]>>;
  /**
   * ResourceQuota of the team's namespace per environment.
   * @default - the sum of every live version's maximum replicas times its resources
   */
  readonly quota?: Readonly<Record<string, ResourcesDefinition>>;
  /**
   * Cloud identity the team's ServiceAccount maps to (e.g. an IAM role ARN), set as
   * the annotation named by `platform.serviceAccountAnnotation`.
   * @default - no annotation
   */
  readonly identity?: Readonly<Record<string, string>>;
}

export interface TierDefinition {
  /** PriorityClass value; higher preempts lower. */
  readonly priority: number;
  /** p99 latency budget for a request, end to end through the model server. Omit for offline tiers. */
  readonly p99BudgetMs?: number;
  /** Availability objective, e.g. 0.999. */
  readonly availability: number;
  /** Minimum replicas per environment. @default { '*': 1 } */
  readonly minReplicas?: Readonly<Record<string, number>>;
  /** Capacity margin over peak traffic used to size the warm pool. @default 1.3 */
  readonly headroom?: number;
  /** Whether request batching is allowed. @default true */
  readonly batching?: boolean;
  /** Seconds the expected traffic ramp takes, for models that declare none. @default 60 */
  readonly rampSeconds?: number;
  /** Whether pods of this tier may preempt others. @default true for tiers with priority >= 1000000 */
  readonly preempting?: boolean;
  /**
   * Strict tiers: a minimum below the warm pool is an error (not a warning), the
   * declared traffic ramp is simulated, production needs at least 2 minimum
   * replicas, and SLO alerts page instead of opening a ticket.
   * @default false
   */
  readonly strict?: boolean;
}

export interface RuntimeDefinition {
  /** Container image, pinned by digest (`repo@sha256:...`). */
  readonly image: string;
  /** Model formats served, e.g. `['xgboost']`. */
  readonly formats: readonly string[];
  /** Inference protocols. @default ['v1', 'v2'] */
  readonly protocols?: readonly ('v1' | 'v2')[];
  /** Extra container arguments. @default [] */
  readonly args?: readonly string[];
  /** Whether the runtime needs a GPU pool. @default false */
  readonly gpu?: boolean;
}

/**
 * Where canary analysis reads its measurements. Queries are built from these
 * parts in one place (src/delivery/queries.ts); `{{namespace}}` and
 * `{{workload}}` in `selector` are replaced by the version's namespace and
 * predictor Deployment.
 */
export interface MetricSourcesDefinition {
  /** Prometheus that Argo Rollouts and `modelplane analyze` query. */
  readonly prometheus: { readonly address: string; /** @default 30 */ readonly timeoutSeconds?: number };
  /** Request metrics of the mesh or gateway. */
  readonly requests: {
    /** Counter of requests, e.g. `istio_requests_total`. */
    readonly total: string;
    /** Label matcher selecting failed requests, e.g. `response_code=~"5.."`. */
    readonly errorMatcher: string;
    /** Histogram buckets of request duration in milliseconds, e.g. `istio_request_duration_milliseconds_bucket`. */
    readonly durationBucketMs: string;
    /** Label matchers selecting one version's pods. */
    readonly selector: string;
  };
  /**
   * GPU utilisation per pod, e.g. DCGM's `DCGM_FI_DEV_GPU_UTIL`.
   * @default 'DCGM_FI_DEV_GPU_UTIL'
   */
  readonly gpuUtilization?: string;
  /**
   * Model-server histograms (KServe): queueing delay and batch size, selected by `namespace` and `pod`.
   * @default - KServe's names: 'request_queue_seconds_bucket' and 'batch_size_bucket'
   */
  readonly modelServer?: { readonly queueSecondsBucket?: string; readonly batchSizeBucket?: string };
}

/** Where prediction logs (`deploy.<env>.logging`) may be sent. */
export interface LoggingSinksDefinition {
  /** Default log sink URL, used when a deployment's `logging.url` is not set. */
  readonly sink: string;
  /** Sink that scrubs personal data before storing; the only sink payloads of `pii` models may go to. */
  readonly scrubbingSink: string;
  /** Further URLs a deployment's `logging.url` may name. @default [] */
  readonly allowedUrls?: readonly string[];
}

/** How the autoscalers behave; `simulate` and the warm-pool gate use the same numbers. */
export interface AutoscalingDefinition {
  /** HPA / KEDA evaluation period. @default 15 */
  readonly syncPeriodSeconds?: number;
  /** Share of `maxRpsPerReplica` (or CPU) the autoscaler aims for. @default 0.7 */
  readonly targetUtilization?: number;
  /** Age of the metric the autoscaler sees (scrape + rate window). @default 30 */
  readonly metricLagSeconds?: number;
  /** Scale-up limit per period: the larger of this many pods and doubling. @default 4 */
  readonly scaleUpPods?: number;
}

export interface PlatformDefinition {
  /** Git repository Argo CD reads `generated/` from. */
  readonly repoURL: string;
  /** @default 'main' */
  readonly targetRevision?: string;
  /** Namespace Argo CD runs in. @default 'argocd' */
  readonly argocdNamespace?: string;
  /** The platform team: owns `generated/` and the platform objects. */
  readonly platformTeam: { readonly github: string };
  readonly environments: Readonly<Record<string, EnvironmentDefinition>>;
  readonly nodePools: Readonly<Record<string, NodePoolDefinition>>;
  readonly teams: Readonly<Record<string, TeamDefinition>>;
  readonly tiers: Readonly<Record<string, TierDefinition>>;
  /** Serving runtimes, keyed by name. */
  readonly runtimes: Readonly<Record<string, RuntimeDefinition>>;
  /** Annotation key for team identities. @default 'eks.amazonaws.com/role-arn' */
  readonly serviceAccountAnnotation?: string;
  /** Autoscaler settings. @default - see AutoscalingDefinition */
  readonly autoscaling?: AutoscalingDefinition;
  /** Metric sources for canary analysis. */
  readonly metricSources: MetricSourcesDefinition;
  /** KServe deployment mode. @default 'Standard' */
  readonly deploymentMode?: 'Standard' | 'RawDeployment';
  /**
   * Prediction log sinks. `logging.url` must be one of them, and payloads of
   * `pii` models may only go to `scrubbingSink`.
   * @default - no sinks: no deployment may set `logging.url`, and `pii` models may not log payloads
   */
  readonly logging?: LoggingSinksDefinition;
}

/** Declares the platform: environments, node pools, teams, tiers and runtimes (`policies/platform.ts`). */
export function definePlatform<const T extends PlatformDefinition>(definition: T): T {
  return withCallSite(definition, 'platform');
}
