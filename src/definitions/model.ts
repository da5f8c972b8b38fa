import {
  closed,
  count,
  date,
  described,
  dnsLabel,
  integer,
  list,
  map,
  name,
  named,
  nonNegative,
  number,
  oneOf,
  optional,
  positive,
  positiveCount,
  semver,
  sha256,
  string,
  text,
  type Static,
  type TSchema,
} from './builders.js';
import { Resources } from './platform.js';
import { qualityChecks } from './rollout-policy.js';
import { withCallSite } from './source.js';

const FeatureTypeSchema = oneOf('Type of a feature.', ['float', 'double', 'int', 'long', 'bool', 'string', 'category', 'embedding', 'text', 'image', 'timestamp'] as const);
/** Types a feature can have, in the training schema and in a serving signature. */
export type FeatureType = Static<typeof FeatureTypeSchema>;
const features = (description: string) =>
  map(description, FeatureTypeSchema, {
    keys: {
      type: 'string',
      pattern: '^[A-Za-z_][A-Za-z0-9_.]*$',
      maxLength: 128,
      'x-expected': 'a feature name (letters, digits, "_" and ".", starting with a letter or "_")',
    },
    minProperties: 1,
  });

const ArtifactSchema = closed('The model files of a version.', {
  uri: string('Where the model files are, e.g. `s3://acme-ml-prod/risk/fraud-detector/4.2.0/`.', { minLength: 1, maxLength: 2048 }),
  sha256: sha256('sha256 of the artifact, 64 hex characters.'),
});
export interface ArtifactDefinition extends Static<typeof ArtifactSchema> {}

const LineageSchema = closed('Where a version comes from.', {
  dataset: name('Dataset (and snapshot) the version was trained on.'),
  featureCode: name('Commit of the feature code, e.g. `github.com/acme/features@3f2a9c1`.'),
  trainingRun: name('Training run id in the experiment tracker.'),
  image: string('Serving image, pinned by digest, that the version was evaluated with.', { minLength: 1, maxLength: 512 }),
});
export interface LineageDefinition extends Static<typeof LineageSchema> {}

const EvaluationSchema = closed('Offline evaluation of a version.', {
  metrics: map('Offline metrics, e.g. `{ auc: 0.94, p99LatencyMs: 12 }`.', number('Metric value.'), { keys: { type: 'string', minLength: 1, maxLength: 128 } }),
  artifactSha256: sha256('sha256 of the artifact that was evaluated; must equal `artifact.sha256`.'),
});
export interface EvaluationDefinition extends Static<typeof EvaluationSchema> {}

const ApprovalSchema = closed('Who approved a version for traffic, and when.', {
  by: string('Who approved, e.g. an email or GitHub handle.', { minLength: 1, maxLength: 256 }),
  at: date('When, as an ISO 8601 date or date-time.'),
});
export interface ApprovalDefinition extends Static<typeof ApprovalSchema> {}

const ProfileSchema = closed('Measured serving behaviour of a version.', {
  p99LatencyMs: positive('Measured p99 latency of one request at `maxRpsPerReplica`.'),
  maxRpsPerReplica: positive('Requests per second one replica sustains within `p99LatencyMs`.'),
  warmupSeconds: number('Seconds from pod start until the model answers (image pull, load, warmup).', { minimum: 0, maximum: 3600 }),
  coldLoadSeconds: optional(
    number(
      'Seconds from the model container\'s start until the model answers on a node that has never run it (weights read from disk into memory or GPU memory, kernels compiled, caches empty): what the startup probe must allow. Default: `warmupSeconds`.',
      { minimum: 0, maximum: 3600 },
    ),
  ),
  gpuMemoryGiB: optional(positive('GPU memory the model needs; GPU models only. Default: none (a CPU model).')),
});
export interface ProfileDefinition extends Static<typeof ProfileSchema> {}

const VersionSchema = closed('One version of a model.', {
  version: semver('Semantic version, e.g. `4.2.0`.'),
  format: name('Model format, e.g. `xgboost`, `sklearn`, `pytorch`, `huggingface`.'),
  artifact: named<ArtifactDefinition>(ArtifactSchema),
  features: features('Serving signature: feature name → type; must match the model\'s `features`.'),
  lineage: named<LineageDefinition>(LineageSchema),
  evaluation: optional(described('Offline evaluation. Default: not evaluated (refused where the policy has offline gates).', named<EvaluationDefinition>(EvaluationSchema))),
  approval: optional(described('Approval for traffic. Default: not approved (refused where the policy requires approval).', named<ApprovalDefinition>(ApprovalSchema))),
  profile: named<ProfileDefinition>(ProfileSchema),
  runtime: optional(dnsLabel('Serving runtime name. Default: the platform runtime that serves `format`.')),
});
export interface VersionDefinition extends Static<typeof VersionSchema> {}

const CanarySchema = closed('A canary in progress. Default: no canary.', {
  version: semver('The version receiving canary traffic.'),
  policy: name('Rollout policy name.'),
  step: integer('Index into the policy\'s steps.', { minimum: 0, maximum: 1000 }),
});
export interface CanaryDefinition extends Static<typeof CanarySchema> {}

