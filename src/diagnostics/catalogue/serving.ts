/** MP6xxx: capacity, latency, replicas, quotas and runtime placement (src/validate/gates-capacity.ts, gates-warm-pool.ts, gates-serving.ts). */
import type { Entries } from '../entry.js';
import { num, quoted } from '../text.js';

/** A resource of a pool or quota, named as the quota field is. */
export type Resource = 'gpus' | 'cpu' | 'memoryGiB';

/** How much of a resource reads: `12 GPUs`, `8 CPU cores`, `64 GiB of memory`; `unit` the short form (`GPUs`, `CPU`, `GiB`). */
const RESOURCES: Readonly<Record<Resource, { readonly what: string; readonly unit: string }>> = {
  gpus: { what: 'GPUs', unit: 'GPUs' },
  cpu: { what: 'CPU cores', unit: 'CPU' },
  memoryGiB: { what: 'GiB of memory', unit: 'GiB' },
};

/** A version of a model in an environment: `fraud-detector@4.2.0 in prod`. */
interface Server {
  readonly model: string;
  readonly version: string;
  readonly env: string;
}
const who = (s: Server) => `${s.model}@${s.version} in ${s.env}`;

/** A pool that lacks a resource for the warm pools (minimum replicas) of its models. */
interface PoolShortage {
  readonly pool: string;
  readonly env: string;
  readonly resource: Resource;
  readonly nodes: number;
  readonly perNode: number;
  readonly needed: number;
  readonly available: number;
  /** Nodes the warm pools need. */
  readonly nodesNeeded: number;
}

/** The biggest consumers of the pool: model, version, minimum replicas and how much they take. */
const shortage = (a: PoolShortage & { readonly consumers: readonly { readonly model: string; readonly version: string; readonly replicas: number; readonly amount: number }[] }) => {
  const { what, unit } = RESOURCES[a.resource];
  const consumers = a.consumers.map((c) => `${c.model}@${c.version} × ${c.replicas} (${num(c.amount)} ${c.amount === 1 && unit === 'GPUs' ? 'GPU' : unit})`).join(', ');
  return `nodePools.${a.pool} in ${a.env} has ${num(a.available)} ${what} (${a.nodes} nodes × ${num(a.perNode)}), but the warm pools of its models need ${num(a.needed)} ${what} at their minimum replicas; biggest consumers: ${consumers}: set nodePools.${a.pool}.nodes.${a.env} to at least ${a.nodesNeeded}, or lower replicas`;
};

/** A deployment without which the pool would fit: `total` what it takes, `servers` its versions on the pool with their roles. */
const blamed = (a: PoolShortage & { readonly model: string; readonly total: number; readonly servers: readonly { readonly version: string; readonly replicas: number; readonly roles: readonly string[] }[] }) =>
  `deploy.${a.env} of ${a.model} needs ${num(a.total)} ${RESOURCES[a.resource].what} of nodePools.${a.pool} at minimum replicas (${a.servers.map((s) => `${s.version} × ${s.replicas} (${s.roles.join(', ')})`).join(', ')}), and the pool is ${num(a.needed - a.available)} short (${num(a.needed)} needed, ${num(a.available)} available); without this deployment it would fit: lower its replicas or resources, or set nodePools.${a.pool}.nodes.${a.env} to at least ${a.nodesNeeded} in the platform`;

/** One reason the stable version's minimum replicas are too low (gates-warm-pool.ts). */
export type WarmPoolReason =
  /** MP6008: the production floor of strict tiers. */
  | { readonly kind: 'floor'; readonly tier: string; readonly env: string }
  /** MP6011: the tier's minimum, for a model without a declared ramp. */
  | { readonly kind: 'tier'; readonly tier: string; readonly env: string; readonly minimum: number }
  /** MP6011: the warm pool the declared peak needs. */
  | { readonly kind: 'peak'; readonly warmPool: number; readonly peakRps: number; readonly headroom: number; readonly rpsPerReplica: number; readonly tierMinimum: number }
  /** MP6010: requests the simulated ramp leaves unserved, and the warm pool that would serve them. */
  | {
      readonly kind: 'ramp';
      readonly model: string;
      readonly env: string;
      readonly min: number;
      readonly unserved: number;
      readonly secondsOverCapacity: number;
      readonly baselineRps: number;
      readonly peakRps: number;
      readonly rampSeconds: number;
      readonly warmupSeconds: number;
      readonly sufficient: number;
    };

