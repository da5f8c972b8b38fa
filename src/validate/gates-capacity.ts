import type { ModelDefinition } from '../definitions/index.js';
import type { FieldPath, Resource } from '../diagnostics/index.js';
import type { Loaded } from '../load/index.js';
import type { ResolvedEnvironment, ResolvedModel, ResolvedPool, ResolvedServer } from '../resolve/index.js';
import { type Findings, type GateContext, placements, resolvedModel } from './gates-context.js';

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
      const consumers = (amount: (s: ResolvedServer) => number) =>
        servers
          .map((x) => ({ model: x.model.id, version: x.server.version, replicas: x.server.replicas.min, amount: x.server.replicas.min * amount(x.server) }))
          .filter((x) => x.amount > 0)
          .sort((a, b) => b.amount - a.amount || (`${a.model}@${a.version} × ${a.replicas}` < `${b.model}@${b.version} × ${b.replicas}` ? -1 : 1))
          .slice(0, 5);
      const shortage = (code: 'MP6001' | 'MP6004', resource: Resource, needed: number, perNode: number, amount: (s: ResolvedServer) => number) => {
        const available = pool.nodes * perNode;
        if (needed <= available + EPSILON) return;
        const nodesNeeded = Math.ceil(needed / perNode - EPSILON);
        const short = { pool: pool.name, env: env.name, resource, nodes: pool.nodes, perNode, needed, available, nodesNeeded };
        found.add(code, platformFile, path, { ...short, consumers: consumers(amount) });
        blameModels(env, pool, servers, { code, short, amount }, found);
      };
      if (pool.kind === 'gpu' && pool.gpu) shortage('MP6001', 'gpus', total((s) => s.resources.gpus), pool.gpu.perNode, (s) => s.resources.gpus);
      shortage('MP6004', 'cpu', total((s) => s.resources.cpu), pool.cpuPerNode, (s) => s.resources.cpu);
      shortage('MP6004', 'memoryGiB', total((s) => s.resources.memoryGiB), pool.memoryGiBPerNode, (s) => s.resources.memoryGiB);
    }
  }
}

/** A pool shortage, as `checkCapacity` found it. */
interface Shortage {
  readonly code: 'MP6001' | 'MP6004';
  /** The numbers of the pool's message. */
  readonly short: { readonly pool: string; readonly env: string; readonly resource: Resource; readonly nodes: number; readonly perNode: number; readonly needed: number; readonly available: number; readonly nodesNeeded: number };
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
  const over = shortage.short.needed - shortage.short.available;
  const byModel = new Map<ResolvedModel, ResolvedServer[]>();
  for (const x of servers) byModel.set(x.model, [...(byModel.get(x.model) ?? []), x.server]);
  const takers = [...byModel.entries()]
    .map(([model, list]) => ({ model, list, total: list.reduce((sum, s) => sum + s.replicas.min * shortage.amount(s), 0) }))
    .filter((x) => x.total + EPSILON >= over)
    .sort((a, b) => b.total - a.total || (a.model.id < b.model.id ? -1 : 1));
  if (takers.length > BLAMED) return;
  for (const { model, list, total } of takers) {
    const parts = list.filter((s) => shortage.amount(s) > 0).map((s) => ({ version: s.version, replicas: s.replicas.min, roles: s.roles }));
    found.add(shortage.code, model.file, ['deploy', env.name], { messageId: 'deployment', ...shortage.short, model: model.id, total, servers: parts });
  }
}

