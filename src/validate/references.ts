import type { ModelDefinition, PlatformDefinition, RolloutPolicyDefinition } from '../definitions/index.js';
import type { Code, Diagnostic, FieldPath, MessageArgs } from '../diagnostics/index.js';
import { diagnostic } from '../diagnostics/index.js';
import type { Loaded } from '../load/index.js';
import { BUILT_IN_CHECKS } from '../metrics/built-in.js';

/** Every name a model refers to must exist: team, tier, environment, pool, policy, version, runtime. */
export function checkModelReferences(
  loaded: Loaded<ModelDefinition>,
  platform: PlatformDefinition,
  policies: ReadonlyMap<string, RolloutPolicyDefinition>,
): Diagnostic[] {
  const model = loaded.value;
  const out: Diagnostic[] = [];
  const error = <C extends Code>(code: C, path: FieldPath, args: MessageArgs<C>) => out.push(diagnostic(code, { file: loaded.file, path }, args));

  if (!platform.teams[model.owner]) error('MP3001', ['owner'], { value: model.owner, known: Object.keys(platform.teams) });
  if (!platform.tiers[model.tier]) error('MP3002', ['tier'], { value: model.tier, known: Object.keys(platform.tiers) });

  const versions = new Set<string>();
  model.versions.forEach((v, i) => {
    if (versions.has(v.version)) error('MP3009', ['versions', i, 'version'], { version: v.version });
    versions.add(v.version);
    if (v.runtime) {
      const runtime = platform.runtimes[v.runtime];
      if (!runtime) error('MP3008', ['versions', i, 'runtime'], { value: v.runtime, known: Object.keys(platform.runtimes) });
      else if (!runtime.formats.includes(v.format))
        error('MP3008', ['versions', i, 'runtime'], { messageId: 'format', runtime: v.runtime, format: v.format, served: runtime.formats });
    } else if (!Object.values(platform.runtimes).some((r) => r.formats.includes(v.format))) {
      const formats = [...new Set(Object.values(platform.runtimes).flatMap((r) => r.formats))].sort();
      error('MP3007', ['versions', i, 'format'], { format: v.format, served: formats });
    }
  });

  const builtIn = new Set<string>(BUILT_IN_CHECKS);
  const qualityNames = new Set<string>();
  (model.quality ?? []).forEach((q, i) => {
    if (builtIn.has(q.name) || qualityNames.has(q.name) || qualityNames.has(`${q.name}-delta`))
      error('MP3013', ['quality', i, 'name'], { name: q.name, builtIn: [...builtIn] });
    qualityNames.add(q.name);
    if (q.maxDelta !== undefined) qualityNames.add(`${q.name}-delta`);
  });

  for (const env of Object.keys(model.deploy)) {
    const d = model.deploy[env];
    const at = (...rest: (string | number)[]): FieldPath => ['deploy', env, ...rest];
    if (!platform.environments[env]) {
      error('MP3004', at(), { value: env, known: Object.keys(platform.environments) });
      continue;
    }
    if (!platform.nodePools[d.pool]) error('MP3003', at('pool'), { value: d.pool, known: Object.keys(platform.nodePools) });
    const known = (version: string, path: FieldPath, role: string) => {
      if (!versions.has(version)) error('MP3006', path, { role, value: version, known: [...versions] });
    };
    known(d.version, at('version'), 'stable');
    if (d.canary) {
      known(d.canary.version, at('canary', 'version'), 'canary');
      const policy = policies.get(d.canary.policy);
      if (!policy) error('MP3005', at('canary', 'policy'), { value: d.canary.policy, known: [...policies.keys()].sort() });
      else if (Array.isArray(policy.steps) && d.canary.step >= policy.steps.length)
        error('MP3010', at('canary', 'step'), { env, step: d.canary.step, policy: policy.name, steps: policy.steps.length });
      if (d.canary.version === d.version) error('MP3011', at('canary', 'version'), { role: 'canary', version: d.canary.version });
    }
    if (d.previous) {
      known(d.previous.version, at('previous', 'version'), 'previous');
      if (d.previous.version === d.version) error('MP3011', at('previous', 'version'), { role: 'previous', version: d.previous.version });
    }
    for (const tenant of Object.keys(d.tenants ?? {})) known(d.tenants![tenant], at('tenants', tenant), `tenant '${tenant}'`);
    // HTTPRoute: at most 16 rules (one per pinned version, one per live version, the split) and 64 matches per rule.
    const live = new Set([d.version, d.canary?.version, ...Object.values(d.tenants ?? {})].filter(Boolean));
    const pinned = new Set(Object.values(d.tenants ?? {}));
    if (live.size + pinned.size + 1 > 16)
      error('MP3014', at('tenants'), { env, live: live.size, pinned: pinned.size });
    const perVersion = new Map<string, number>();
    for (const v of Object.values(d.tenants ?? {})) perVersion.set(v, (perVersion.get(v) ?? 0) + 1);
    for (const [v, n] of perVersion)
      if (n * 4 > 64) error('MP3014', at('tenants'), { messageId: 'tenants', env, tenants: n, version: v });
  }
  return out;
}

