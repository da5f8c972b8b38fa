import type { ModelDefinition } from '../definitions/index.js';
import type { FieldPath } from '../diagnostics/index.js';
import type { Loaded } from '../load/index.js';
import type { ResolvedEnvironment, ResolvedModel, ResolvedPool, ResolvedServer } from '../resolve/index.js';
import { type Findings, type GateContext, num, placements, resolvedModel } from './gates-context.js';

const EPSILON = 1e-9;

/**
 * Capacity of every pool in every environment (MP6001–MP6004), from the
 * resolved platform: the minimum replicas of every live version (stable,
 * canary, tenant pins, previous) must fit the pool's nodes, and one replica
 * must fit one node.
 */
export function checkCapacity(context: GateContext, found: Findings): void {
  const resolved = context.resolved;
  const byFile = new Map(context.models.map((m) => [m.file, m.value]));
  const platformFile = context.platform.file;
  for (const env of resolved.environments) {
    for (const model of env.models) {
      const definition = byFile.get(model.file);
      if (definition) for (const server of model.servers) checkReplicaFits(env, model, definition, server, model.file, found);
    }
    for (const pool of env.pools) {
      const servers = env.models.filter((m) => m.pool.name === pool.name).flatMap((m) => m.servers.map((s) => ({ model: m, server: s })));
      if (servers.length === 0) continue;
      const path: FieldPath = ['nodePools', pool.name, 'nodes', env.name];
      const total = (amount: (s: ResolvedServer) => number) => servers.reduce((sum, x) => sum + x.server.replicas.min * amount(x.server), 0);
      const consumers = (amount: (s: ResolvedServer) => number, unit: string) =>
        servers
          .map((x) => ({ name: `${x.model.id}@${x.server.version} × ${x.server.replicas.min}`, amount: x.server.replicas.min * amount(x.server) }))
          .filter((x) => x.amount > 0)
          .sort((a, b) => b.amount - a.amount || (a.name < b.name ? -1 : 1))
          .slice(0, 5)
          .map((x) => `${x.name} (${num(x.amount)} ${x.amount === 1 && unit === 'GPUs' ? 'GPU' : unit})`)
          .join(', ');
      const shortage = (code: 'MP6001' | 'MP6004', what: string, unit: string, needed: number, perNode: number, amount: (s: ResolvedServer) => number) => {
        const available = pool.nodes * perNode;
        if (needed <= available + EPSILON) return;
        const nodesNeeded = Math.ceil(needed / perNode - EPSILON);
        found.add(
          code,
          platformFile,
          path,
          `nodePools.${pool.name} in ${env.name} has ${num(available)} ${what} (${pool.nodes} nodes × ${num(perNode)}), but the warm pools of its models need ${num(needed)} ${what} at their minimum replicas; biggest consumers: ${consumers(amount, unit)}: set nodePools.${pool.name}.nodes.${env.name} to at least ${nodesNeeded}, or lower replicas`,
        );
        blameModels(env, pool, servers, { code, what, needed, available, nodesNeeded, amount }, found);
      };
      if (pool.kind === 'gpu' && pool.gpu) shortage('MP6001', 'GPUs', 'GPUs', total((s) => s.resources.gpus), pool.gpu.perNode, (s) => s.resources.gpus);
      shortage('MP6004', 'CPU cores', 'CPU', total((s) => s.resources.cpu), pool.cpuPerNode, (s) => s.resources.cpu);
      shortage('MP6004', 'GiB of memory', 'GiB', total((s) => s.resources.memoryGiB), pool.memoryGiBPerNode, (s) => s.resources.memoryGiB);
    }
  }
}

/** A pool shortage, as `checkCapacity` found it. */
interface Shortage {
  readonly code: 'MP6001' | 'MP6004';
  readonly what: string;
  readonly needed: number;
  readonly available: number;
  readonly nodesNeeded: number;
  readonly amount: (s: ResolvedServer) => number;
}

/** More models than this that could each tip the pool over: the shortage is the pool's, not a model's. */
const BLAMED = 2;

/**
 * A pool shortage also points at the deployments that push the pool over:
 * each model whose warm pools on the pool, taken away, would let the pool fit,
 * at its `deploy.<env>`, so the author of a model change sees the error on the
 * line they changed. When more than `BLAMED` models could each be the one
 * (a pool that shrank, or many small models), only the pool is pointed at.
 */
