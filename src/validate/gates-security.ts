import type { ModelDefinition, QualityCheckDefinition, RolloutPolicyDefinition } from '../definitions/index.js';
import type { FieldPath } from '../diagnostics/index.js';
import type { Loaded } from '../load/index.js';
import { DEFAULT_GPU_RESOURCE } from '../resolve/index.js';
import { type Findings, type GateContext, placeOf, placements } from './gates-context.js';

const PAYLOAD_MODES = new Set(['request', 'response', 'all']);
const ARTIFACT_SCHEMES = ['s3://', 'gs://', 'az://', 'hf://', 'pvc://', 'oci://', 'https://'];
const PINNED_IMAGE = /^[^\s@]+@sha256:[a-f0-9]{64}$/;

/** Prediction logging (MP7001, MP7002), artifacts (MP7004, MP7005) and images (MP7006, MP7007) of one model. */
export function checkModelSecurity(context: GateContext, loaded: Loaded<ModelDefinition>, found: Findings): void {
  const model = loaded.value;
  const file = loaded.file;
  const platform = context.platform.value;

  const sinks = platform.logging;
  const allowed = sinks ? [sinks.sink, sinks.scrubbingSink, ...(sinks.allowedUrls ?? [])] : [];
  for (const env of Object.keys(model.deploy)) {
    const logging = model.deploy[env].logging;
    if (!logging) continue;
    const at = (field: string): FieldPath => ['deploy', env, 'logging', field];
    if (logging.url !== undefined && !allowed.includes(logging.url))
      found.add('MP7002', file, at('url'), { env, url: logging.url, allowed });
    if (model.dataClass === 'pii' && PAYLOAD_MODES.has(logging.mode)) {
      const destination = logging.url ?? sinks?.sink;
      if (!sinks || destination !== sinks.scrubbingSink)
        found.add(
          'MP7001',
          file,
          logging.url !== undefined ? at('url') : at('mode'),
          sinks ? { env, mode: logging.mode, model: model.id, destination, scrubbingSink: sinks.scrubbingSink } : { messageId: 'noSink', env, mode: logging.mode, model: model.id },
        );
    }
  }

  checkQuality(model.quality ?? [], ['quality'], file, found);

  const team = platform.teams[model.owner];
  const live = placements(context, loaded);
  for (const p of live) {
    const v = model.versions[p.index];
    const prefixes = team?.artifactPrefixes[p.env] ?? [];
    if (!prefixes.some((prefix) => isUnder(v.artifact.uri, prefix)))
      found.add('MP7004', file, ['versions', p.index, 'artifact', 'uri'], { index: p.index, uri: v.artifact.uri, team: model.owner, version: v.version, place: placeOf(p), prefixes });
  }

  model.versions.forEach((v, i) => {
    if (!ARTIFACT_SCHEMES.some((scheme) => v.artifact.uri.toLowerCase().startsWith(scheme)))
      found.add('MP7005', file, ['versions', i, 'artifact', 'uri'], { index: i, uri: v.artifact.uri, schemes: ARTIFACT_SCHEMES });
    if (!PINNED_IMAGE.test(v.lineage.image))
      found.add('MP7006', file, ['versions', i, 'lineage', 'image'], { index: i, image: v.lineage.image });
  });

  const warned = new Set<number>();
  for (const p of live) {
    if (warned.has(p.index)) continue;
    const v = model.versions[p.index];
    const runtime = p.server.runtime.name;
    const image = p.server.runtime.image;
    if (image === v.lineage.image) continue;
    warned.add(p.index);
    found.add('MP7007', file, ['versions', p.index, 'lineage', 'image'], { index: p.index, version: v.version, image: v.lineage.image, runtime, runtimeImage: image });
  }
}

/** Quality queries of a rollout policy (MP7003). */
export function checkPolicySecurity(loaded: Loaded<RolloutPolicyDefinition>, found: Findings): void {
  checkQuality(loaded.value.analysis.quality ?? [], ['analysis', 'quality'], loaded.file, found);
}

