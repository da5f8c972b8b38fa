/**
 * JSON Schemas of the three definition kinds: the single source of truth for
 * what a definition may contain. `x-expected` says, in words, what a pattern
 * accepts; it is shown in diagnostics.
 */
type Schema = Record<string, unknown>;

const closed = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const map = (values: Schema, keys: Schema = DNS_LABEL, extra: Schema = {}): Schema => ({
  type: 'object',
  propertyNames: keys,
  additionalProperties: values,
  ...extra,
});

export const DNS_LABEL: Schema = {
  type: 'string',
  pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$',
  maxLength: 63,
  'x-expected': 'a lower-case DNS-1035 label (a-z, 0-9 and "-", starting with a letter, not ending with "-")',
};
const NAME: Schema = { type: 'string', minLength: 1, maxLength: 253 };
const TEXT: Schema = { type: 'string', maxLength: 1024 };
const POSITIVE: Schema = { type: 'number', exclusiveMinimum: 0, maximum: 1e9 };
const NON_NEGATIVE: Schema = { type: 'number', minimum: 0, maximum: 1e9 };
const COUNT: Schema = { type: 'integer', minimum: 0, maximum: 100000 };
const POSITIVE_COUNT: Schema = { type: 'integer', minimum: 1, maximum: 100000 };
export const DURATION: Schema = {
  type: 'string',
  pattern: '^[1-9][0-9]{0,5}(s|m|h|d)$',
  'x-expected': 'a duration such as "30s", "10m", "2h" or "1d"',
};
const SHA256: Schema = {
  type: 'string',
  pattern: '^[a-f0-9]{64}$',
  'x-expected': '64 lower-case hex characters',
};
const SEMVER: Schema = {
  type: 'string',
  pattern: '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$',
  maxLength: 40,
  'x-expected': 'a semantic version such as "4.2.0" or "4.2.0-rc.1" (no build metadata)',
};
const DATE: Schema = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$',
  'x-expected': 'an ISO 8601 date or date-time such as "2026-10-01" or "2026-10-01T12:00:00Z"',
};
const FEATURE_TYPE: Schema = {
  enum: ['float', 'double', 'int', 'long', 'bool', 'string', 'category', 'embedding', 'text', 'image', 'timestamp'],
};
const FEATURES: Schema = map(FEATURE_TYPE, {
  type: 'string',
  pattern: '^[A-Za-z_][A-Za-z0-9_.]*$',
  maxLength: 128,
  'x-expected': 'a feature name (letters, digits, "_" and ".", starting with a letter or "_")',
}, { minProperties: 1 });
const LABELS: Schema = map({ type: 'string', maxLength: 63 }, { type: 'string', minLength: 1, maxLength: 253 });
const RESOURCES: Schema = closed({
  cpu: { type: 'number', exclusiveMinimum: 0, maximum: 1024 },
  memoryGiB: { type: 'number', exclusiveMinimum: 0, maximum: 16384 },
  gpus: { type: 'integer', minimum: 0, maximum: 64 },
});
const PER_ENV_COUNT: Schema = map(COUNT);
const SINK_URL: Schema = { type: 'string', pattern: '^[a-z][a-z0-9+.-]*://\\S+$', maxLength: 2048, 'x-expected': 'a URL such as "https://logs.acme.internal/ingest"' };