const reason = (r: WarmPoolReason): string => {
  switch (r.kind) {
    case 'floor':
      return `a model of strict tier '${r.tier}' needs at least 2 in production environment '${r.env}' (MP6008)`;
    case 'tier':
      return `the ${r.tier} tier's minimum in ${r.env} is ${r.minimum} (MP6011)`;
    case 'peak':
      return `below the warm pool ${r.warmPool} that ${r.peakRps} rps at peak needs (ceil(${r.peakRps} × headroom ${r.headroom} / ${r.rpsPerReplica} rps per replica), at least the tier minimum ${r.tierMinimum}) (MP6011)`;
    case 'ramp':
      return `with ${r.min} it leaves ${r.unserved} requests unserved over ${r.secondsOverCapacity} s of its declared ramp (${r.baselineRps} → ${r.peakRps} rps in ${r.rampSeconds} s, warmup ${r.warmupSeconds} s); a warm pool of ${r.sufficient} would suffice (MP6010, \`npx modelplane simulate ${r.model} --env ${r.env}\`)`;
  }
};

/**
 * One message for MP6008, MP6010 and MP6011 (one diagnostic per deployment):
 * the minimum replicas the stable version runs, the one number that satisfies
 * every rule, each reason, and the fix. `declared`: whether the deployment
 * declares replicas (else the tier's minimum applied).
 */
const warmPool = (a: Server & { readonly tier: string; readonly min: number; readonly max: number; readonly needed: number; readonly declared: boolean; readonly reasons: readonly WarmPoolReason[] }) => {
  const fix = a.declared
    ? `set deploy.${a.env}.replicas.min to ${a.needed} or more`
    : `set deploy.${a.env}.replicas to { min: ${a.needed}, max: ${Math.max(a.needed, a.max)} } (or raise tiers.${a.tier}.minReplicas.${a.env})`;
  return `${a.model} ${a.version} in ${a.env} runs ${a.min} minimum replica${a.min === 1 ? '' : 's'}, but needs ${a.needed}: ${a.reasons.map(reason).join('; ')}. Fix: ${fix}`;
};

/** A runtime on the wrong kind of pool: `pools` the pools of the right kind, `others` runtimes that serve the format on this pool. */
interface RuntimeOnPool extends Server {
  readonly runtime: string;
  readonly kind: string;
  readonly pool: string;
  readonly pools: readonly string[];
  readonly index: number;
  readonly others: readonly string[];
}
const alternatives = (a: RuntimeOnPool) => (a.others.length ? `, or set versions[${a.index}].runtime to ${quoted(a.others)}` : '');

/** A quota field of a team in an environment, and its value. */
interface Quota {
  readonly team: string;
  readonly env: string;
  readonly field: Resource;
  readonly value: number;
}