function blameModels(env: ResolvedEnvironment, pool: ResolvedPool, servers: readonly { model: ResolvedModel; server: ResolvedServer }[], shortage: Shortage, found: Findings): void {
  const over = shortage.needed - shortage.available;
  const byModel = new Map<ResolvedModel, ResolvedServer[]>();
  for (const x of servers) byModel.set(x.model, [...(byModel.get(x.model) ?? []), x.server]);
  const takers = [...byModel.entries()]
    .map(([model, list]) => ({ model, list, total: list.reduce((sum, s) => sum + s.replicas.min * shortage.amount(s), 0) }))
    .filter((x) => x.total + EPSILON >= over)
    .sort((a, b) => b.total - a.total || (a.model.id < b.model.id ? -1 : 1));
  if (takers.length > BLAMED) return;
  for (const { model, list, total } of takers) {
    const parts = list.filter((s) => shortage.amount(s) > 0).map((s) => `${s.version} × ${s.replicas.min} (${s.roles.join(', ')})`).join(', ');
    found.add(
      shortage.code,
      model.file,
      ['deploy', env.name],
      `deploy.${env.name} of ${model.id} needs ${num(total)} ${shortage.what} of nodePools.${pool.name} at minimum replicas (${parts}), and the pool is ${num(over)} short (${num(shortage.needed)} needed, ${num(shortage.available)} available); without this deployment it would fit: lower its replicas or resources, or set nodePools.${pool.name}.nodes.${env.name} to at least ${shortage.nodesNeeded} in the platform`,
    );
  }
}

/** One replica must fit one node: GPUs, GPU memory, CPU and memory. */
function checkReplicaFits(env: ResolvedEnvironment, model: ResolvedModel, definition: ModelDefinition, server: ResolvedServer, file: string, found: Findings): void {
  const pool: ResolvedPool = model.pool;
  const declared = definition.deploy[env.name]?.resources;
  const at = (field: 'gpus' | 'cpu' | 'memoryGiB'): FieldPath => (declared?.[field] !== undefined ? ['deploy', env.name, 'resources', field] : ['deploy', env.name, 'pool']);
  const who = `${model.id}@${server.version} in ${env.name}`;
  const gpus = server.resources.gpus;
  if (pool.gpu && gpus > pool.gpu.perNode)
    found.add('MP6002', file, at('gpus'), `one replica of ${who} asks for ${gpus} GPUs${declared?.gpus === undefined ? ` (from profile.gpuMemoryGiB ${num(server.profile.gpuMemoryGiB ?? 0)})` : ''}, but a node of pool '${pool.name}' has ${pool.gpu.perNode} (${pool.gpu.model}): use at most ${pool.gpu.perNode} GPUs per replica or a pool with more GPUs per node`);
  const memory = server.profile.gpuMemoryGiB;
  if (memory !== undefined) {
    const available = pool.gpu ? gpus * pool.gpu.memoryGiB : 0;
    if (memory > available + EPSILON) {
      const needed = pool.gpu ? Math.ceil(memory / pool.gpu.memoryGiB - EPSILON) : undefined;
      found.add(
        'MP6003',
        file,
        pool.gpu ? at('gpus') : ['deploy', env.name, 'pool'],
        pool.gpu
          ? `${who} needs ${num(memory)} GiB of GPU memory (profile.gpuMemoryGiB), but ${gpus} × ${pool.gpu.model} give ${num(available)} GiB: ask for at least ${needed} GPUs per replica`
          : `${who} needs ${num(memory)} GiB of GPU memory (profile.gpuMemoryGiB), but pool '${pool.name}' has no GPUs: deploy it on a GPU pool`,
      );
    }
  }
  if (server.resources.cpu > pool.cpuPerNode + EPSILON)
    found.add('MP6004', file, at('cpu'), `one replica of ${who} asks for ${num(server.resources.cpu)} CPU cores, but a node of pool '${pool.name}' has ${num(pool.cpuPerNode)}: one replica must fit one node`);
  if (server.resources.memoryGiB > pool.memoryGiBPerNode + EPSILON)
    found.add('MP6004', file, at('memoryGiB'), `one replica of ${who} asks for ${num(server.resources.memoryGiB)} GiB of memory, but a node of pool '${pool.name}' has ${num(pool.memoryGiBPerNode)} GiB: one replica must fit one node`);
}

/**
 * Latency budget (MP6005, MP6006) and replica bounds (MP6007, MP6009) of one
 * model. Minimum replicas against the tier and the traffic: gates-warm-pool.ts.
 */