/** One replica must fit one node: GPUs, GPU memory, CPU and memory. */
function checkReplicaFits(env: ResolvedEnvironment, model: ResolvedModel, definition: ModelDefinition, server: ResolvedServer, file: string, found: Findings): void {
  const pool: ResolvedPool = model.pool;
  const declared = definition.deploy[env.name]?.resources;
  const at = (field: 'gpus' | 'cpu' | 'memoryGiB'): FieldPath => (declared?.[field] !== undefined ? ['deploy', env.name, 'resources', field] : ['deploy', env.name, 'pool']);
  const who = { model: model.id, version: server.version, env: env.name };
  const gpus = server.resources.gpus;
  if (pool.gpu && gpus > pool.gpu.perNode)
    found.add('MP6002', file, at('gpus'), { ...who, gpus, fromMemoryGiB: declared?.gpus === undefined ? (server.profile.gpuMemoryGiB ?? 0) : undefined, pool: pool.name, perNode: pool.gpu.perNode, gpuModel: pool.gpu.model });
  const memory = server.profile.gpuMemoryGiB;
  if (memory !== undefined) {
    const available = pool.gpu ? gpus * pool.gpu.memoryGiB : 0;
    if (memory > available + EPSILON) {
      const needed = pool.gpu ? Math.ceil(memory / pool.gpu.memoryGiB - EPSILON) : undefined;
      found.add(
        'MP6003',
        file,
        pool.gpu ? at('gpus') : ['deploy', env.name, 'pool'],
        pool.gpu && needed !== undefined
          ? { ...who, memoryGiB: memory, gpus, gpuModel: pool.gpu.model, available, needed }
          : { messageId: 'noGpu', ...who, memoryGiB: memory, pool: pool.name },
      );
    }
  }
  if (server.resources.cpu > pool.cpuPerNode + EPSILON)
    found.add('MP6004', file, at('cpu'), { messageId: 'replica', ...who, resource: 'cpu', amount: server.resources.cpu, pool: pool.name, perNode: pool.cpuPerNode });
  if (server.resources.memoryGiB > pool.memoryGiBPerNode + EPSILON)
    found.add('MP6004', file, at('memoryGiB'), { messageId: 'replica', ...who, resource: 'memoryGiB', amount: server.resources.memoryGiB, pool: pool.name, perNode: pool.memoryGiBPerNode });
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
      found.add('MP6006', file, at('batching'), { env, tier: model.tier });

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
            ? { env, delayMs: delay, index: p.index, version: v.version, p99Ms: v.profile.p99LatencyMs, tier: model.tier, budgetMs: budget, alone: onVersion }
            : { messageId: 'version', env, index: p.index, version: v.version, p99Ms: v.profile.p99LatencyMs, tier: model.tier, budgetMs: budget },
        );
      }
    }

    if (d.replicas && d.replicas.min > d.replicas.max)
      found.add('MP6007', file, at('replicas', 'min'), { env, min: d.replicas.min, max: d.replicas.max });
    if (d.replicas && d.replicas.min === 0 && budget !== undefined)
      found.add('MP6009', file, at('replicas', 'min'), { env, tier: model.tier, budgetMs: budget });
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
        found.add('MP6009', file, ['tiers', name, 'minReplicas', key], { messageId: 'tier', tier: name, key, budgetMs: tier.p99BudgetMs });
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
      const amounts: { resource: Resource; perNode: number; amount: (s: ResolvedServer) => number }[] = [
        ...(pool.gpu ? [{ resource: 'gpus' as const, perNode: pool.gpu.perNode, amount: (s: ResolvedServer) => s.podCharge.gpus }] : []),
        { resource: 'cpu', perNode: pool.cpuPerNode, amount: (s: ResolvedServer) => s.podCharge.requests.cpu },
        { resource: 'memoryGiB', perNode: pool.memoryGiBPerNode, amount: (s: ResolvedServer) => s.podCharge.requests.memoryGiB },
      ];
      for (const { resource, perNode, amount } of amounts) {
        const needed = servers.reduce((sum, x) => sum + x.server.replicas.max * amount(x.server), 0);
        const available = pool.nodes * perNode;
        if (needed <= available + EPSILON) continue;
        const canary = canaries.reduce((sum, x) => sum + x.server.replicas.max * amount(x.server), 0);
        const name = (x: { model: string; version: string; max: number }) => `${x.model}@${x.version} × ${x.max}`;
        const biggest = servers
          .map((x) => ({ model: x.model.id, version: x.server.version, max: x.server.replicas.max, total: x.server.replicas.max * amount(x.server) }))
          .sort((a, b) => b.total - a.total || (name(a) < name(b) ? -1 : 1))
          .slice(0, 3);
        const nodesNeeded = Math.ceil(needed / perNode - EPSILON);
        found.add('MP6013', file, ['nodePools', pool.name, 'nodes', env.name], { pool: pool.name, env: env.name, resource, nodes: pool.nodes, perNode, needed, available, nodesNeeded, canary, biggest });
      }
    }
  }
}
