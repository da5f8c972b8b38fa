import type { FieldPath } from '../diagnostics/index.js';
import type { ResolvedEnvironment, ResolvedServer } from '../resolve/index.js';
import type { Findings, GateContext } from './gates-context.js';

const EPSILON = 1e-9;

/**
 * Quotas (MP6012, MP6014): a declared team quota must hold what the team's
 * live versions really run at maximum replicas plus a rolling update's surge,
 * each pod counted with the KServe agent, the Istio sidecar and its init
 * containers; a declared quota beyond the capacity of the team's pools is a warning.
 */
export function checkQuotas(context: GateContext, found: Findings): void {
  const { value: platform, file } = context.platform;
  for (const env of context.resolved.environments) {
    for (const team of env.teams) {
      const declared = platform.teams[team.name]?.quota?.[env.name];
      if (!declared) continue;
      const servers = env.models.filter((m) => m.owner === team.name).flatMap((m) => m.servers.map((s) => ({ model: m.id, server: s })));
      const biggest = (field: 'cpu' | 'memoryGiB' | 'gpus', amount: (s: ResolvedServer) => number) =>
        servers
          .map((x) => ({ x, total: (x.server.replicas.max + x.server.surge) * amount(x.server) }))
          .filter((y) => y.total > 0)
          .sort((a, b) => b.total - a.total || (a.x.server.name < b.x.server.name ? -1 : 1))
          .slice(0, 3)
          .map(({ x }) => ({
            model: x.model,
            version: x.server.version,
            max: x.server.replicas.max,
            surge: x.server.surge,
            perPod: amount(x.server),
            containers: x.server.podCharge.containers
              .filter((c) => !c.init)
              .map((c) => ({ name: c.name, amount: field === 'gpus' ? (c.name === 'kserve-container' ? x.server.resources.gpus : 0) : c.resources.limits[field] })),
          }));
      const check = (field: 'cpu' | 'memoryGiB' | 'gpus', needed: number, amount: (s: ResolvedServer) => number) => {
        const value = declared[field];
        if (value === undefined || value + EPSILON >= needed) return;
        found.add('MP6012', file, ['teams', team.name, 'quota', env.name, field], { team: team.name, env: env.name, field, value, needed, biggest: biggest(field, amount) });
      };
      check('cpu', team.quotaNeeded.limits.cpu, (s) => s.podCharge.limits.cpu);
      check('memoryGiB', team.quotaNeeded.limits.memoryGiB, (s) => s.podCharge.limits.memoryGiB);
      check('gpus', team.quotaNeeded.limits.gpus, (s) => s.podCharge.gpus);

      // Beyond the pools: a quota that can never be used is a sign of a wrong number.
      const pools = env.pools.filter((p) => servers.some((x) => env.models.find((m) => m.id === x.model)?.pool.name === p.name));
      if (pools.length === 0) continue;
      const capacity = {
        cpu: pools.reduce((sum, p) => sum + p.nodes * p.cpuPerNode, 0),
        memoryGiB: pools.reduce((sum, p) => sum + p.nodes * p.memoryGiBPerNode, 0),
        gpus: pools.reduce((sum, p) => sum + p.nodes * (p.gpu?.perNode ?? 0), 0),
      };
      const names = pools.map((p) => p.name);
      for (const field of ['cpu', 'memoryGiB', 'gpus'] as const) {
        const value = declared[field];
        if (value === undefined || value <= capacity[field] + EPSILON) continue;
        found.add('MP6014', file, ['teams', team.name, 'quota', env.name, field], { team: team.name, env: env.name, field, value, capacity: capacity[field], pools: names });
      }
    }
  }
}

/**
 * Runtime against pool (MP6015, MP6016): a runtime that needs a GPU never
 * starts on a CPU pool, and a CPU-only server on a GPU pool idles GPUs that
 * other models wait for.
 */
export function checkRuntimePools(context: GateContext, found: Findings): void {
  for (const env of context.resolved.environments) {
    for (const model of env.models) {
      const definition = context.models.find((m) => m.file === model.file)?.value;
      if (!definition) continue;
      for (const server of model.servers) {
        const path: FieldPath = ['deploy', env.name, 'pool'];
        const runtime = server.runtime;
        const pools = (kind: 'gpu' | 'cpu') => env.pools.filter((p) => p.kind === kind).map((p) => p.name);
        const on = { model: model.id, version: server.version, env: env.name, runtime: runtime.name, kind: runtime.kind, pool: model.pool.name, index: server.versionIndex };
        if (runtime.gpu && model.pool.kind === 'cpu') found.add('MP6015', model.file, path, { ...on, pools: pools('gpu'), others: alternatives(env, server, false) });
        if (runtime.cpuOnly && model.pool.kind === 'gpu') found.add('MP6016', model.file, path, { ...on, pools: pools('cpu'), others: alternatives(env, server, true) });
      }
    }
  }
}

/** The other runtimes that serve the version's format and fit the pool (`gpu`: a GPU pool). */
function alternatives(env: ResolvedEnvironment, server: ResolvedServer, gpu: boolean): string[] {
  return env.runtimes.filter((r) => r.name !== server.runtime.name && r.formats.includes(server.format) && (gpu ? !r.cpuOnly : !r.gpu)).map((r) => r.name);
}

/**
 * Pod Security against the mesh (MP7010): without Istio CNI every injected pod
 * has `istio-init`, which adds NET_ADMIN and NET_RAW, which `baseline` and
 * `restricted` reject, so the ReplicaSet creates no pod at all. `restricted`
 * also needs a seccomp profile on every container, which neither the model
 * container nor KServe's injected containers set.
 */
export function checkMesh(context: GateContext, found: Findings): void {
  const { value, file } = context.platform;
  const { mesh, podSecurity } = context.resolved.serving;
  const declared = value.podSecurity?.enforce !== undefined;
  const path: FieldPath = declared ? ['podSecurity', 'enforce'] : ['mesh'];
  if (mesh.istio && !mesh.cni && podSecurity.enforce !== 'privileged') found.add('MP7010', file, path, { enforce: podSecurity.enforce });
  else if (podSecurity.enforce === 'restricted') found.add('MP7010', file, path, { messageId: 'restricted', istio: mesh.istio, cni: mesh.cni });
}