export const SERVING = {
  MP6001: {
    severity: 'error',
    meaning: 'the warm pools on a GPU pool need more GPUs than the pool has in the environment',
    messages: { default: shortage, deployment: blamed },
  },
  MP6002: {
    severity: 'error',
    meaning: 'one replica asks for more GPUs than one node of its pool has',
    messages: {
      /** `fromMemoryGiB`: the profile's GPU memory the GPUs were derived from, when the deployment does not declare them. */
      default: (a: Server & { readonly gpus: number; readonly fromMemoryGiB?: number; readonly pool: string; readonly perNode: number; readonly gpuModel: string }) =>
        `one replica of ${who(a)} asks for ${a.gpus} GPUs${a.fromMemoryGiB === undefined ? '' : ` (from profile.gpuMemoryGiB ${num(a.fromMemoryGiB)})`}, but a node of pool '${a.pool}' has ${a.perNode} (${a.gpuModel}): use at most ${a.perNode} GPUs per replica or a pool with more GPUs per node`,
    },
  },
  MP6003: {
    severity: 'error',
    meaning: 'profile.gpuMemoryGiB exceeds the memory of the GPUs a replica gets',
    messages: {
      /** `available`: GPU memory of the replica's GPUs; `needed`: the GPUs that would hold the profile. */
      default: (a: Server & { readonly memoryGiB: number; readonly gpus: number; readonly gpuModel: string; readonly available: number; readonly needed: number }) =>
        `${who(a)} needs ${num(a.memoryGiB)} GiB of GPU memory (profile.gpuMemoryGiB), but ${a.gpus} × ${a.gpuModel} give ${num(a.available)} GiB: ask for at least ${a.needed} GPUs per replica`,
      noGpu: (a: Server & { readonly memoryGiB: number; readonly pool: string }) =>
        `${who(a)} needs ${num(a.memoryGiB)} GiB of GPU memory (profile.gpuMemoryGiB), but pool '${a.pool}' has no GPUs: deploy it on a GPU pool`,
    },
  },
  MP6004: {
    severity: 'error',
    meaning: 'the warm pools on a pool need more CPU or memory than the pool has, or one replica does not fit one node',
    messages: {
      default: shortage,
      deployment: blamed,
      /** One replica asks for more CPU or memory than one node has. */
      replica: (a: Server & { readonly resource: 'cpu' | 'memoryGiB'; readonly amount: number; readonly pool: string; readonly perNode: number }) =>
        a.resource === 'cpu'
          ? `one replica of ${who(a)} asks for ${num(a.amount)} CPU cores, but a node of pool '${a.pool}' has ${num(a.perNode)}: one replica must fit one node`
          : `one replica of ${who(a)} asks for ${num(a.amount)} GiB of memory, but a node of pool '${a.pool}' has ${num(a.perNode)} GiB: one replica must fit one node`,
    },
  },
  MP6005: {
    severity: 'error',
    meaning: 'batching delay plus the version\'s p99 latency exceeds the tier\'s p99 budget',
    messages: {
      /** With batching: `delayMs` the batching delay; `alone`: the version's p99 is over the budget by itself. */
      default: (a: { readonly env: string; readonly delayMs: number; readonly index: number; readonly version: string; readonly p99Ms: number; readonly tier: string; readonly budgetMs: number; readonly alone: boolean }) =>
        `deploy.${a.env}.batching.maxLatencyMs ${num(a.delayMs)} + versions[${a.index}].profile.p99LatencyMs ${num(a.p99Ms)} (${a.version}) = ${num(a.delayMs + a.p99Ms)} ms exceeds the p99 budget of tier '${a.tier}', ${num(a.budgetMs)} ms: ${a.alone ? 'the version alone is over budget' : `lower maxLatencyMs to at most ${num(a.budgetMs - a.p99Ms)}`}`,
      /** Without batching. */
      version: (a: { readonly env: string; readonly index: number; readonly version: string; readonly p99Ms: number; readonly tier: string; readonly budgetMs: number }) =>
        `versions[${a.index}].profile.p99LatencyMs is ${num(a.p99Ms)} (${a.version}, live in ${a.env}), over the p99 budget of tier '${a.tier}', ${num(a.budgetMs)} ms: make the version faster or use another tier`,
    },
  },
  MP6006: {
    severity: 'error',
    meaning: 'batching on a tier that does not allow it',
    messages: {
      default: ({ env, tier }: { readonly env: string; readonly tier: string }) =>
        `deploy.${env}.batching is set, but tier '${tier}' does not allow batching (tiers.${tier}.batching is false): remove batching or move the model to a tier that batches`,
    },
  },
  MP6007: {
    severity: 'error',
    meaning: 'replicas.min is greater than replicas.max',
    messages: {
      default: ({ env, min, max }: { readonly env: string; readonly min: number; readonly max: number }) =>
        `deploy.${env}.replicas.min ${min} is greater than replicas.max ${max}: min must be at most max`,
    },
  },
  // MP6008, MP6010 and MP6011 are one diagnostic per deployment: the gravest (MP6010, then MP6008, then
  // MP6011) with the one replicas.min that satisfies all three (src/validate/gates-warm-pool.ts).
  MP6008: {
    severity: 'error',
    meaning: 'a model of a strict tier has fewer than 2 minimum replicas in a production environment',
    messages: { default: warmPool },
  },
  MP6009: {
    severity: 'error',
    meaning: 'scale to zero (0 minimum replicas) on a tier with a p99 latency budget',
    messages: {
      default: ({ env, tier, budgetMs }: { readonly env: string; readonly tier: string; readonly budgetMs: number }) =>
        `deploy.${env}.replicas.min is 0 (scale to zero), but tier '${tier}' has a p99 budget of ${num(budgetMs)} ms that a cold start cannot meet: set min to at least 1`,
      /** A tier's own minimum replicas for `key` (an environment, or `production`...). */
      tier: ({ tier, key, budgetMs }: { readonly tier: string; readonly key: string; readonly budgetMs: number }) =>
        `tiers.${tier}.minReplicas.${key} is 0 (scale to zero), but tier '${tier}' has a p99 budget of ${num(budgetMs)} ms that a cold start cannot meet: set it to at least 1`,
    },
  },
  MP6010: {
    severity: 'error',
    meaning: 'a model of a strict tier leaves requests unserved on its declared traffic ramp (simulated)',
    messages: { default: warmPool },
  },
  MP6011: {
    severity: 'warning',
    strict: 'error',
    meaning: 'declared minimum replicas below the warm pool the traffic needs (an error on strict tiers)',
    messages: { default: warmPool },
  },
  // MP6012–MP6016: quotas and runtime placement (src/validate/gates-serving.ts), burst capacity (gates-capacity.ts)
  MP6012: {
    severity: 'error',
    meaning: 'a declared team quota is smaller than its live versions need at maximum replicas plus a rolling update\'s surge, every container of a pod counted (agent, sidecar, init)',
    messages: {
      /** `biggest`: the versions that need most, each with its pods (maximum replicas + surge) and the limits of each container of a pod. */
      default: (
        a: Quota & {
          readonly needed: number;
          readonly biggest: readonly { readonly model: string; readonly version: string; readonly max: number; readonly surge: number; readonly perPod: number; readonly containers: readonly { readonly name: string; readonly amount: number }[] }[];
        },
      ) => {
        const { what, unit } = RESOURCES[a.field];
        const biggest = a.biggest
          .map((b) => `${b.model}@${b.version} (${b.max} + ${b.surge} surge) pods × ${num(b.perPod)} ${unit}${a.field === 'gpus' ? '' : ` (${b.containers.map((c) => `${c.name} ${num(c.amount)}`).join(' + ')})`}`)
          .join(', ');
        return `teams.${a.team}.quota.${a.env}.${a.field} is ${num(a.value)}, but the team's live versions in ${a.env} need ${num(a.needed)} ${what} of limits at maximum replicas plus a rolling update's surge, every container of a pod counted: ${biggest}; pods beyond the quota are refused by the API server: set it to at least ${num(Math.ceil(a.needed - 1e-9))} or leave it out to derive it`;
      },
    },
  },
  MP6013: {
    severity: 'warning',
    meaning: 'the burst (maximum replicas of every live version, canary included) needs more than the pool has',
    messages: {
      /** `canary`: how much of `needed` canaries take; `biggest`: the versions that take most at maximum replicas. */
      default: (
        a: PoolShortage & { readonly canary: number; readonly biggest: readonly { readonly model: string; readonly version: string; readonly max: number; readonly total: number }[] },
      ) =>
        `at maximum replicas the models on nodePools.${a.pool} in ${a.env} need ${num(a.needed)} ${RESOURCES[a.resource].what} (pod requests, ${num(a.canary)} of them for canaries), but the pool has ${num(a.available)} (${a.nodes} nodes × ${num(a.perNode)}); biggest: ${a.biggest.map((b) => `${b.model}@${b.version} × ${b.max} (${num(b.total)})`).join(', ')}: a burst beyond ${num(a.available)} stays Pending; set nodePools.${a.pool}.nodes.${a.env} to ${a.nodesNeeded} for the full burst, or lower replicas.max`,
    },
  },
  MP6014: {
    severity: 'warning',
    meaning: 'a team quota is larger than the capacity of the pools its models run on',
    messages: {
      default: (a: Quota & { readonly capacity: number; readonly pools: readonly string[] }) =>
        `teams.${a.team}.quota.${a.env}.${a.field} is ${num(a.value)}, more than the ${num(a.capacity)} ${RESOURCES[a.field].what} of the pools the team's models use in ${a.env} (${quoted(a.pools)}): lower it to at most ${num(a.capacity)}, or add nodes to the pools`,
    },
  },
  MP6015: {
    severity: 'error',
    meaning: 'a version whose runtime needs a GPU is deployed on a CPU pool',
    messages: {
      default: (a: RuntimeOnPool) =>
        `${who(a)} runs on runtime '${a.runtime}' (${a.kind}), which needs a GPU, but pool '${a.pool}' is a CPU pool: use a GPU pool (${quoted(a.pools)})${alternatives(a)}`,
    },
  },
  MP6016: {
    severity: 'error',
    meaning: 'a version whose runtime runs on CPU only is deployed on a GPU pool',
    messages: {
      default: (a: RuntimeOnPool) =>
        `${who(a)} runs on runtime '${a.runtime}' (${a.kind}), which runs on CPU only, but pool '${a.pool}' is a GPU pool: its GPUs would idle; use a CPU pool (${quoted(a.pools)})${alternatives(a)}`,
    },
  },
} as const satisfies Entries;