export function checkServing(context: GateContext, loaded: Loaded<ModelDefinition>, found: Findings): void {
  const model = loaded.value;
  const file = loaded.file;
  const live = placements(context, loaded);

  for (const env of Object.keys(model.deploy)) {
    const d = model.deploy[env];
    const resolved = resolvedModel(context, env, file);
    if (!resolved) continue;
    const tier = resolved.tier;
    const budget = tier.p99BudgetMs;
    const at = (...rest: (string | number)[]): FieldPath => ['deploy', env, ...rest];
    if (d.batching && tier.batching === false)
      found.add('MP6006', file, at('batching'), `deploy.${env}.batching is set, but tier '${model.tier}' does not allow batching (tiers.${model.tier}.batching is false): remove batching or move the model to a tier that batches`);

    if (budget !== undefined) {
      const delay = d.batching?.maxLatencyMs ?? 0;
      for (const p of live.filter((x) => x.env === env)) {
        const v = model.versions[p.index];
        const total = delay + v.profile.p99LatencyMs;
        if (total <= budget + EPSILON) continue;
        const onVersion = v.profile.p99LatencyMs > budget + EPSILON || !d.batching;
        found.add(
          'MP6005',
          file,
          onVersion ? ['versions', p.index, 'profile', 'p99LatencyMs'] : at('batching', 'maxLatencyMs'),
          d.batching
            ? `deploy.${env}.batching.maxLatencyMs ${num(delay)} + versions[${p.index}].profile.p99LatencyMs ${num(v.profile.p99LatencyMs)} (${v.version}) = ${num(total)} ms exceeds the p99 budget of tier '${model.tier}', ${num(budget)} ms: ${onVersion ? 'the version alone is over budget' : `lower maxLatencyMs to at most ${num(budget - v.profile.p99LatencyMs)}`}`
            : `versions[${p.index}].profile.p99LatencyMs is ${num(v.profile.p99LatencyMs)} (${v.version}, live in ${env}), over the p99 budget of tier '${model.tier}', ${num(budget)} ms: make the version faster or use another tier`,
        );
      }
    }

    if (d.replicas && d.replicas.min > d.replicas.max)
      found.add('MP6007', file, at('replicas', 'min'), `deploy.${env}.replicas.min ${d.replicas.min} is greater than replicas.max ${d.replicas.max}: min must be at most max`);
    if (d.replicas && d.replicas.min === 0 && budget !== undefined)
      found.add('MP6009', file, at('replicas', 'min'), `deploy.${env}.replicas.min is 0 (scale to zero), but tier '${model.tier}' has a p99 budget of ${num(budget)} ms that a cold start cannot meet: set min to at least 1`);
  }
}

/** Scale to zero in a tier's own minimum replicas, on a tier with a p99 budget (MP6009, on the platform). */
export function checkTierMinimums(context: GateContext, found: Findings): void {
  const { value: platform, file } = context.platform;
  for (const name of Object.keys(platform.tiers)) {
    const tier = platform.tiers[name];
    if (tier.p99BudgetMs === undefined) continue;
    for (const key of Object.keys(tier.minReplicas ?? {}))
      if (tier.minReplicas![key] === 0)
        found.add('MP6009', file, ['tiers', name, 'minReplicas', key], `tiers.${name}.minReplicas.${key} is 0 (scale to zero), but tier '${name}' has a p99 budget of ${num(tier.p99BudgetMs)} ms that a cold start cannot meet: set it to at least 1`);
  }
}

/**
 * Burst beyond the warm pool (MP6013, a warning): at maximum replicas, every
 * live version of a pool (stable, canary, tenant pins, previous) with its
 * pods' requests (model, agent, sidecar) against the pool's nodes, with the numbers.
 */
export function checkBurst(context: GateContext, found: Findings): void {
  const file = context.platform.file;
  for (const env of context.resolved.environments) {
    for (const pool of env.pools) {
      const servers = env.models.filter((m) => m.pool.name === pool.name).flatMap((m) => m.servers.map((s) => ({ model: m, server: s })));
      if (servers.length === 0) continue;
      const canaries = servers.filter((x) => x.server.roles.includes('canary'));
      const amounts: { what: string; perNode: number; amount: (s: ResolvedServer) => number }[] = [
        ...(pool.gpu ? [{ what: 'GPUs', perNode: pool.gpu.perNode, amount: (s: ResolvedServer) => s.podCharge.gpus }] : []),
        { what: 'CPU cores', perNode: pool.cpuPerNode, amount: (s: ResolvedServer) => s.podCharge.requests.cpu },
        { what: 'GiB of memory', perNode: pool.memoryGiBPerNode, amount: (s: ResolvedServer) => s.podCharge.requests.memoryGiB },
      ];
      for (const { what, perNode, amount } of amounts) {
        const needed = servers.reduce((sum, x) => sum + x.server.replicas.max * amount(x.server), 0);
        const available = pool.nodes * perNode;
        if (needed <= available + EPSILON) continue;
        const canary = canaries.reduce((sum, x) => sum + x.server.replicas.max * amount(x.server), 0);
        const biggest = servers
          .map((x) => ({ name: `${x.model.id}@${x.server.version} × ${x.server.replicas.max}`, total: x.server.replicas.max * amount(x.server) }))
          .sort((a, b) => b.total - a.total || (a.name < b.name ? -1 : 1))
          .slice(0, 3)
          .map((x) => `${x.name} (${num(x.total)})`)
          .join(', ');
        found.add(
          'MP6013',
          file,
          ['nodePools', pool.name, 'nodes', env.name],
          `at maximum replicas the models on nodePools.${pool.name} in ${env.name} need ${num(needed)} ${what} (pod requests, ${num(canary)} of them for canaries), but the pool has ${num(available)} (${pool.nodes} nodes × ${num(perNode)}); biggest: ${biggest}: a burst beyond ${num(available)} stays Pending; set nodePools.${pool.name}.nodes.${env.name} to ${Math.ceil(needed / perNode - EPSILON)} for the full burst, or lower replicas.max`,
        );
      }
    }
  }
}
