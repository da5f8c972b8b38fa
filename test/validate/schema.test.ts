/**
 * validateDefinitions on in-memory definitions: the reference platform,
 * imported directly, deep-cloned and broken in one place per case. Each case
 * asserts the diagnostics' codes, files and field paths, not their sentences.
 */
import { describe, expect, it } from 'vitest';
import { checkSchema, validateDefinitions } from '../../src/validate/index.js';
import { formatPath } from '../../src/diagnostics/index.js';
import type { SchemaKind } from '../../src/validate/schema-check.js';
import { allSchemas, closedObjects, SCHEMAS, type Path } from '../definitions/schema-walk.js';
import type { MutableDefinitions } from '../support/definitions.js';
import { asDefinitions, cloneReference, modelOf, policyOf, referenceDefinitions } from '../support/definitions.js';
import { DEFINITION_CASES, FRAUD, NOW, PLATFORM, fraud, loose, summary } from '../support/definition-cases.js';
const CASES = DEFINITION_CASES;

describe('validateDefinitions', () => {
  it('finds nothing wrong with the reference platform', async () => {
    expect(validateDefinitions(await referenceDefinitions(), NOW)).toEqual([]);
  });

  for (const { title, change, expected } of CASES) {
    it(title, async () => {
      const d = await cloneReference();
      change(d);
      const diagnostics = validateDefinitions(asDefinitions(d), NOW);
      expect(summary(diagnostics)).toEqual([...expected].sort());
      for (const diagnostic of diagnostics) {
        expect(diagnostic.severity).toBe('error');
        expect(diagnostic.message).not.toBe('');
      }
    });
  }

  it('reports every schema problem of one model together', async () => {
    const d = await cloneReference();
    fraud(d).dataClass = 'secret' as never;
    fraud(d).deploy.prod.replicas = { min: -1, max: 3 };
    loose(fraud(d).versions[1].profile).gpuCount = 1;
    expect(summary(validateDefinitions(asDefinitions(d), NOW))).toEqual(
      [`${FRAUD} MP2004 dataClass`, `${FRAUD} MP2004 deploy.prod.replicas.min`, `${FRAUD} MP2001 versions[1].profile.gpuCount`].sort(),
    );
  });

  it('reports problems of several files together', async () => {
    const d = await cloneReference();
    fraud(d).tier = 'gold';
    modelOf(d, 'credit-limit').owner = 'payments';
    policyOf(d, 'direct').analysis.count = -1;
    expect(summary(validateDefinitions(asDefinitions(d), NOW))).toEqual(
      [`${FRAUD} MP3002 tier`, 'models/credit-limit.ts MP3001 owner', 'policies/direct.ts MP2004 analysis.count'].sort(),
    );
  });

  it('checks references only against a platform that passed its schema, but still checks model schemas', async () => {
    const d = await cloneReference();
    loose(d.platform.value.environments.prod).production = 'yes';
    fraud(d).tier = 'gold';
    fraud(d).deploy.prod.replicas = { min: -1, max: 3 };
    expect(summary(validateDefinitions(asDefinitions(d), NOW))).toEqual(
      [`${PLATFORM} MP2002 environments.prod.production`, `${FRAUD} MP2004 deploy.prod.replicas.min`].sort(),
    );
  });

  it('never throws on a value of the wrong shape', async () => {
    const d = await cloneReference();
    loose(fraud(d)).deploy = 'everywhere';
    loose(modelOf(d, 'credit-limit')).versions = null;
    loose(policyOf(d, 'direct')).steps = { weight: 5 };
    expect(() => validateDefinitions(asDefinitions(d), NOW)).not.toThrow();
  });

  // A policy that fails only its schema still exists by name: no MP3005 at
  // environments.prod.defaultPolicy (platform) or at a canary naming it.
  it('does not call a policy unknown where it is named when the policy only fails its schema', async () => {
    const d = await cloneReference();
    policyOf(d, 'progressive').analysis.count = -1;
    fraud(d).deploy.prod.canary = { version: fraud(d).versions[1].version, policy: 'progressive', step: 0 };
    expect(summary(validateDefinitions(asDefinitions(d), NOW))).toEqual(['policies/progressive.ts MP2004 analysis.count']);
  });

  it('still calls a policy unknown where it is named when no file declares it', async () => {
    const d = await cloneReference();
    policyOf(d, 'progressive').analysis.count = -1;
    fraud(d).deploy.prod.canary = { version: fraud(d).versions[1].version, policy: 'progressiv', step: 0 };
    expect(summary(validateDefinitions(asDefinitions(d), NOW))).toEqual(['policies/progressive.ts MP2004 analysis.count', `${FRAUD} MP3005 deploy.prod.canary.policy`].sort());
  });

  // versionSlug ('src/resolve/names.ts') maps '4.3.0-rc.1' and '4.3.0-rc-1'
  // (two distinct semantic versions) to the same name suffix 'v4-3-0-rc-1':
  // MP4003 at the second of them, whether or not both are live.
  it('rejects two versions whose InferenceService names collide', async () => {
    const d = await cloneReference();
    const model = fraud(d);
    model.versions.push({ ...structuredClone(model.versions[0]), version: '4.3.0-rc.1' }, { ...structuredClone(model.versions[0]), version: '4.3.0-rc-1' });
    const declared = validateDefinitions(asDefinitions(d), NOW);
    expect(summary(declared)).toEqual([`${FRAUD} MP4003 versions[3].version`]);
    expect(declared[0].severity).toBe('error');
    expect(declared[0].message).toContain("'4.3.0-rc.1'");
    expect(declared[0].message).toContain("'4.3.0-rc-1'");
    expect(declared[0].message).toContain('v4-3-0-rc-1');
    // Both live: still one diagnostic, never an exception from rendering.
    model.deploy.prod = { ...model.deploy.prod, version: '4.3.0-rc.1', tenants: { 'tenant-a': '4.3.0-rc-1' } };
    expect(summary(validateDefinitions(asDefinitions(d), NOW))).toEqual([`${FRAUD} MP4003 versions[3].version`]);
  });

  it('does not report versions whose name suffixes differ', async () => {
    const d = await cloneReference();
    const model = fraud(d);
    model.versions.push({ ...structuredClone(model.versions[0]), version: '4.3.0-rc.1' }, { ...structuredClone(model.versions[0]), version: '4.3.0-rc.2' });
    expect(validateDefinitions(asDefinitions(d), NOW)).toEqual([]);
  });
});

