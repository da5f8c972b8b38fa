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
      out.push(
        diagnostic('MP4001', { file: loaded.file, path: ['versions', i, 'version'] }, `model '${model.id}' version '${v.version}' in '${env}' gives the ${bad.what} name '${bad.name}' (${bad.name.length} characters), not a DNS-1035 label of at most 63 characters: shorten the model id or the version`),
      );
      return;
    }
  });
  const slugs = new Map<string, string>();
  model.versions.forEach((v, i) => {
    const slug = versionSlug(v.version);
    const other = slugs.get(slug);
    if (other !== undefined && other !== v.version)
      out.push(diagnostic('MP4003', { file: loaded.file, path: ['versions', i, 'version'] }, `versions '${other}' and '${v.version}' both give the object name suffix '${slug}': rename one (versions are compared lower-case, with '.' and '-' alike)`));
    slugs.set(slug, v.version);
  });
  const namespace = teamNamespace(model.owner, 'x');
  if (!isDns1035Label(namespace)) out.push(diagnostic('MP4001', { file: loaded.file, path: ['owner'] }, `owner '${model.owner}' gives an invalid namespace name`));
  return out;
}

export function checkPlatformNames(loaded: Loaded<PlatformDefinition>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const team of Object.keys(loaded.value.teams)) {
    for (const env of Object.keys(loaded.value.environments)) {
      const name = teamNamespace(team, env);
      if (!isDns1035Label(name))
        out.push(diagnostic('MP4001', { file: loaded.file, path: ['teams', team] }, `team '${team}' in environment '${env}' gives the namespace '${name}' (${name.length} characters), not a DNS-1035 label of at most 63 characters: shorten the team or environment name`));
    }
  }
  return out;
}
