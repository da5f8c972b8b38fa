/**
 * validateDefinitions on in-memory definitions: the reference platform,
 * imported directly, deep-cloned and broken in one place per case. Each case
 * asserts the diagnostics' codes, files and field paths, not their sentences.
 */
import { describe, expect, it } from 'vitest';
import { checkSchema, validateDefinitions } from '../../src/validate/index.js';
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
