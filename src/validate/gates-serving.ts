import type { FieldPath } from '../diagnostics/index.js';
import type { ResolvedEnvironment, ResolvedServer } from '../resolve/index.js';
import { type Findings, type GateContext, num, quoteList } from './gates-context.js';

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
      const biggest = (amount: (s: ResolvedServer) => number, unit: string) =>
        servers
          .map((x) => ({ x, total: (x.server.replicas.max + x.server.surge) * amount(x.server) }))
          .filter((y) => y.total > 0)
          .sort((a, b) => b.total - a.total || (a.x.server.name < b.x.server.name ? -1 : 1))
          .slice(0, 3)
          .map(({ x }) => {
            const parts = x.server.podCharge.containers.filter((c) => !c.init).map((c) => `${c.name} ${num(unit === 'GPUs' ? (c.name === 'kserve-container' ? x.server.resources.gpus : 0) : unit === 'CPU' ? c.resources.limits.cpu : c.resources.limits.memoryGiB)}`);
            return `${x.model}@${x.server.version} (${x.server.replicas.max} + ${x.server.surge} surge) pods × ${num(amount(x.server))} ${unit}${unit === 'GPUs' ? '' : ` (${parts.join(' + ')})`}`;
          })
          .join(', ');
      const check = (field: 'cpu' | 'memoryGiB' | 'gpus', needed: number, what: string, unit: string, amount: (s: ResolvedServer) => number) => {
        const value = declared[field];
        if (value === undefined || value + EPSILON >= needed) return;
        found.add(
          'MP6012',
          file,
          ['teams', team.name, 'quota', env.name, field],
          `teams.${team.name}.quota.${env.name}.${field} is ${num(value)}, but the team's live versions in ${env.name} need ${num(needed)} ${what} of limits at maximum replicas plus a rolling update's surge, every container of a pod counted: ${biggest(amount, unit)}; pods beyond the quota are refused by the API server: set it to at least ${num(Math.ceil(needed - EPSILON))} or leave it out to derive it`,
        );
      };
      check('cpu', team.quotaNeeded.limits.cpu, 'CPU cores', 'CPU', (s) => s.podCharge.limits.cpu);
      check('memoryGiB', team.quotaNeeded.limits.memoryGiB, 'GiB of memory', 'GiB', (s) => s.podCharge.limits.memoryGiB);
      check('gpus', team.quotaNeeded.limits.gpus, 'GPUs', 'GPUs', (s) => s.podCharge.gpus);

      // Beyond the pools: a quota that can never be used is a sign of a wrong number.
      const pools = env.pools.filter((p) => servers.some((x) => env.models.find((m) => m.id === x.model)?.pool.name === p.name));
      if (pools.length === 0) continue;
      const capacity = {
        cpu: pools.reduce((sum, p) => sum + p.nodes * p.cpuPerNode, 0),
        memoryGiB: pools.reduce((sum, p) => sum + p.nodes * p.memoryGiBPerNode, 0),
        gpus: pools.reduce((sum, p) => sum + p.nodes * (p.gpu?.perNode ?? 0), 0),
      };
      const names = quoteList(pools.map((p) => p.name));
      for (const [field, what] of [['cpu', 'CPU cores'], ['memoryGiB', 'GiB of memory'], ['gpus', 'GPUs']] as const) {
        const value = declared[field];
        if (value === undefined || value <= capacity[field] + EPSILON) continue;
        found.add(
          'MP6014',
          file,
          ['teams', team.name, 'quota', env.name, field],
          `teams.${team.name}.quota.${env.name}.${field} is ${num(value)}, more than the ${num(capacity[field])} ${what} of the pools the team's models use in ${env.name} (${names}): lower it to at most ${num(capacity[field])}, or add nodes to the pools`,
        );
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
        const pools = (kind: 'gpu' | 'cpu') => quoteList(env.pools.filter((p) => p.kind === kind).map((p) => p.name));
        if (runtime.gpu && model.pool.kind === 'cpu')
          found.add(
            'MP6015',
            model.file,
            path,
            `${model.id}@${server.version} in ${env.name} runs on runtime '${runtime.name}' (${runtime.kind}), which needs a GPU, but pool '${model.pool.name}' is a CPU pool: use a GPU pool (${pools('gpu')})${alternatives(env, server, false)}`,
          );
        if (runtime.cpuOnly && model.pool.kind === 'gpu')
          found.add(
            'MP6016',
            model.file,
            path,
            `${model.id}@${server.version} in ${env.name} runs on runtime '${runtime.name}' (${runtime.kind}), which runs on CPU only, but pool '${model.pool.name}' is a GPU pool: its GPUs would idle; use a CPU pool (${pools('cpu')})${alternatives(env, server, true)}`,
          );
      }
    }
  }
}

/** `, or runtime 'x' (serves format f on GPU)` when another runtime fits the pool. */
function alternatives(env: ResolvedEnvironment, server: ResolvedServer, gpu: boolean): string {
  const others = env.runtimes.filter((r) => r.name !== server.runtime.name && r.formats.includes(server.format) && (gpu ? !r.cpuOnly : !r.gpu)).map((r) => r.name);
  return others.length ? `, or set versions[${server.versionIndex}].runtime to ${quoteList(others)}` : '';
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
  if (mesh.istio && !mesh.cni && podSecurity.enforce !== 'privileged')
    found.add(
      'MP7010',
      file,
      path,
      `podSecurity.enforce is '${podSecurity.enforce}' in namespaces with Istio injection, but mesh.cni is false: the injected istio-init container adds NET_ADMIN and NET_RAW, which '${podSecurity.enforce}' rejects, so no model pod would start: install Istio with the CNI node agent and set mesh.cni to true, or set podSecurity.enforce to 'privileged' (warn and audit stay at 'baseline')`,
    );
  else if (podSecurity.enforce === 'restricted')
    found.add(
      'MP7010',
      file,
      path,
      `podSecurity.enforce is 'restricted', which needs a seccomp profile on every container, but the model container and the containers KServe${mesh.istio ? ' and Istio' : ''} inject set none: use 'baseline'${mesh.istio && !mesh.cni ? ' (with mesh.cni) or \'privileged\'' : ''}`,
    );
}
