import type { ModelDefinition, PlatformDefinition } from '../definitions/index.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Loaded } from '../load/index.js';
import { derivedModelNames, isDns1035Label, teamNamespace } from '../resolve/names.js';

/** Every Kubernetes name derived from a model must be a DNS-1035 label of at most 63 characters. */
export function checkModelNames(loaded: Loaded<ModelDefinition>): Diagnostic[] {
  const model = loaded.value;
  const out: Diagnostic[] = [];
  for (const env of Object.keys(model.deploy)) {
    model.versions.forEach((v, i) => {
      for (const { what, name } of derivedModelNames(model.id, v.version, env)) {
        if (isDns1035Label(name)) continue;
        out.push({
          code: 'MP4001',
          severity: 'error',
          file: loaded.file,
          path: ['versions', i, 'version'],
          message: `model '${model.id}' version '${v.version}' in '${env}' gives the ${what} name '${name}' (${name.length} characters), not a DNS-1035 label of at most 63 characters: shorten the model id or the version`,
        });
        return;
      }
    });
  }
  const namespace = teamNamespace(model.owner, 'x');
  if (!isDns1035Label(namespace)) out.push({ code: 'MP4001', severity: 'error', file: loaded.file, path: ['owner'], message: `owner '${model.owner}' gives an invalid namespace name` });
  return out;
}

export function checkPlatformNames(loaded: Loaded<PlatformDefinition>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const team of Object.keys(loaded.value.teams)) {
    for (const env of Object.keys(loaded.value.environments)) {
      const name = teamNamespace(team, env);
      if (!isDns1035Label(name))
        out.push({ code: 'MP4001', severity: 'error', file: loaded.file, path: ['teams', team], message: `team '${team}' in environment '${env}' gives the namespace '${name}' (${name.length} characters), not a DNS-1035 label of at most 63 characters: shorten the team or environment name` });
    }
  }
  return out;
}
