import type { ModelDefinition, PlatformDefinition } from '../definitions/index.js';
import type { Code, Diagnostic, DiagnosticOptions, FieldPath, GatedPlace, MessageArgs, Place } from '../diagnostics/index.js';
import { diagnostic, formatPath } from '../diagnostics/index.js';
import type { Loaded } from '../load/index.js';
import type { ResolvedEnvironment, ResolvedModel, ResolvedPlatform, ResolvedPolicy, ServerRole } from '../resolve/index.js';

/**
 * What every gate reads: the resolved platform, and the definitions it was
 * resolved from (which passed the schema and reference checks), for field paths.
 */
export interface GateContext {
  readonly platform: Loaded<PlatformDefinition>;
  readonly resolved: ResolvedPlatform;
  readonly models: readonly Loaded<ModelDefinition>[];
  /** The moment approvals are compared with. */
  readonly now: Date;
}

/** One place a version is live: an environment and a role of its resolved server. */
export interface Placement {
  readonly env: string;
  readonly role: ServerRole;
  readonly version: string;
  /** Index of the version in `versions`. */
  readonly index: number;
  /** Field that names the version, e.g. `['deploy', 'prod', 'canary', 'version']`. */
  readonly path: FieldPath;
  /** Whether the role receives traffic (every role but `previous`). */
  readonly traffic: boolean;
  readonly model: ResolvedModel;
  readonly server: ResolvedModel['servers'][number];
}

/** The resolved model of a definition file in an environment. */
export function resolvedModel(context: GateContext, env: string, file: string): ResolvedModel | undefined {
  return environment(context, env)?.models.find((m) => m.file === file);
}

export function environment(context: GateContext, env: string): ResolvedEnvironment | undefined {
  return context.resolved.environments.find((e) => e.name === env);
}

/**
 * Every place a version of the model is live, from the roles of its resolved
 * servers, environments in deploy order; one placement per tenant pin.
 */
export function placements(context: GateContext, loaded: Loaded<ModelDefinition>): Placement[] {
  const out: Placement[] = [];
  for (const env of Object.keys(loaded.value.deploy)) {
    const model = resolvedModel(context, env, loaded.file);
    if (!model) continue;
    for (const server of model.servers) {
      const at = (role: ServerRole, path: FieldPath) =>
        out.push({ env, role, version: server.version, index: server.versionIndex, path, traffic: role !== 'previous', model, server });
      for (const role of server.roles) {
        if (role === 'stable') at(role, ['deploy', env, 'version']);
        else if (role === 'canary') at(role, ['deploy', env, 'canary', 'version']);
        else if (role === 'previous') at(role, ['deploy', env, 'previous', 'version']);
        else for (const t of model.tenants.filter((x) => x.version === server.version)) at(role, ['deploy', env, 'tenants', t.tenant]);
      }
    }
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

/** Gates of a placement that receives traffic, from the resolved policies. */
export function gatesFor(context: GateContext, placement: Placement): AppliedGates | undefined {
  if (!placement.traffic) return undefined;
  const name = placement.role === 'canary' ? placement.model.canary?.policy : environment(context, placement.env)?.defaultPolicy;
  if (name === undefined) return { requireApproval: true, offline: {} };
  const policy: ResolvedPolicy | undefined = context.resolved.policies.find((p) => p.name === name);
  if (!policy) return undefined;
  return { policy: name, requireApproval: policy.requireApproval, offline: policy.offlineGates };
}

/** A placement as messages name it: its role and environment, the tenant of a pin, and the policy whose gates apply. */
export function placeOf(p: Placement, gates?: AppliedGates): GatedPlace {
  const place: Place = p.role === 'tenant' ? { role: p.role, env: p.env, tenant: String(p.path[p.path.length - 1]) } : { role: p.role, env: p.env };
  return gates?.policy === undefined ? place : { ...place, policy: gates.policy };
}

/** Collects diagnostics, one per code, file and path. */
export class Findings {
  private readonly seen = new Set<string>();
  readonly list: Diagnostic[] = [];

  /** Adds a diagnostic of the code's catalogue severity (`strict`: its severity on strict tiers). */
  add<C extends Code>(code: C, file: string, path: FieldPath, args: MessageArgs<C>, options: DiagnosticOptions = {}): void {
    const key = `${code}|${file}|${formatPath(path)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(diagnostic(code, { file, path }, args, options));
  }
}
