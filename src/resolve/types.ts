import type { AutoscalerModel } from './simulate.js';
import type { BuiltInCheck, FeatureType, LineageDefinition, MetricSourcesDefinition, ProfileDefinition, QualityCheckDefinition, Taint } from '../definitions/index.js';

/** Metric sources with every default applied. */
export interface ResolvedMetricSources {
  readonly prometheus: { readonly address: string; readonly timeoutSeconds: number };
  readonly requests: MetricSourcesDefinition['requests'];
  /** GPU utilisation per pod. */
  readonly gpuUtilization: string;
  /** Model-server histograms: queueing delay and batch size. */
  readonly modelServer: { readonly queueSecondsBucket: string; readonly batchSizeBucket: string };
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
     * Seconds an InferenceService may stay not Ready before its health turns
     * Degraded, when it carries no `modelplane.io/progress-deadline-seconds`.
     */
    readonly defaultProgressDeadlineSeconds: number;
  };
  readonly platformTeamGithub: string;
  readonly deploymentMode: string;
  readonly serviceAccountAnnotation: string;
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
  readonly quota: Resources;
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
}

export interface ResolvedRuntime {
  readonly name: string;
  readonly image: string;
  readonly formats: readonly string[];
  readonly protocols: readonly ('v1' | 'v2')[];
  readonly args: readonly string[];
  readonly gpu: boolean;
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
    readonly path: string;
    readonly port: number;
    readonly startup: ResolvedProbe;
    readonly readiness: ResolvedProbe;
    readonly liveness: ResolvedProbe;
  };
  /** Prediction logging, resolved from the data class. */
  readonly logger?: { readonly mode: 'all' | 'request' | 'response'; readonly url: string; readonly summaryOnly: boolean };
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
  readonly kind: 'hpa' | 'keda';
  /** What `simulate` and the warm-pool gate run: the same numbers as the emitted objects. */
  readonly model: AutoscalerModel;
  readonly scaleDownStabilizationSeconds: number;
  readonly targetRpsPerReplica: number;
  readonly targetCpuUtilizationPercent: number;
}
