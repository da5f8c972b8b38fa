import type { AutoscalerModel, ScalingBehavior } from './simulate.js';
import type { SeriesExporter } from '../metrics/series.js';
import type { BuiltInCheck, FeatureType, LineageDefinition, MetricSourcesDefinition, ProfileDefinition, QualityCheckDefinition, Taint } from '../definitions/index.js';

/** Metric sources with every default applied. */
export interface ResolvedMetricSources {
  readonly prometheus: { readonly address: string; readonly timeoutSeconds: number };
  readonly requests: MetricSourcesDefinition['requests'];
  /** GPU utilisation per pod. */
  readonly gpuUtilization: string;
  /**
   * Histograms of a model server whose runtime exports no queueing or batch
   * series of its own, when the platform declares them; none by default.
   */
  readonly modelServer: { readonly queueSecondsBucket?: string; readonly batchSizeBucket?: string };
}

/**
 * The resolved platform: every default applied, every reference followed, one
 * entry per environment. Charts, plans and the promoter read only this.
 */
export interface ResolvedPlatform {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly argocdNamespace: string;
  /** The one Argo CD every environment is synced by: its bootstrap and shared configuration. */
  readonly argocd: {
    /** AppProject of the root Applications, applied by the bootstrap and synced by no Application. */
    readonly bootstrapProject: string;
    /** Folder applied by hand once: `kubectl apply -n <ns> -f <bootstrapPath>`. */
    readonly bootstrapPath: string;
    /** Application syncing `sharedPath` (argocd-cm health customizations, notifications). */
    readonly sharedApplication: string;
    readonly sharedPath: string;
    /**
     * Seconds allowed before a model container starts (scheduling, image pull,
     * artifact download): part of every InferenceService's
     * `modelplane.io/progress-deadline-seconds`, and the whole deadline of one
     * that carries none.
     */
    readonly defaultProgressDeadlineSeconds: number;
  };
  readonly platformTeamGithub: string;
  readonly deploymentMode: string;
  readonly serviceAccountAnnotation: string;
  /** What the platform provides around a model pod: mesh, KServe agent, storage initializer. */
  readonly serving: ResolvedServingPlatform;
  readonly metricSources: ResolvedMetricSources;
  /**
   * Labels the platform's Prometheus selects PodMonitors and PrometheusRules by
   * (`podMonitorSelector`, `ruleSelector`): every monitoring object carries them.
   */
  readonly monitorSelectorLabels: Readonly<Record<string, string>>;
  /** Latencies of the path from a failed analysis to traffic on stable. */
  readonly rollbackPath: ResolvedRollbackPath;
  /** `owner/name` of the repository on GitHub, or `OWNER/REPOSITORY` when repoURL is not a GitHub URL. */
  readonly githubRepository: string;
  /** The in-cluster promoter, when the platform opts in. */
  readonly promoter?: { readonly image: string; readonly namespace: string; readonly credentialsSecret: string };
  /** Rollout policies, sorted by name. */
  readonly policies: readonly ResolvedPolicy[];
  /** Sorted by name. */
  readonly environments: readonly ResolvedEnvironment[];
  /** Model id → repository-relative definition file and owner's GitHub handle (for CODEOWNERS). */
  readonly modelFiles: readonly { readonly modelId: string; readonly file: string; readonly github: string }[];
}

export interface ResolvedPolicy {
  readonly name: string;
  readonly file: string;
  readonly steps: readonly { readonly weight: number; readonly pause: string; readonly pauseSeconds: number }[];
  readonly analysis: {
    readonly interval: string;
    readonly intervalSeconds: number;
    /** The declared count, if any (the measurements of each step are in `tiers`). */
    readonly count?: number;
    readonly failureLimit: number;
    readonly metrics: readonly BuiltInCheck[];
    readonly maxErrorRatio: number;
    readonly maxLatencyRatio: number;
    readonly minRequests: number;
    readonly window: string;
    readonly quality: readonly QualityCheckDefinition[];
  };
  /** Analysis timing of each tier of the platform under this policy, by tier name. */
  readonly tiers: Readonly<Record<string, ResolvedAnalysisTiming>>;
  readonly offlineGates: Readonly<Record<string, string>>;
  readonly requireApproval: boolean;
  readonly keepPreviousFor: string;
  readonly keepPreviousForSeconds: number;
  readonly environments: readonly string[];
}