describe('checkSchema', () => {
  it('accepts every reference definition', async () => {
    const d = await referenceDefinitions();
    expect(checkSchema('platform', d.platform!.value, d.platform!.file)).toEqual([]);
    for (const p of d.policies) expect(checkSchema('rollout-policy', p.value, p.file)).toEqual([]);
    for (const m of d.models) expect(checkSchema('model', m.value, m.file)).toEqual([]);
  });

  it('names the allowed fields of an unknown one', async () => {
    const d = await cloneReference();
    loose(fraud(d)).tierName = 'critical';
    const [diagnostic, ...rest] = checkSchema('model', fraud(d), FRAUD);
    expect(rest).toEqual([]);
    expect(diagnostic).toMatchObject({ code: 'MP2001', path: ['tierName'] });
    expect(diagnostic.message).toContain('tier');
  });

  it('reports a value that is not plain data before any schema error', async () => {
    const d = await cloneReference();
    const model = fraud(d);
    model.dataClass = 'secret' as never;
    model.versions[0].profile.p99LatencyMs = Number.NEGATIVE_INFINITY;
    expect(summary(checkSchema('model', model, FRAUD))).toEqual([`${FRAUD} MP1007 versions[0].profile.p99LatencyMs`]);
  });
});

/** The object at `path` inside `root`, made (as `{}` or `[]`) where missing. */
function objectAt(root: Record<string | number, unknown>, path: Path): Record<string | number, unknown> {
  let current = root;
  path.forEach((key, i) => {
    if (current[key] === null || typeof current[key] !== 'object') current[key] = typeof path[i + 1] === 'number' ? [] : {};
    current = current[key] as Record<string | number, unknown>;
  });
  return current;
}

/** `field` with its first two letters swapped: `traffic` → `rtaffic`. */
const misspelt = (field: string): string => `${field[1]}${field[0]}${field.slice(2)}`;

