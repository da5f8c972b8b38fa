import type { ModelDefinition } from '../definitions/index.js';
import { diagnostic, type Diagnostic } from '../diagnostics/index.js';
import type { Definitions, Loaded } from '../load/index.js';
import type { LiveRoute } from '../load/live.js';
import type { Findings } from './gates-context.js';

/**
 * Retirement (MP9001): a model, or an environment of a model, whose route in
 * the last synthesized state (generated/) sends traffic in a production
 * environment may not disappear from the definitions. Removing it would
 * delete its InferenceServices and route at the next sync (its Application
 * prunes), so the definition must first retire it with `deploy.<env>.retired`:
 * the route is then no longer emitted (no traffic), the InferenceServices are
 * kept, and once that state is synthesized the deployment can be removed.
 *
 * An environment that generated/ has but the platform no longer declares
 * counts as production: nothing says it was not.
 *
 * Pure. `definitions` are all loaded definitions, valid or not (a model with a
 * schema error is not a removed model); `failedFiles` are files that did not
 * load, whose models are not judged either.
 */
export function checkRetirements(definitions: Definitions, live: readonly LiveRoute[], failedFiles: readonly string[]): Diagnostic[] {
  const platform = definitions.platform?.value as { environments?: Record<string, { production?: unknown } | undefined> } | undefined;
  if (!platform || typeof platform.environments !== 'object' || platform.environments === null) return [];
  const environments = platform.environments;
  const failed = new Set(failedFiles);
  const byId = new Map<string, Loaded<ModelDefinition>>();
  for (const m of definitions.models) if (typeof m.value?.id === 'string' && !byId.has(m.value.id)) byId.set(m.value.id, m);
  const out: Diagnostic[] = [];
  for (const route of live) {
    const declared = Object.hasOwn(environments, route.env) ? environments[route.env] : undefined;
    if (declared && declared.production !== true) continue;
    const model = byId.get(route.model);
    const file = `models/${route.model}.ts`;
    if (!model) {
      if (failed.has(file)) continue;
      out.push(diagnostic('MP9001', { file: route.file }, { model: route.model, route, declared: Boolean(declared), file }));
      continue;
    }
    const deploy = model.value.deploy as Record<string, unknown> | undefined;
    if (deploy && typeof deploy === 'object' && Object.hasOwn(deploy, route.env)) continue;
    out.push(diagnostic('MP9001', { file: model.file, path: ['deploy'] }, { messageId: 'environment', model: route.model, route, declared: Boolean(declared) }));
  }
  return out;
}

/** A retired deployment has no route, so it cannot run a canary (MP9002). */
export function checkRetiredDeployments(loaded: Loaded<ModelDefinition>, found: Findings): void {
  for (const [env, d] of Object.entries(loaded.value.deploy)) {
    if (!d.retired || !d.canary) continue;
    found.add('MP9002', loaded.file, ['deploy', env, 'canary'], { env, version: d.canary.version });
  }
}