/** How often and over what window a tier's canary steps are measured under a policy. */
export interface ResolvedAnalysisTiming {
  readonly interval: string;
  readonly intervalSeconds: number;
  /** Range of rate() and increase() in the queries. */
  readonly window: string;
  readonly windowSeconds: number;
  readonly failureLimit: number;
  /** First measurement after the run starts (one interval). */
  readonly initialDelaySeconds: number;
  /** Measurements of each step (by step index): the declared count, else as many as no regression of the step passes. */
  readonly counts: readonly number[];
  /** Whether `counts` are the declared count (to be checked) rather than derived. */
  readonly declaredCount: boolean;
}

/** Declared latencies of the rollback path, every default applied. */
export interface ResolvedRollbackPath {
  readonly promoterReactionSeconds: number;
  readonly checkSeconds: number;
  readonly mergeSeconds: number;
  readonly refreshSeconds: number;
  readonly syncSeconds: number;
  /** Prometheus scrape interval of model pods (the PodMonitors' interval). */
  readonly scrapeSeconds: number;
}

export interface ResolvedEnvironment {
  readonly name: string;
  readonly production: boolean;
  readonly cluster: string;
  readonly gateway: { readonly name: string; readonly namespace: string; readonly hostname: string };
  /** Policy `release` uses in this environment. */
  readonly defaultPolicy?: string;
  /** How rollbacks and aborts are published. */
  readonly rollbackDelivery: 'pull-request' | 'auto-merge' | 'push';
  /** Argo CD names of the environment. */
  readonly argocd: {
    readonly rootApplication: string;
    readonly platformApplication: string;
    readonly platformProject: string;
    /** Repository paths the root and platform Applications sync. */
    readonly rootPath: string;
    readonly platformPath: string;
  };
  readonly teams: readonly ResolvedTeam[];
  readonly tiers: readonly ResolvedTier[];
  readonly pools: readonly ResolvedPool[];
  readonly runtimes: readonly ResolvedRuntime[];
  /** Models deployed in this environment, sorted by id. */
  readonly models: readonly ResolvedModel[];
}

export interface Resources {
  readonly cpu: number;
  readonly memoryGiB: number;
  readonly gpus: number;
}

export interface ResolvedTeam {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly identity?: string;
  readonly github: string;
  readonly project: string;
  readonly quotaName: string;
  /** Limits quota (`limits.cpu`, `limits.memory`, GPUs). */
  readonly quota: Resources;
  /** Requests quota (`requests.cpu`, `requests.memory`). */
  readonly quotaRequests: { readonly cpu: number; readonly memoryGiB: number };
  /** What the team's live versions need at maximum replicas plus a rolling update's surge, every container counted. */
  readonly quotaNeeded: { readonly requests: { readonly cpu: number; readonly memoryGiB: number }; readonly limits: Resources };
  /** Namespace labels of the mesh and Pod Security. */
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly gpuResourceNames: readonly string[];
}

export interface ResolvedTier {
  readonly name: string;
  readonly priorityClassName: string;
  readonly priority: number;
  readonly preempting: boolean;
  readonly p99BudgetMs?: number;
  readonly availability: number;
  readonly minReplicas: number;
  readonly headroom: number;
  readonly batching: boolean;
  /**
   * Strict tiers: replica shortfalls against the warm pool are errors (not
   * warnings), the declared ramp is simulated, production needs 2 minimum
   * replicas, and SLO alerts page instead of opening a ticket.
   */
  readonly strict: boolean;
  /** Worst-case seconds tolerated from a regression's start to traffic on stable. */
  readonly rollbackObjectiveSeconds: number;
}

export interface ResolvedPool {
  readonly name: string;
  readonly kind: 'gpu' | 'cpu';
  readonly nodes: number;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly gpu?: { readonly model: string; readonly memoryGiB: number; readonly perNode: number; readonly resourceName: string };
  /** Extended resource a replica's GPUs are requested as (the GPU's, else `nvidia.com/gpu`). */
  readonly gpuResourceName: string;
  readonly cpuPerNode: number;
  readonly memoryGiBPerNode: number;
  readonly hourlyPriceUsd: number;
  /** Zones the pool's nodes are spread over (`topology.kubernetes.io/zone`). @default - none declared */
  readonly zones: readonly string[];
}