describe('unknown fields', () => {
  const definitionOf = async (kind: SchemaKind) => {
    const d = await cloneReference();
    return kind === 'platform' ? d.platform : kind === 'model' ? d.models.find((m) => m.value.id === 'fraud-detector')! : d.policies.find((p) => p.value.name === 'progressive')!;
  };
  for (const kind of Object.keys(SCHEMAS) as SchemaKind[]) {
    const levels = closedObjects(SCHEMAS[kind]);
    for (const { path, schema } of levels) {
      const fields = Object.keys(schema.properties as object);
      // The longest field name, misspelt by swapping two letters: the typo most people make.
      const field = [...fields].sort((a, b) => b.length - a.length || a.localeCompare(b))[0];
      const typo = misspelt(field);
      it(`suggests '${field}' for '${typo}' in ${kind} ${formatPath(path)} and lists every allowed field`, async () => {
        const { value, file } = await definitionOf(kind);
        objectAt(value as unknown as Record<string, unknown>, path)[typo] = 1;
        const found = checkSchema(kind, value, file).filter((d) => d.code === 'MP2001');
        expect(found.map((d) => formatPath(d.path))).toEqual([formatPath([...path, typo])]);
        expect(found[0].message).toContain(`did you mean '${field}'?`);
        expect(found[0].message).toContain(`allowed fields are ${fields.join(', ')}`);
      });
    }
  }

  it('reaches every level named in the issue', () => {
    const paths = (kind: SchemaKind) => closedObjects(SCHEMAS[kind]).map((f) => formatPath(f.path));
    expect(paths('model')).toEqual(expect.arrayContaining(['(definition)', 'versions[0]', 'versions[0].profile', 'deploy.a', 'deploy.a.canary', 'deploy.a.traffic', 'quality[0]']));
    expect(paths('platform')).toEqual(expect.arrayContaining(['nodePools.a', 'nodePools.a.taints[0]', 'nodePools.a.gpu', 'tiers.a', 'environments.a.gateway', 'metricSources.prometheus']));
    expect(paths('rollout-policy')).toEqual(expect.arrayContaining(['steps[0]', 'analysis', 'analysis.quality[0]', 'gates']));
  });

  it('suggests nothing for a field unlike any allowed one', async () => {
    const d = await cloneReference();
    loose(fraud(d).deploy.prod).colour = 'blue';
    const [diagnostic] = checkSchema('model', fraud(d), FRAUD);
    expect(diagnostic).toMatchObject({ code: 'MP2001', path: ['deploy', 'prod', 'colour'] });
    expect(diagnostic.message).not.toContain('did you mean');
    expect(diagnostic.message).toContain('allowed fields are version, canary, previous, pool');
  });

  it('suggests the nearest allowed value of an enumeration', async () => {
    const d = await cloneReference();
    fraud(d).dataClass = 'pubic' as never;
    const [diagnostic] = checkSchema('model', fraud(d), FRAUD);
    expect(diagnostic).toMatchObject({ code: 'MP2004', path: ['dataClass'] });
    expect(diagnostic.message).toContain('did you mean "public"?');
  });
});

describe('pattern errors', () => {
  it('every pattern in the schemas has a written hint (x-expected)', () => {
    const missing = (Object.keys(SCHEMAS) as SchemaKind[]).flatMap((kind) =>
      allSchemas(SCHEMAS[kind])
        .filter(({ schema }) => typeof schema.pattern === 'string' && typeof schema['x-expected'] !== 'string')
        .map(({ path }) => `${kind} ${formatPath(path)}`),
    );
    expect(missing).toEqual([]);
  });

  const PATTERN_CASES: { title: string; kind: SchemaKind; change: (d: MutableDefinitions) => unknown; path: string; hint: string }[] = [
    { title: 'a pause', kind: 'rollout-policy', change: (d) => (policyOf(d, 'progressive').steps[0].pause = '10 minutes'), path: 'steps[0].pause', hint: 'a duration such as "30s"' },
    { title: 'a version', kind: 'model', change: (d) => (fraud(d).versions[0].version = 'v4'), path: 'versions[0].version', hint: 'a semantic version such as "4.2.0"' },
    { title: 'a sha256', kind: 'model', change: (d) => (fraud(d).versions[0].artifact.sha256 = 'XYZ'), path: 'versions[0].artifact.sha256', hint: '64 lower-case hex characters' },
    { title: 'a condition', kind: 'model', change: (d) => (fraud(d).quality![0].condition = 'at least 0.9'), path: 'quality[0].condition', hint: 'a comparison such as ">= 0.90"' },
    { title: 'a team key', kind: 'platform', change: (d) => (d.platform.value.teams.Risk = structuredClone(d.platform.value.teams.risk)), path: 'teams.Risk', hint: 'a lower-case DNS-1035 label' },
    { title: 'a minReplicas key', kind: 'platform', change: (d) => (d.platform.value.tiers.critical.minReplicas = { Prod: 2 }), path: 'tiers.critical.minReplicas.Prod', hint: 'an environment name (a lower-case DNS-1035 label) or "*"' },
  ];
  for (const { title, kind, change, path, hint } of PATTERN_CASES) {
    it(`shows the written hint, not the regular expression, for ${title}`, async () => {
      const d = await cloneReference();
      change(d);
      const { value, file } = kind === 'platform' ? d.platform : kind === 'model' ? d.models.find((m) => m.value.id === 'fraud-detector')! : d.policies.find((p) => p.value.name === 'progressive')!;
      const found = checkSchema(kind, value, file);
      expect(found.map((x) => `${x.code} ${formatPath(x.path)}`)).toEqual([`MP2004 ${path}`]);
      expect(found[0].message).toContain(hint);
      expect(found[0].message).not.toMatch(/\^|\$|\\d|\[a-z/);
    });
  }
});
