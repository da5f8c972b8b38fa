import type { ModelDefinition, PlatformDefinition } from '../definitions/index.js';
import { diagnostic, type Diagnostic } from '../diagnostics/index.js';
import type { Loaded } from '../load/index.js';
import { derivedModelNames, isDns1035Label, teamNamespace, versionSlug } from '../resolve/names.js';

/** Every Kubernetes name derived from a model must be a DNS-1035 label of at most 63 characters. */
export function checkModelNames(loaded: Loaded<ModelDefinition>): Diagnostic[] {
  const model = loaded.value;
  const out: Diagnostic[] = [];
  // One diagnostic per version: the first invalid name over every environment it could run in.
  model.versions.forEach((v, i) => {
    for (const env of Object.keys(model.deploy)) {
      const bad = derivedModelNames(model.id, v.version, env).find(({ name }) => !isDns1035Label(name));
      if (!bad) continue;
      out.push(diagnostic('MP4001', { file: loaded.file, path: ['versions', i, 'version'] }, { model: model.id, version: v.version, env, what: bad.what, name: bad.name }));
      return;
    }
  });
  const slugs = new Map<string, string>();
  model.versions.forEach((v, i) => {
    const slug = versionSlug(v.version);
    const other = slugs.get(slug);
    if (other !== undefined && other !== v.version)
      out.push(diagnostic('MP4003', { file: loaded.file, path: ['versions', i, 'version'] }, { first: other, second: v.version, suffix: slug }));
    slugs.set(slug, v.version);
  });
  const namespace = teamNamespace(model.owner, 'x');
  if (!isDns1035Label(namespace)) out.push(diagnostic('MP4001', { file: loaded.file, path: ['owner'] }, { messageId: 'owner', owner: model.owner }));
  return out;
}

export function checkPlatformNames(loaded: Loaded<PlatformDefinition>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const team of Object.keys(loaded.value.teams)) {
    for (const env of Object.keys(loaded.value.environments)) {
      const name = teamNamespace(team, env);
      if (!isDns1035Label(name))
        out.push(diagnostic('MP4001', { file: loaded.file, path: ['teams', team] }, { messageId: 'namespace', team, env, name }));
    }
  }
  return out;
}