/** Requests and limits of one container (CPU cores, GiB). */
export interface ContainerResources {
  readonly requests: { readonly cpu: number; readonly memoryGiB: number };
  readonly limits: { readonly cpu: number; readonly memoryGiB: number };
}

/** The service mesh the model namespaces are injected into. */
export interface ResolvedMesh {
  /** Istio sidecar injection in model namespaces. */
  readonly istio: boolean;
  /**
   * Istio CNI node agent installed: the injected init container is
   * `istio-validation` (no added capabilities) instead of `istio-init`
   * (NET_ADMIN, NET_RAW), which Pod Security `baseline` rejects.
   */
  readonly cni: boolean;
  /** `istio-proxy` resources, set on every pod with the `sidecar.istio.io/proxy*` annotations. */
  readonly sidecar: ContainerResources;
  /** The injected init container (`istio-init` or `istio-validation`). */
  readonly init: ContainerResources;
}

export interface ResolvedServingPlatform {
  readonly mesh: ResolvedMesh;
  /**
   * The KServe agent container injected beside the model when a logger is
   * set: the cluster's `inferenceservice-config` `agent` resources (KServe
   * cannot set them per InferenceService; these must match the cluster).
   */
  readonly agent: ContainerResources;
  /** The storage-initializer init container (`inferenceservice-config` `storageInitializer`). */
  readonly storageInitializer: ContainerResources;
  /** Rolling-update surge of a predictor Deployment, in percent of its replicas (Kubernetes default 25). */
  readonly maxSurgePercent: number;
  /** Pod Security Admission levels of the model namespaces. */
  readonly podSecurity: { readonly enforce: 'privileged' | 'baseline' | 'restricted'; readonly warn: 'privileged' | 'baseline' | 'restricted'; readonly audit: 'privileged' | 'baseline' | 'restricted' };
  /** Label on every InferenceService that keeps KServe from creating its own Ingress or HTTPRoute. */
  readonly visibilityLabel: { readonly key: string; readonly value: string };
}

/**
 * Model servers modelplane knows the container contract of (command, flags,
 * ports, protocols, user, shared memory), after KServe's own ClusterServingRuntimes.
 */
export type RuntimeKind = 'kserve-sklearnserver' | 'kserve-xgbserver' | 'kserve-lgbserver' | 'kserve-torchserve' | 'triton' | 'kserve-huggingfaceserver';

export type InferenceProtocol = 'v1' | 'v2' | 'grpc-v2';

export interface ResolvedContainerPort {
  readonly name: string;
  readonly containerPort: number;
}

/** The `kserve-container` of a ServingRuntime, with KServe's Go templates over the InferenceService's metadata. */
export interface ResolvedRuntimeContainer {
  readonly command?: readonly string[];
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  /** The first is the HTTP port KServe's Service targets. */
  readonly ports: readonly ResolvedContainerPort[];
  /** Numeric: the kubelet cannot check `runAsNonRoot` against a user name. */
  readonly runAsUser: number;
  /** A memory-backed `/dev/shm` of this size (GiB; it counts against the pod's memory limit). */
  readonly sharedMemoryGiB?: number;
}

export interface ResolvedRuntime {
  readonly name: string;
  readonly image: string;
  readonly formats: readonly string[];
  readonly kind: RuntimeKind;
  /** Protocols the server really serves. */
  readonly protocols: readonly InferenceProtocol[];
  /** Extra container arguments from the platform. */
  readonly args: readonly string[];
  /** Needs a GPU node pool. */
  readonly gpu: boolean;
  /** Runs on CPU only (KServe's tree and scikit-learn servers): a GPU pool would idle its GPUs. */
  readonly cpuOnly: boolean;
  readonly container: ResolvedRuntimeContainer;
  /** Server-level liveness endpoint (the process answers), as opposed to the model's readiness. */
  readonly livenessPath: string;
  /** Where the server's own metrics are scraped. */
  readonly metrics: { readonly port: string; readonly containerPort: number; readonly path: string };
  /** Serves the OpenAI-compatible API under `openaiPrefix` for generative models. */
  readonly openai: boolean;
  /** InferenceService annotations the container's templates read; every InferenceService using the runtime carries them. */
  readonly templateAnnotations: readonly string[];
}