export const platformSchema: Schema = closed(
  {
    repoURL: { type: 'string', pattern: '^(https://|ssh://|git@)\\S+$', 'x-expected': 'an https:// or ssh git URL' },
    targetRevision: NAME,
    argocdNamespace: DNS_LABEL,
    platformTeam: closed({ github: { type: 'string', pattern: '^@[A-Za-z0-9-]+(/[A-Za-z0-9._-]+)?$', 'x-expected': 'a GitHub handle such as "@acme/ml-platform"' } }, ['github']),
    environments: map(
      closed(
        {
          cluster: { type: 'string', pattern: '^https://\\S+$', 'x-expected': 'an https:// API server URL' },
          production: { type: 'boolean' },
          gateway: closed({ name: DNS_LABEL, namespace: DNS_LABEL, hostname: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253, 'x-expected': 'a DNS host name' } }, ['name', 'namespace', 'hostname']),
          defaultPolicy: NAME,
        },
        ['cluster', 'production', 'gateway'],
      ),
      DNS_LABEL,
      { minProperties: 1 },
    ),
    nodePools: map(
      closed(
        {
          kind: { enum: ['gpu', 'cpu'] },
          nodeSelector: LABELS,
          taints: {
            type: 'array',
            items: closed({ key: NAME, value: { type: 'string', maxLength: 63 }, effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] } }, ['key', 'effect']),
          },
          gpu: closed(
            {
              model: NAME,
              memoryGiB: POSITIVE,
              perNode: POSITIVE_COUNT,
              resourceName: { type: 'string', pattern: '^[a-z0-9.-]+/[a-z0-9.-]+$', 'x-expected': 'an extended resource name such as "nvidia.com/gpu"' },
            },
            ['model', 'memoryGiB', 'perNode'],
          ),
          cpuPerNode: POSITIVE,
          memoryGiBPerNode: POSITIVE,
          nodes: PER_ENV_COUNT,
          hourlyPriceUsd: NON_NEGATIVE,
          defaultResources: RESOURCES,
        },
        ['kind', 'nodeSelector', 'cpuPerNode', 'memoryGiBPerNode', 'nodes', 'hourlyPriceUsd'],
      ),
      DNS_LABEL,
      { minProperties: 1 },
    ),
    teams: map(
      closed(
        {
          github: { type: 'string', pattern: '^@[A-Za-z0-9-]+(/[A-Za-z0-9._-]+)?$', 'x-expected': 'a GitHub handle such as "@acme/risk-ml"' },
          artifactPrefixes: map({ type: 'array', items: { type: 'string', minLength: 1 } }),
          quota: map(RESOURCES),
          identity: map({ type: 'string', minLength: 1, maxLength: 2048 }),
        },
        ['github', 'artifactPrefixes'],
      ),
      DNS_LABEL,
      { minProperties: 1 },
    ),
    tiers: map(
      closed(
        {
          priority: { type: 'integer', minimum: -2147483648, maximum: 1000000000 },
          p99BudgetMs: POSITIVE,
          availability: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
          minReplicas: map(COUNT, { anyOf: [DNS_LABEL, { const: '*' }] }),
          headroom: { type: 'number', minimum: 1, maximum: 100 },
          rampSeconds: { type: 'number', minimum: 0, maximum: 86400 },
          batching: { type: 'boolean' },
          preempting: { type: 'boolean' },
          strict: { type: 'boolean' },
        },
        ['priority', 'availability'],
      ),
      DNS_LABEL,
      { minProperties: 1 },
    ),
    runtimes: map(
      closed(
        {
          image: { type: 'string', minLength: 1, maxLength: 512 },
          formats: { type: 'array', items: NAME, minItems: 1 },
          protocols: { type: 'array', items: { enum: ['v1', 'v2'] }, minItems: 1 },
          args: { type: 'array', items: TEXT },
          gpu: { type: 'boolean' },
        },
        ['image', 'formats'],
      ),
      DNS_LABEL,
      { minProperties: 1 },
    ),
    metricSources: closed(
      {
        prometheus: closed({ address: { type: 'string', pattern: '^https?://\\S+$', 'x-expected': 'an http(s):// URL' }, timeoutSeconds: { type: 'integer', minimum: 1, maximum: 600 } }, ['address']),
        requests: closed({ total: NAME, errorMatcher: NAME, durationBucketMs: NAME, selector: NAME }, ['total', 'errorMatcher', 'durationBucketMs', 'selector']),
        gpuUtilization: NAME,
        modelServer: closed({ queueSecondsBucket: NAME, batchSizeBucket: NAME }),
      },
      ['prometheus', 'requests'],
    ),
    autoscaling: closed({
      syncPeriodSeconds: { type: 'integer', minimum: 1, maximum: 600 },
      targetUtilization: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      metricLagSeconds: { type: 'integer', minimum: 0, maximum: 600 },
      scaleUpPods: { type: 'integer', minimum: 1, maximum: 1000 },
    }),
    serviceAccountAnnotation: NAME,
    deploymentMode: { enum: ['Standard', 'RawDeployment'] },
    logging: closed({ sink: SINK_URL, scrubbingSink: SINK_URL, allowedUrls: { type: 'array', items: SINK_URL } }, ['sink', 'scrubbingSink']),
  },
  ['repoURL', 'platformTeam', 'environments', 'nodePools', 'teams', 'tiers', 'runtimes', 'metricSources'],
);

export const CONDITION: Schema = {
  type: 'string',
  pattern: '^(>=|<=|>|<|==)\\s*-?\\d+(\\.\\d+)?([eE]-?\\d+)?$',
  'x-expected': 'a comparison such as ">= 0.90" or "<= 40"',
};
const QUALITY: Schema = {
  type: 'array',
  maxItems: 20,
  items: closed({ name: DNS_LABEL, query: { type: 'string', minLength: 1, maxLength: 4096 }, condition: CONDITION, maxDelta: NON_NEGATIVE }, ['name', 'query', 'condition']),
};

