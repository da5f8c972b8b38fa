/**
 * Every diagnostic code, in one table. Codes are stable: a code is never reused
 * for a different problem. README's table of codes is checked against this one.
 */
export const CODES = {
  // MP1xxx: loading
  MP1001: 'a definition file failed to import (syntax error, throws, bad import)',
  MP1002: 'a definition file has no default export, or exports the wrong kind of definition',
  MP1003: 'policies/platform.ts is missing',
  MP1004: 'two model files declare the same model id',
  MP1005: 'two policy files declare the same policy name',
  MP1006: 'a model file is not named after its model id',
  MP1007: 'a definition contains a value that is not plain data (circular reference, function, NaN or Infinity)',
  // MP2xxx: definition schema
  MP2001: 'unknown field',
  MP2002: 'wrong type',
  MP2003: 'missing required field',
  MP2004: 'value not allowed (enum, pattern, range, length)',
  // MP3xxx: references
  MP3001: 'unknown owner team',
  MP3002: 'unknown tier',
  MP3003: 'unknown node pool',
  MP3004: 'unknown environment',
  MP3005: 'unknown rollout policy',
  MP3006: 'unknown version',
  MP3007: 'no serving runtime serves the version format',
  MP3008: 'unknown serving runtime, or a runtime that does not serve the format',
  MP3009: 'duplicate version in a model',
  MP3010: 'canary step out of range of its policy',
  MP3011: 'a canary or previous version is also the stable version',
  MP3012: 'rollout policy weights do not strictly increase',
  MP3013: 'a quality check name is used twice or clashes with a built-in check',
  MP3014: 'too many tenants or pinned versions for one HTTPRoute',
  // MP4xxx: names
  MP4001: 'a derived Kubernetes name is not a valid DNS-1035 label of at most 63 characters',
  MP4002: 'a version is not a semantic version',
  MP4003: 'two versions of a model give the same object name',
  // MP5xxx: release gates (src/validate/gates-release.ts)
  MP5001: 'a version receives traffic where its rollout policy requires approval, but has no approval',
  MP5002: 'a version fails an offline evaluation gate of its rollout policy',
  MP5003: 'a version has no evaluation, or lacks a metric an offline gate of its rollout policy needs',
  MP5004: 'evaluation.artifactSha256 differs from artifact.sha256: the evaluation is of another artifact',
  MP5005: 'training/serving skew: a version serves features that differ from the model\'s training features',
  MP5006: 'approval.at is not a valid date, or is in the future',
  // MP6xxx: capacity, latency and replicas (src/validate/gates-capacity.ts)
  MP6001: 'the warm pools on a GPU pool need more GPUs than the pool has in the environment',
  MP6002: 'one replica asks for more GPUs than one node of its pool has',
  MP6003: 'profile.gpuMemoryGiB exceeds the memory of the GPUs a replica gets',
  MP6004: 'the warm pools on a pool need more CPU or memory than the pool has, or one replica does not fit one node',
  MP6005: 'batching delay plus the version\'s p99 latency exceeds the tier\'s p99 budget',
  MP6006: 'batching on a tier that does not allow it',
  MP6007: 'replicas.min is greater than replicas.max',
  MP6008: 'a critical-tier model has fewer than 2 minimum replicas in a production environment',
  MP6009: 'scale to zero (0 minimum replicas) on a tier with a p99 latency budget',
  MP6010: 'a critical model leaves requests unserved on its declared traffic ramp (simulated)',
  MP6011: 'declared minimum replicas below the warm pool the traffic needs (error on critical, warning otherwise)',
  // MP7xxx: privacy and supply chain (src/validate/gates-security.ts)
  MP7001: 'a pii model logs request or response payloads to a sink other than the platform\'s scrubbing sink',
  MP7002: 'logging.url is not one of the platform\'s log sinks',
  MP7003: 'a quality query uses a per-user label (user_id, email, ...) that would put user ids into metrics',
  MP7004: 'an artifact is outside the owner team\'s storage prefixes for an environment it is live in',
  MP7005: 'an artifact URI uses a scheme that is not allowed (e.g. http://)',
  MP7006: 'an image is not pinned by digest (@sha256:<64 hex>)',
  MP7007: 'a live version\'s lineage.image differs from the image of the runtime that serves it (warning)',
  MP7008: 'a definition contains what looks like a credential (access key, private key, token, password)',
  MP7009: 'a GPU pool without taints, or a CPU pool with a GPU taint',
} as const satisfies Record<string, string>;

export type Code = keyof typeof CODES;