/** Why a version is live in an environment. A version can have several roles. */
export type ServerRole = 'stable' | 'canary' | 'tenant' | 'previous';

export interface ResolvedCanary {
  readonly version: string;
  readonly policy: string;
  readonly step: number;
  /** Percentage of default traffic sent to the canary at this step. */
  readonly weight: number;
  /** The AnalysisRun of this step. */
  readonly analysisRun: string;
}

/** One model deployed in one environment. */
export interface ResolvedModel {
  readonly id: string;
  readonly env: string;
  readonly file: string;
  readonly owner: string;
  readonly ownerGithub: string;
  readonly taskType: string;
  readonly description: string;
  readonly tier: ResolvedTier;
  readonly dataClass: 'public' | 'internal' | 'pii';
  readonly namespace: string;
  readonly project: string;
  readonly application: string;
  /** The model's HTTPRoute. */
  readonly route: string;
  /** Repository path of the model's generated objects, which its Application syncs. */
  readonly generatedPath: string;
  /** The Grafana dashboard ConfigMap and its file key. */
  readonly dashboard: { readonly configMap: string; readonly file: string; readonly uid: string };
  /** Rule groups of the model's PrometheusRule. */
  readonly ruleGroups: { readonly recording: string; readonly alerts: string };
  /** Predictor Deployments (and Services) of the stable and canary versions. */
  readonly workloads: { readonly stable: string; readonly canary?: string };
  /** AnalysisTemplates emitted for the model: the environment's default policy and the canary's, if they have steps. */
  readonly analysisTemplates: readonly { readonly policy: string; readonly name: string }[];
  readonly pool: ResolvedPool;
  readonly stable: string;
  readonly canary?: ResolvedCanary;
  readonly previous?: { readonly version: string; readonly until: string };
  /** Sorted by tenant. */
  readonly tenants: readonly { readonly tenant: string; readonly version: string }[];
  readonly peakRps?: number;
  /** The traffic ramp `simulate` and the warm-pool gate use. */
  readonly ramp?: { readonly peakRps: number; readonly rampSeconds: number; readonly baselineRps: number };
  /** Model-specific quality and drift checks. */
  readonly quality: readonly QualityCheckDefinition[];
  /** One per live version: stable first, then canary, tenant pins and previous, each once. */
  readonly servers: readonly ResolvedServer[];
  /**
   * Paths every rule of the model's route matches: the KServe v1 and v2 paths
   * of the model id, plus the OpenAI-compatible paths of a generative model
   * (served under a per-model prefix, so two models on one hostname never claim the same path).
   */
  readonly paths: readonly { readonly type: 'Exact' | 'PathPrefix'; readonly value: string }[];
  /** Generative models: the OpenAI-compatible API's prefix, e.g. `/openai/assistant-llm`. */
  readonly openaiPrefix?: string;
  /**
   * A retired deployment (`deploy.<env>.retired`): no route is emitted and
   * every server's weight is 0; the InferenceServices are kept. `since` is ''
   * for `retired: true`. @default - not retired
   */
  readonly retired?: { readonly since: string };
}