const PreviousSchema = closed('The last stable version, kept warm without traffic after a promotion. Default: none.', {
  version: semver('The last stable version, kept warm without traffic.'),
  until: date('ISO 8601 date-time after which it is removed.'),
});
export interface PreviousDefinition extends Static<typeof PreviousSchema> {}

const TrafficSchema = closed('What traffic the deployment must absorb without cold starts. Default: no traffic assumption: the tier\'s minimum replicas.', {
  peakRps: nonNegative('Highest expected requests per second.'),
  rampSeconds: optional(number('Seconds the daily ramp takes from `baselineRps` to `peakRps`. Default: the tier\'s `rampSeconds`.', { minimum: 0, maximum: 86400 })),
  baselineRps: optional(nonNegative('Requests per second before the ramp. Default: 30 % of peakRps.')),
});
/** What traffic the deployment must absorb without cold starts. */
export interface TrafficDefinition extends Static<typeof TrafficSchema> {}

/**
 * `true` or `{ since }`: the deployment's route is no longer emitted (no
 * traffic) and its InferenceServices are kept; once that is synthesized and
 * synced the deployment can be removed (a production one with a route cannot: MP9001).
 */
const RetiredSchema = named<boolean | { readonly since: string }>({
  // One schema, not anyOf: a wrong value gets one diagnostic, not one per alternative.
  // properties/required/additionalProperties apply only when the value is an object.
  ...closed('', { since: date('Date the deployment was retired.') }),
  type: ['boolean', 'object'],
  description: 'Retires the deployment: no route, no traffic, InferenceServices kept; then it can be removed. `true` or `{ since: \'YYYY-MM-DD\' }`. Default: false (serving).',
} as unknown as TSchema);

const DeploymentSchema = closed('A model\'s deployment in one environment.', {
  version: semver('The stable version, receiving all traffic not sent to a canary.'),
  canary: optional(named<CanaryDefinition>(CanarySchema)),
  previous: optional(named<PreviousDefinition>(PreviousSchema)),
  pool: dnsLabel('Node pool name.'),
  resources: optional(described('Per-replica resources. Default: the pool\'s default resources, GPUs from `profile.gpuMemoryGiB`.', Resources)),
  replicas: optional(
    closed('Replica bounds. Default: sized from `traffic.peakRps` and the tier.', {
      min: count('Fewest replicas.'),
      max: positiveCount('Most replicas.'),
    }),
  ),
  traffic: optional(named<TrafficDefinition>(TrafficSchema)),
  tenants: optional(
    map('Tenant (value of the `x-tenant` header) → pinned version. Default: {}.', semver('The version the tenant is pinned to.'), {
      keys: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$', 'x-expected': 'a tenant id (letters, digits, ".", "_", "-"; at most 63)' },
    }),
  ),
  batching: optional(
    closed('Request batching. Default: no batching.', {
      maxBatchSize: positiveCount('Most requests in one batch.'),
      maxLatencyMs: positive('Longest a request waits for its batch, in milliseconds.'),
    }),
  ),
  logging: optional(
    closed('Prediction logging. Default: follows the data class.', {
      mode: oneOf('What is logged.', ['none', 'summary', 'request', 'response', 'all'] as const),
      url: optional(string('Log sink URL. Default: the platform\'s `logging.sink`.', { minLength: 1, maxLength: 2048 })),
    }),
  ),
  retired: optional(RetiredSchema),
});
export interface DeploymentDefinition extends Static<typeof DeploymentSchema> {}

/** JSON Schema of `defineModel({...})`. */
export const ModelSchema = closed('One model (`models/<id>.ts`).', {
  id: dnsLabel('Model id: lower-case DNS label, used in URLs and object names.', {
    maxLength: 40,
    'x-expected': 'a lower-case DNS-1035 label of at most 40 characters (a-z, 0-9 and "-", starting with a letter)',
  }),
  owner: dnsLabel('Owning team (a key of the platform\'s `teams`).'),
  taskType: name('e.g. `tabular-classification`, `ranking`, `vision`, `embeddings`, `llm`.'),
  tier: dnsLabel('A key of the platform\'s `tiers`.'),
  dataClass: oneOf('How sensitive the model\'s inputs and outputs are.', ['public', 'internal', 'pii'] as const),
  features: features('Training feature schema: name → type.'),
  versions: list('The model\'s versions.', named<VersionDefinition>(VersionSchema), { minItems: 1, maxItems: 1000 }),
  deploy: map('Environment name → deployment. An environment left out has no deployment.', named<DeploymentDefinition>(DeploymentSchema)),
  quality: optional(qualityChecks('Quality and drift checks run at every canary step, in addition to the policy\'s. Default: [].')),
  description: optional(text('Free text shown in dashboards and plans. Default: \'\'.')),
});
export interface ModelDefinition extends Static<typeof ModelSchema> {}

/** Declares one model (`models/<id>.ts`, `export default defineModel({...})`). */
export function defineModel(definition: ModelDefinition): ModelDefinition {
  return withCallSite(definition, 'model');
}
