import type { ResourcesDefinition } from './platform.js';
import type { QualityCheckDefinition } from './rollout-policy.js';
import { withCallSite } from './source.js';

/** Types a feature can have, in the training schema and in a serving signature. */
export type FeatureType = 'float' | 'double' | 'int' | 'long' | 'bool' | 'string' | 'category' | 'embedding' | 'text' | 'image' | 'timestamp';

export interface ArtifactDefinition {
  /** Where the model files are, e.g. `s3://acme-ml-prod/risk/fraud-detector/4.2.0/`. */
  readonly uri: string;
  /** sha256 of the artifact, 64 hex characters. */
  readonly sha256: string;
}

export interface LineageDefinition {
  /** Dataset (and snapshot) the version was trained on. */
  readonly dataset: string;
  /** Commit of the feature code, e.g. `github.com/acme/features@3f2a9c1`. */
  readonly featureCode: string;
  /** Training run id in the experiment tracker. */
  readonly trainingRun: string;
  /** Serving image, pinned by digest, that the version was evaluated with. */
  readonly image: string;
}

export interface EvaluationDefinition {
  /** Offline metrics, e.g. `{ auc: 0.94, p99LatencyMs: 12 }`. */
  readonly metrics: Readonly<Record<string, number>>;
  /** sha256 of the artifact that was evaluated; must equal `artifact.sha256`. */
  readonly artifactSha256: string;
}

export interface ApprovalDefinition {
  /** Who approved, e.g. an email or GitHub handle. */
  readonly by: string;
  /** When, as an ISO 8601 date or date-time. */
  readonly at: string;
}

export interface ProfileDefinition {
  /** Measured p99 latency of one request at `maxRpsPerReplica`. */
  readonly p99LatencyMs: number;
  /** Requests per second one replica sustains within `p99LatencyMs`. */
  readonly maxRpsPerReplica: number;
  /** Seconds from pod start until the model answers (image pull, load, warmup). */
  readonly warmupSeconds: number;
  /** GPU memory the model needs; GPU models only. */
  readonly gpuMemoryGiB?: number;
}

export interface VersionDefinition {
  /** Semantic version, e.g. `4.2.0`. */
  readonly version: string;
  /** Model format, e.g. `xgboost`, `sklearn`, `pytorch`, `huggingface`. */
  readonly format: string;
  readonly artifact: ArtifactDefinition;
  /** Serving signature: feature name → type; must match the model's `features`. */
  readonly features: Readonly<Record<string, FeatureType>>;
  readonly lineage: LineageDefinition;
  /** @default - not evaluated (refused where the policy has offline gates) */
  readonly evaluation?: EvaluationDefinition;
  /** @default - not approved (refused where the policy requires approval) */
  readonly approval?: ApprovalDefinition;
  readonly profile: ProfileDefinition;
  /** Serving runtime name. @default - the platform runtime that serves `format` */
  readonly runtime?: string;
}

export interface CanaryDefinition {
  /** The version receiving canary traffic. */
  readonly version: string;
  /** Rollout policy name. */
  readonly policy: string;
  /** Index into the policy's steps. */
  readonly step: number;
}

export interface PreviousDefinition {
  /** The last stable version, kept warm without traffic. */
  readonly version: string;
  /** ISO 8601 date-time after which it is removed. */
  readonly until: string;
}

/** What traffic the deployment must absorb without cold starts. */
export interface TrafficDefinition {
  /** Highest expected requests per second. */
  readonly peakRps: number;
  /** Seconds the daily ramp takes from `baselineRps` to `peakRps`. @default - the tier's `rampSeconds` */
  readonly rampSeconds?: number;
  /** Requests per second before the ramp. @default - 30 % of peakRps */
  readonly baselineRps?: number;
}

export interface DeploymentDefinition {
  /** The stable version, receiving all traffic not sent to a canary. */
  readonly version: string;
  /** @default - no canary */
  readonly canary?: CanaryDefinition;
  /** @default - none */
  readonly previous?: PreviousDefinition;
  /** Node pool name. */
  readonly pool: string;
  /** Per-replica resources. @default - the pool's default resources, GPUs from `profile.gpuMemoryGiB` */
  readonly resources?: ResourcesDefinition;
  /** @default - sized from `traffic.peakRps` and the tier */
  readonly replicas?: { readonly min: number; readonly max: number };
  /** @default - no traffic assumption: the tier's minimum replicas */
  readonly traffic?: TrafficDefinition;
  /** Tenant (value of the `x-tenant` header) → pinned version. @default {} */
  readonly tenants?: Readonly<Record<string, string>>;
  /** @default - no batching */
  readonly batching?: { readonly maxBatchSize: number; readonly maxLatencyMs: number };
  /** Prediction logging. @default - follows the data class */
  readonly logging?: { readonly mode: 'none' | 'summary' | 'request' | 'response' | 'all'; readonly url?: string };
}

export interface ModelDefinition {
  /** Model id: lower-case DNS label, used in URLs and object names. */
  readonly id: string;
  /** Owning team (a key of the platform's `teams`). */
  readonly owner: string;
  /** e.g. `tabular-classification`, `ranking`, `vision`, `embeddings`, `llm`. */
  readonly taskType: string;
  /** A key of the platform's `tiers`. */
  readonly tier: string;
  readonly dataClass: 'public' | 'internal' | 'pii';
  /** Training feature schema: name → type. */
  readonly features: Readonly<Record<string, FeatureType>>;
  readonly versions: readonly VersionDefinition[];
  /** Environment name → deployment. An environment left out has no deployment. */
  readonly deploy: Readonly<Record<string, DeploymentDefinition>>;
  /** Quality and drift checks run at every canary step, in addition to the policy's. @default [] */
  readonly quality?: readonly QualityCheckDefinition[];
  /** Free text shown in dashboards and plans. @default '' */
  readonly description?: string;
}

/** Declares one model (`models/<id>.ts`, `export default defineModel({...})`). */
export function defineModel<const T extends ModelDefinition>(definition: T): T {
  return withCallSite(definition, 'model');
}