/** One live version of a model: becomes one InferenceService. */
export interface ResolvedServer {
  readonly name: string;
  /** The Deployment (and Service) KServe creates for the predictor. */
  readonly predictorName: string;
  /** Index of the version in the model's `versions`. */
  readonly versionIndex: number;
  readonly namespace: string;
  readonly version: string;
  readonly roles: readonly ServerRole[];
  /** Share of the default route's traffic, in percent. */
  readonly weight: number;
  readonly format: string;
  readonly runtime: ResolvedRuntime;
  readonly storageUri: string;
  readonly artifactSha256: string;
  readonly features: Readonly<Record<string, FeatureType>>;
  readonly lineage: LineageDefinition;
  readonly profile: ProfileDefinition;
  readonly resources: Resources;
  readonly replicas: { readonly min: number; readonly max: number };
  readonly priorityClassName: string;
  readonly serviceAccountName: string;
  readonly batching?: { readonly maxBatchSize: number; readonly maxLatencyMs: number };
  readonly autoscaling: ResolvedAutoscaling;
  /** Probes that keep a pod out of traffic until the model answers. */
  readonly probes: {
    /** Model-level: startup and readiness. */
    readonly path: string;
    /** Server-level: liveness (a loaded pod that is slow is not restarted). */
    readonly livenessPath: string;
    readonly port: number;
    readonly startup: ResolvedProbe;
    readonly readiness: ResolvedProbe;
    readonly liveness: ResolvedProbe;
    /** Seconds the startup probe must allow: the larger of `profile.warmupSeconds` and `profile.coldLoadSeconds`. */
    readonly loadSeconds: number;
  };
  /** What the version's pods export (its runtime, the Istio sidecar): the series its rules and panels may read. */
  readonly exporters: readonly SeriesExporter[];
  /**
   * Seconds the InferenceService may stay not Ready before its Argo CD health
   * turns Degraded (`modelplane.io/progress-deadline-seconds`): the platform's
   * allowance for scheduling, image pull and artifact download, plus all the
   * startup probe allows, plus one readiness failure window.
   */
  readonly progressDeadlineSeconds: number;
  /** Prediction logging, resolved from the data class. */
  readonly logger?: { readonly mode: 'all' | 'request' | 'response'; readonly url: string; readonly summaryOnly: boolean };
  /** Annotations the runtime's templates read (thread count, tensor parallelism), with this version's values. */
  readonly runtimeAnnotations: Readonly<Record<string, string>>;
  /** Pod-template annotations (Istio sidecar resources). */
  readonly podAnnotations: Readonly<Record<string, string>>;
  /** What one pod of the version charges against the namespace quota, every container counted. */
  readonly podCharge: PodCharge;
  /** Extra pods a rolling update of the predictor Deployment may create at its maximum replicas. */
  readonly surge: number;
  /** A PodDisruptionBudget for versions whose warm pool has 2 or more pods. */
  readonly disruptionBudget?: { readonly name: string; readonly maxUnavailable: number };
  /** Spread of the version's pods over nodes (and zones when the pool declares them). */
  readonly topologySpread: readonly { readonly topologyKey: string; readonly maxSkew: number; readonly whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway' }[];
}

/** Quota charge of one pod: per resource the larger of its containers' sum and its largest init container. */
export interface PodCharge {
  readonly requests: { readonly cpu: number; readonly memoryGiB: number };
  readonly limits: { readonly cpu: number; readonly memoryGiB: number };
  readonly gpus: number;
  /** Each container counted (name → resources), for messages. */
  readonly containers: readonly { readonly name: string; readonly init: boolean; readonly resources: ContainerResources }[];
}

/** One HTTP probe's timing. */
export interface ResolvedProbe {
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly timeoutSeconds: number;
}

/**
 * How a version scales. CPU models use KServe's HPA on CPU utilisation; GPU
 * models use a KEDA ScaledObject on request rate per replica (GPU and CPU
 * utilisation say little about a GPU model server's headroom).
 */
export interface ResolvedAutoscaling {
  /**
   * `hpa`: our own `autoscaling/v2` HorizontalPodAutoscaler (KServe's drops the
   * behaviour), `keda`: a KEDA ScaledObject; KServe's autoscaler class is
   * `external` for both, so it creates none of its own.
   */
  readonly kind: 'hpa' | 'keda';
  /** The HorizontalPodAutoscaler (ours, or the one KEDA creates). */
  readonly hpaName: string;
  /** What `simulate` and the warm-pool gate run: the same numbers as the emitted objects. */
  readonly model: AutoscalerModel;
  readonly behavior: ScalingBehavior;
  readonly scaleDownStabilizationSeconds: number;
  readonly targetRpsPerReplica: number;
  readonly targetCpuUtilizationPercent: number;
  /** KEDA: replicas held when Prometheus cannot be read `failureThreshold` times in a row. */
  readonly fallback?: { readonly failureThreshold: number; readonly replicas: number; readonly behavior: 'static' | 'currentReplicas' | 'currentReplicasIfHigher' | 'currentReplicasIfLower' };
}