const VERSION: Schema = closed(
  {
    version: SEMVER,
    format: NAME,
    artifact: closed({ uri: { type: 'string', minLength: 1, maxLength: 2048 }, sha256: SHA256 }, ['uri', 'sha256']),
    features: FEATURES,
    lineage: closed({ dataset: NAME, featureCode: NAME, trainingRun: NAME, image: { type: 'string', minLength: 1, maxLength: 512 } }, ['dataset', 'featureCode', 'trainingRun', 'image']),
    evaluation: closed({ metrics: map({ type: 'number' }, { type: 'string', minLength: 1, maxLength: 128 }), artifactSha256: SHA256 }, ['metrics', 'artifactSha256']),
    approval: closed({ by: { type: 'string', minLength: 1, maxLength: 256 }, at: DATE }, ['by', 'at']),
    profile: closed(
      {
        p99LatencyMs: POSITIVE,
        maxRpsPerReplica: POSITIVE,
        warmupSeconds: { type: 'number', minimum: 0, maximum: 3600 },
        gpuMemoryGiB: POSITIVE,
      },
      ['p99LatencyMs', 'maxRpsPerReplica', 'warmupSeconds'],
    ),
    runtime: DNS_LABEL,
  },
  ['version', 'format', 'artifact', 'features', 'lineage', 'profile'],
);

const DEPLOYMENT: Schema = closed(
  {
    version: SEMVER,
    canary: closed({ version: SEMVER, policy: NAME, step: { type: 'integer', minimum: 0, maximum: 1000 } }, ['version', 'policy', 'step']),
    previous: closed({ version: SEMVER, until: DATE }, ['version', 'until']),
    pool: DNS_LABEL,
    resources: RESOURCES,
    replicas: closed({ min: COUNT, max: POSITIVE_COUNT }, ['min', 'max']),
    traffic: closed({ peakRps: NON_NEGATIVE, rampSeconds: { type: 'number', minimum: 0, maximum: 86400 }, baselineRps: NON_NEGATIVE }, ['peakRps']),
    tenants: map(SEMVER, { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$', 'x-expected': 'a tenant id (letters, digits, ".", "_", "-"; at most 63)' }),
    batching: closed({ maxBatchSize: POSITIVE_COUNT, maxLatencyMs: POSITIVE }, ['maxBatchSize', 'maxLatencyMs']),
    logging: closed({ mode: { enum: ['none', 'summary', 'request', 'response', 'all'] }, url: { type: 'string', minLength: 1, maxLength: 2048 } }, ['mode']),
  },
  ['version', 'pool'],
);

export const modelSchema: Schema = closed(
  {
    id: { ...DNS_LABEL, maxLength: 40, 'x-expected': 'a lower-case DNS-1035 label of at most 40 characters (a-z, 0-9 and "-", starting with a letter)' },
    owner: DNS_LABEL,
    taskType: NAME,
    tier: DNS_LABEL,
    dataClass: { enum: ['public', 'internal', 'pii'] },
    features: FEATURES,
    versions: { type: 'array', items: VERSION, minItems: 1, maxItems: 1000 },
    deploy: map(DEPLOYMENT),
    quality: QUALITY,
    description: TEXT,
  },
  ['id', 'owner', 'taskType', 'tier', 'dataClass', 'features', 'versions', 'deploy'],
);

export const rolloutPolicySchema: Schema = closed(
  {
    name: DNS_LABEL,
    steps: {
      type: 'array',
      maxItems: 20,
      items: closed({ weight: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 100 }, pause: DURATION }, ['weight', 'pause']),
    },
    analysis: closed(
      {
        interval: DURATION,
        count: POSITIVE_COUNT,
        failureLimit: COUNT,
        metrics: { type: 'array', items: { enum: ['request-count', 'error-rate', 'latency-p99', 'latency-vs-stable'] } },
        maxErrorRatio: { type: 'number', minimum: 0, maximum: 1 },
        maxLatencyRatio: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
        minRequests: COUNT,
        window: DURATION,
        quality: QUALITY,
      },
      ['interval', 'count', 'failureLimit'],
    ),
    gates: closed({
      offline: map(CONDITION, { type: 'string', minLength: 1, maxLength: 128 }),
      requireApproval: { type: 'boolean' },
    }),
    keepPreviousFor: DURATION,
    environments: { type: 'array', items: DNS_LABEL },
  },
  ['name', 'steps', 'analysis'],
);
