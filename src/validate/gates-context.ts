import type { ModelDefinition, PlatformDefinition, RolloutPolicyDefinition } from '../definitions/index.js';
import type { Diagnostic, FieldPath, Severity } from '../diagnostics/index.js';
import { formatPath } from '../diagnostics/index.js';
import type { Loaded } from '../load/index.js';
import { defaultPolicyFor } from '../resolve/resolve.js';

/** What every gate reads: definitions that passed the schema and reference checks. */
export interface GateContext {
  readonly platform: Loaded<PlatformDefinition>;
  readonly policies: ReadonlyMap<string, RolloutPolicyDefinition>;
  readonly policyFiles: readonly Loaded<RolloutPolicyDefinition>[];
  readonly models: readonly Loaded<ModelDefinition>[];
  /** The moment approvals are compared with. */
  readonly now: Date;
}

/** Why a version is live in an environment. */
export type Role = 'stable' | 'canary' | 'tenant' | 'previous';

/** One place a version is live: an environment and a role. */
export interface Placement {
  readonly env: string;
  readonly role: Role;
  readonly version: string;
  /** Index of the version in `versions`. */
  readonly index: number;
  /** Field that names the version, e.g. `['deploy', 'prod', 'canary', 'version']`. */
  readonly path: FieldPath;
  /** Whether the role receives traffic (every role but `previous`). */
  readonly traffic: boolean;
}

/** Every place a version of the model is live, in deploy order: stable, canary, tenants, previous. */
export function placements(model: ModelDefinition): Placement[] {
  const index = new Map<string, number>();
  model.versions.forEach((v, i) => {
    if (!index.has(v.version)) index.set(v.version, i);
  });
  const out: Placement[] = [];
  const add = (env: string, role: Role, version: string, path: FieldPath) => {
    const i = index.get(version);
    if (i !== undefined) out.push({ env, role, version, index: i, path, traffic: role !== 'previous' });
  };
  for (const env of Object.keys(model.deploy)) {
    const d = model.deploy[env];
    add(env, 'stable', d.version, ['deploy', env, 'version']);
    if (d.canary) add(env, 'canary', d.canary.version, ['deploy', env, 'canary', 'version']);
    for (const tenant of Object.keys(d.tenants ?? {}).sort()) add(env, 'tenant', d.tenants![tenant], ['deploy', env, 'tenants', tenant]);
    if (d.previous) add(env, 'previous', d.previous.version, ['deploy', env, 'previous', 'version']);
  }
  return out;
}

/** The gates a placement passes through: the canary's policy for a canary, else the environment's default policy. */
export interface AppliedGates {
  /** Policy name, or undefined when the environment has no default policy (the default gates apply). */
  readonly policy?: string;
  readonly requireApproval: boolean;
  readonly offline: Readonly<Record<string, string>>;
}

/**
 * Gates of a placement that receives traffic. Undefined when the policy it
 * names is not available (its own checks failed and were reported).
 */
export function gatesFor(context: GateContext, model: ModelDefinition, placement: Placement): AppliedGates | undefined {
  if (!placement.traffic) return undefined;
  const name =
    placement.role === 'canary' ? model.deploy[placement.env]?.canary?.policy : defaultPolicyFor(context.platform.value, context.policyFiles, placement.env);
  if (name === undefined) return { requireApproval: true, offline: {} };
  const policy = context.policies.get(name);
  if (!policy) return undefined;
  return { policy: name, requireApproval: policy.gates?.requireApproval ?? true, offline: policy.gates?.offline ?? {} };
}

/** How a placement reads after "it is": `the canary in prod`, `pinned for tenant 'tenant-a' in prod`. */
export function describePlacement(p: Placement): string {
  switch (p.role) {
    case 'stable':
      return `the stable version in ${p.env}`;
    case 'canary':
      return `the canary in ${p.env}`;
    case 'tenant':
      return `pinned for tenant '${String(p.path[p.path.length - 1])}' in ${p.env}`;
    case 'previous':
      return `kept warm as previous in ${p.env}`;
  }
}

/** Collects diagnostics, one per code, file and path. */
export class Findings {
  private readonly seen = new Set<string>();
  readonly list: Diagnostic[] = [];

  add(severity: Severity, code: string, file: string, path: FieldPath, message: string): void {
    const key = `${code}|${file}|${formatPath(path)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({ code, severity, file, path, message });
  }

  error(code: string, file: string, path: FieldPath, message: string): void {
    this.add('error', code, file, path, message);
  }

  warning(code: string, file: string, path: FieldPath, message: string): void {
    this.add('warning', code, file, path, message);
  }
}

/** `1.5`, `12`, `0.968`: float noise (`0.30000000000000004`) rounded away. */
export function num(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}

export const quoteList = (items: readonly string[]) => (items.length ? items.map((s) => `'${s}'`).join(', ') : '(none)');