/** `policies`: names of every declared policy (a defaultPolicy naming none is MP3005, not a contradiction). */
export function checkPolicyReferences(loaded: Loaded<RolloutPolicyDefinition>, platform: PlatformDefinition, policies?: ReadonlySet<string>): Diagnostic[] {
  const out: Diagnostic[] = (loaded.value.environments ?? []).flatMap((env, i): Diagnostic[] =>
    platform.environments[env]
      ? []
      : [diagnostic('MP3004', { file: loaded.file, path: ['environments', i] }, { value: env, known: Object.keys(platform.environments) })],
  );
  out.push(...checkPolicyEnvironments(loaded, platform, policies));
  loaded.value.steps.forEach((step, i) => {
    const before = loaded.value.steps[i - 1];
    if (before && step.weight <= before.weight)
      out.push(diagnostic('MP3012', { file: loaded.file, path: ['steps', i, 'weight'] }, { index: i, weight: step.weight, before: before.weight }));
  });
  const names = new Map<string, number>();
  (loaded.value.analysis.quality ?? []).forEach((q, i) => {
    const first = names.get(q.name);
    if (first !== undefined) out.push(diagnostic('MP3013', { file: loaded.file, path: ['analysis', 'quality', i, 'name'] }, { messageId: 'policy', name: q.name, first }));
    else names.set(q.name, i);
  });
  return out;
}

/**
 * A policy's `environments` must agree with the platform's `defaultPolicy`
 * (MP3017): the platform names the policy an environment uses by default, so
 * a policy that leaves out an environment whose default it is, or claims an
 * environment whose default is another policy, contradicts it. The platform
 * wins at resolve time; the contradiction is reported at the policy.
 */
function checkPolicyEnvironments(loaded: Loaded<RolloutPolicyDefinition>, platform: PlatformDefinition, policies?: ReadonlySet<string>): Diagnostic[] {
  const policy = loaded.value;
  const claimed = policy.environments ?? [];
  const out: Diagnostic[] = [];
  for (const env of Object.keys(platform.environments).sort()) {
    const chosen = platform.environments[env].defaultPolicy;
    if (chosen === undefined || (policies && !policies.has(chosen))) continue;
    const at = claimed.indexOf(env);
    if (chosen === policy.name && claimed.length > 0 && at < 0)
      out.push(diagnostic('MP3017', { file: loaded.file, path: ['environments'] }, { policy: policy.name, claimed, env }));
    if (chosen !== policy.name && at >= 0)
      out.push(diagnostic('MP3017', { file: loaded.file, path: ['environments', at] }, { messageId: 'claims', policy: policy.name, env, chosen }));
  }
  return out;
}

export function checkPlatformReferences(loaded: Loaded<PlatformDefinition>, policies: ReadonlyMap<string, RolloutPolicyDefinition>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const p = loaded.value;
  for (const env of Object.keys(p.environments)) {
    const name = p.environments[env].defaultPolicy;
    if (name && !policies.has(name))
      out.push(diagnostic('MP3005', { file: loaded.file, path: ['environments', env, 'defaultPolicy'] }, { field: 'defaultPolicy', value: name, known: [...policies.keys()].sort() }));
  }
  for (const name of Object.keys(p.nodePools)) {
    const pool = p.nodePools[name];
    if (pool.kind === 'gpu' && !pool.gpu)
      out.push(diagnostic('MP2003', { file: loaded.file, path: ['nodePools', name, 'gpu'] }, { messageId: 'gpuPool', pool: name }));
    if (pool.kind === 'cpu' && pool.gpu)
      out.push(diagnostic('MP2004', { file: loaded.file, path: ['nodePools', name, 'gpu'] }, { messageId: 'cpuPoolGpu', pool: name }));
  }
  return out;
}