/** Runtime images (MP7006) and pool isolation (MP7009) of the platform. */
export function checkPlatformSecurity(context: GateContext, found: Findings): void {
  const { value: platform, file } = context.platform;
  for (const name of Object.keys(platform.runtimes)) {
    const image = platform.runtimes[name].image;
    if (!PINNED_IMAGE.test(image))
      found.add('MP7006', file, ['runtimes', name, 'image'], { messageId: 'runtime', runtime: name, image });
  }
  const gpuKeys = new Set([DEFAULT_GPU_RESOURCE, ...context.resolved.environments.flatMap((e) => e.pools.map((p) => p.gpuResourceName))]);
  for (const name of Object.keys(platform.nodePools)) {
    const pool = platform.nodePools[name];
    const taints = pool.taints ?? [];
    if (pool.kind === 'gpu' && taints.length === 0)
      found.add('MP7009', file, ['nodePools', name, 'taints'], { pool: name });
    if (pool.kind === 'cpu')
      taints.forEach((t, i) => {
        if (gpuKeys.has(t.key))
          found.add('MP7009', file, ['nodePools', name, 'taints', i, 'key'], { messageId: 'gpuKey', pool: name, index: i, key: t.key });
      });
  }
}

/** Label names that identify a person; metrics labelled with them leak identities and explode cardinality. */
const USER_LABEL =
  /^(?:uid|uuid|(?:user|customer|account|session|member|client|request|device|visitor|subscriber|person|patient|player|tenant_user)_?(?:id|uuid|key)|user_?name|login|phone(?:_?number)?|(?:client_?|remote_?|source_?)?ip(?:_?addr(?:ess)?)?|e_?mail(?:_?address)?|user_?email)$/i;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;

function checkQuality(quality: readonly QualityCheckDefinition[], base: FieldPath, file: string, found: Findings): void {
  quality.forEach((q, i) => {
    const label = userLabelIn(q.query);
    if (label)
      found.add('MP7003', file, [...base, i, 'query'], { path: [...base, i, 'query'], check: q.name, label });
  });
}

/** The first per-user label name in a PromQL query: an identifier outside strings, or a string that is exactly one (label_replace). */
export function userLabelIn(query: string): string | undefined {
  for (const literal of query.match(STRING_LITERAL) ?? []) {
    const inner = literal.slice(1, -1);
    if (USER_LABEL.test(inner) && !/^e_?mail$/i.test(inner)) return inner;
  }
  const code = query.replace(STRING_LITERAL, '""');
  return (code.match(IDENTIFIER) ?? []).find((word) => USER_LABEL.test(word));
}

/** Whether a URI is under a storage prefix, without `..` segments escaping it. */
function isUnder(uri: string, prefix: string): boolean {
  if (!uri.startsWith(prefix)) return false;
  return !uri.slice(prefix.length).split('/').some((segment) => segment === '..' || segment === '.');
}

interface SecretPattern {
  readonly what: string;
  readonly pattern: RegExp;
}

const SECRETS: readonly SecretPattern[] = [
  { what: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a private key', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/ },
  { what: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/ },
  { what: 'a URI with a user name and password', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]+:[^\s/@]+@/i },
  { what: 'a password, secret or token value', pattern: /(?<![A-Za-z0-9])(?:password|passwd|secret|token|api_?key|access_?key)\s*=\s*["']?(?![{$<~])[^\s&;,'"]{3,}/i },
];

/** The kind of credential a string looks like, if any. */
export function credentialIn(text: string): string | undefined {
  return SECRETS.find((s) => s.pattern.test(text))?.what;
}

/** Every string (values and keys) of a definition, checked for credentials (MP7008). */
export function checkCredentials(loaded: Loaded<unknown>, found: Findings): void {
  const ancestors = new Set<object>();
  // The message names where, never what: the path of a key is shown without the key itself.
  const report = (path: FieldPath, what: string, isKey: boolean) => found.add('MP7008', loaded.file, path, { path, what, isKey });
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === 'string') {
      const what = credentialIn(value);
      if (what) report(path, what, false);
      return;
    }
    if (value === null || typeof value !== 'object' || ancestors.has(value)) return;
    ancestors.add(value);
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else
      for (const key of Object.keys(value)) {
        const what = credentialIn(key);
        if (what) report([...path, key], what, true);
        visit((value as Record<string, unknown>)[key], [...path, key]);
      }
    ancestors.delete(value);
  };
  visit(loaded.value, []);
}
