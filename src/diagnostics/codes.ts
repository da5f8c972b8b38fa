/** How bad a diagnostic is: errors stop the compilation, warnings are printed. */
export type Severity = 'error' | 'warning';

/** One entry of the catalogue. */
export interface CodeEntry {
  readonly severity: Severity;
  /** Severity on a strict tier (`tiers.<name>.strict`), for codes whose gate is stricter there. */
  readonly strict?: Severity;
  /** What the code means, as the README table shows it. */
  readonly meaning: string;
}

/**
 * Every diagnostic code, in one typed catalogue: its severity and meaning.
 * Codes are stable: a code is never reused for a different problem. README's
 * table of codes is generated from this one (`codesTable`) and checked by a test.
 */
export const CATALOGUE = {
  // MP1xxx: loading
  MP1001: { severity: 'error', meaning: 'a definition file failed to import (syntax error, throws, bad import)' },
  MP1002: { severity: 'error', meaning: 'a definition file has no default export, or exports the wrong kind of definition' },
  MP1003: { severity: 'error', meaning: 'policies/platform.ts is missing' },
  MP1004: { severity: 'error', meaning: 'two model files declare the same model id' },
  MP1005: { severity: 'error', meaning: 'two policy files declare the same policy name' },
  MP1006: { severity: 'error', meaning: 'a model file is not named after its model id' },
  MP1007: { severity: 'error', meaning: 'a definition contains a value that is not plain data (circular reference, function, NaN or Infinity)' },
  MP1008: { severity: 'error', meaning: 'a definition could not be read as plain data: a getter or proxy threw, or it is nested too deep or too large' },
  MP1009: { severity: 'error', meaning: 'a definition file did not finish loading before the deadline, or tried to end or tamper with the loading process' },
  MP1010: { severity: 'error', meaning: 'a file under models/ or policies/ is not loaded (a subfolder, another extension, a misnamed file): its definition would silently be left out' },
  // MP2xxx: definition schema
  MP2001: { severity: 'error', meaning: 'unknown field' },
  MP2002: { severity: 'error', meaning: 'wrong type' },
  MP2003: { severity: 'error', meaning: 'missing required field' },
  MP2004: { severity: 'error', meaning: 'value not allowed (enum, pattern, range, length)' },
  MP2005: { severity: 'error', meaning: 'a quality query or metric source is not valid PromQL' },
  // MP3xxx: references
  MP3001: { severity: 'error', meaning: 'unknown owner team' },
  MP3002: { severity: 'error', meaning: 'unknown tier' },
  MP3003: { severity: 'error', meaning: 'unknown node pool' },
  MP3004: { severity: 'error', meaning: 'unknown environment' },
  MP3005: { severity: 'error', meaning: 'unknown rollout policy' },
  MP3006: { severity: 'error', meaning: 'unknown version' },
  MP3007: { severity: 'error', meaning: 'no serving runtime serves the version format' },
  MP3008: { severity: 'error', meaning: 'unknown serving runtime, or a runtime that does not serve the format' },
  MP3009: { severity: 'error', meaning: 'duplicate version in a model' },
  MP3010: { severity: 'error', meaning: 'canary step out of range of its policy' },
  MP3011: { severity: 'error', meaning: 'a canary or previous version is also the stable version' },
  MP3012: { severity: 'error', meaning: 'rollout policy weights do not strictly increase' },
  MP3013: { severity: 'error', meaning: 'a quality check name is used twice or clashes with a built-in check' },
  MP3014: { severity: 'error', meaning: 'too many tenants or pinned versions for one HTTPRoute' },
  MP3015: { severity: 'error', meaning: 'a runtime declares no kind and its image names no model server modelplane knows the container contract of' },
  MP3016: { severity: 'error', meaning: 'a runtime declares a protocol its model server does not serve (e.g. Triton and v1)' },
  MP3017: { severity: 'error', meaning: 'a rollout policy\'s environments contradict the platform\'s defaultPolicy of an environment' },
  // MP4xxx: names
  MP4001: { severity: 'error', meaning: 'a derived Kubernetes name is not a valid DNS-1035 label of at most 63 characters' },
  // MP4002 (a version is not a semantic version) is retired: the schema reports it as MP2004 on the version field.
  MP4003: { severity: 'error', meaning: 'two versions of a model give the same object name' },
  // MP5xxx: release gates (src/validate/gates-release.ts)
  MP5001: { severity: 'error', meaning: 'a version receives traffic where its rollout policy requires approval, but has no approval' },
  MP5002: { severity: 'error', meaning: 'a version fails an offline evaluation gate of its rollout policy' },
  MP5003: { severity: 'error', meaning: 'a version has no evaluation, or lacks a metric an offline gate of its rollout policy needs' },
  MP5004: { severity: 'error', meaning: 'evaluation.artifactSha256 differs from artifact.sha256: the evaluation is of another artifact' },
  MP5005: { severity: 'error', meaning: 'training/serving skew: a version serves features that differ from the model\'s training features' },
  MP5006: { severity: 'error', meaning: 'approval.at is not a valid date, or is in the future' },
  // MP6xxx: capacity, latency and replicas (src/validate/gates-capacity.ts)
  MP6001: { severity: 'error', meaning: 'the warm pools on a GPU pool need more GPUs than the pool has in the environment' },
  MP6002: { severity: 'error', meaning: 'one replica asks for more GPUs than one node of its pool has' },
  MP6003: { severity: 'error', meaning: 'profile.gpuMemoryGiB exceeds the memory of the GPUs a replica gets' },
  MP6004: { severity: 'error', meaning: 'the warm pools on a pool need more CPU or memory than the pool has, or one replica does not fit one node' },
  MP6005: { severity: 'error', meaning: 'batching delay plus the version\'s p99 latency exceeds the tier\'s p99 budget' },
  MP6006: { severity: 'error', meaning: 'batching on a tier that does not allow it' },
  MP6007: { severity: 'error', meaning: 'replicas.min is greater than replicas.max' },
  // MP6008, MP6010 and MP6011 are one diagnostic per deployment: the gravest (MP6010, then MP6008, then
  // MP6011) with the one replicas.min that satisfies all three (src/validate/gates-warm-pool.ts).
  MP6008: { severity: 'error', meaning: 'a model of a strict tier has fewer than 2 minimum replicas in a production environment' },
  MP6009: { severity: 'error', meaning: 'scale to zero (0 minimum replicas) on a tier with a p99 latency budget' },
  MP6010: { severity: 'error', meaning: 'a model of a strict tier leaves requests unserved on its declared traffic ramp (simulated)' },
  MP6011: { severity: 'warning', strict: 'error', meaning: 'declared minimum replicas below the warm pool the traffic needs (an error on strict tiers)' },
  // MP6012–MP6016: quotas and runtime placement (src/validate/gates-serving.ts), burst capacity (gates-capacity.ts)
  MP6012: { severity: 'error', meaning: 'a declared team quota is smaller than its live versions need at maximum replicas plus a rolling update\'s surge, every container of a pod counted (agent, sidecar, init)' },
  MP6013: { severity: 'warning', meaning: 'the burst (maximum replicas of every live version, canary included) needs more than the pool has' },
  MP6014: { severity: 'warning', meaning: 'a team quota is larger than the capacity of the pools its models run on' },
  MP6015: { severity: 'error', meaning: 'a version whose runtime needs a GPU is deployed on a CPU pool' },
  MP6016: { severity: 'error', meaning: 'a version whose runtime runs on CPU only is deployed on a GPU pool' },
  // MP7xxx: privacy and supply chain (src/validate/gates-security.ts)
  MP7001: { severity: 'error', meaning: 'a pii model logs request or response payloads to a sink other than the platform\'s scrubbing sink' },
  MP7002: { severity: 'error', meaning: 'logging.url is not one of the platform\'s log sinks' },
  MP7003: { severity: 'error', meaning: 'a quality query uses a per-user label (user_id, email, ...) that would put user ids into metrics' },
  MP7004: { severity: 'error', meaning: 'an artifact is outside the owner team\'s storage prefixes for an environment it is live in' },
  MP7005: { severity: 'error', meaning: 'an artifact URI uses a scheme that is not allowed (e.g. http://)' },
  MP7006: { severity: 'error', meaning: 'an image is not pinned by digest (@sha256:<64 hex>)' },
  MP7007: { severity: 'warning', meaning: 'a live version\'s lineage.image differs from the image of the runtime that serves it' },
  MP7008: { severity: 'error', meaning: 'a definition contains what looks like a credential (access key, private key, token, password)' },
  MP7009: { severity: 'error', meaning: 'a GPU pool without taints, or a CPU pool with a GPU taint' },
  MP7010: { severity: 'error', meaning: 'a Pod Security level that rejects the containers the mesh injects (istio-init without Istio CNI)' },
  // MP8xxx: delivery (src/validate/gates-route.ts, gates-analysis.ts)
  MP8001: { severity: 'error', meaning: 'an emitted HTTPRoute breaks a limit the API server enforces (Gateway API CRD schema or CEL rule: 16 rules, 64 matches per rule, 128 matches in all, path and header rules, weights)' },
  MP8002: { severity: 'error', meaning: 'a rollout policy\'s analysis ends before a regression that starts late in a step can fail it (count too small)' },
  MP8003: { severity: 'error', meaning: 'the worst case from a regression\'s start to traffic on stable exceeds the tier\'s rollbackObjectiveSeconds' },
  // MP9xxx: lifecycle (src/validate/gates-retire.ts)
  MP9001: { severity: 'error', meaning: 'a model, or an environment of a model, that serves traffic in a production environment (its route in generated/) was removed without being retired first (`deploy.<env>.retired`)' },
  MP9002: { severity: 'error', meaning: 'a retired deployment still has a canary' },
} as const satisfies Record<`MP${number}`, CodeEntry>;

export type Code = keyof typeof CATALOGUE;

/** Every code, in catalogue order. */
export const ALL_CODES = Object.keys(CATALOGUE) as Code[];

/** The README table of codes, generated from the catalogue. */
export function codesTable(): string {
  const rows = ALL_CODES.map((code) => {
    const e: CodeEntry = CATALOGUE[code];
    return `| ${code} | ${e.severity}${e.strict && e.strict !== e.severity ? ` (${e.strict} on strict tiers)` : ''} | ${e.meaning} |`;
  });
  return ['| code | severity | meaning |', '|---|---|---|', ...rows].join('\n');
}
