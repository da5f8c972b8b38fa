import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derivedModelNames, isDns1035Label, versionSlug } from '../../src/resolve/names.js';
import { checkSchema } from '../../src/validate/schema-check.js';
import { checkModelNames } from '../../src/validate/names.js';
import { referenceDefinitions } from '../support/definitions.js';

const reference = await referenceDefinitions();
const base = reference.models.find((m) => m.value.id === 'fraud-detector')!;

/** A model id or version that might be accepted: mostly plausible, sometimes hostile. */
const idArb = fc.oneof(
  fc.stringMatching(/^[a-z][-a-z0-9]{0,60}[a-z0-9]$/),
  fc.string({ maxLength: 80 }),
  fc.constantFrom('a', 'x-', '-x', 'A', 'a--b', 'a'.repeat(40), 'a'.repeat(41)),
);
const versionArb = fc.oneof(
  fc.tuple(fc.nat(99999), fc.nat(99999), fc.nat(99999)).map(([a, b, c]) => `${a}.${b}.${c}`),
  fc.tuple(fc.nat(9), fc.nat(9), fc.nat(9), fc.stringMatching(/^[0-9A-Za-z-]{1,20}(\.[0-9A-Za-z-]{1,10}){0,2}$/)).map(([a, b, c, p]) => `${a}.${b}.${c}-${p}`),
  fc.string({ maxLength: 50 }),
);

describe('derived names', () => {
  it('never accept an input that yields an invalid derived Kubernetes name', () => {
    fc.assert(
      fc.property(idArb, versionArb, fc.constantFrom('prod', 'staging'), (id, version, env) => {
        const value = structuredClone(base.value) as unknown as Record<string, unknown> & { versions: { version: string }[]; deploy: Record<string, unknown> };
        value.id = id;
        value.versions = [{ ...value.versions[0], version }];
        value.deploy = { [env]: { ...(value.deploy.prod as object), version, canary: undefined } };
        delete (value.deploy[env] as Record<string, unknown>).canary;
        const loaded = { value: value as never, file: `models/${id}.ts` };
        const accepted = checkSchema('model', value, loaded.file).length === 0 && checkModelNames(loaded).length === 0;
        if (!accepted) return true;
        for (const { name } of derivedModelNames(id, version, env)) {
          expect(isDns1035Label(name), name).toBe(true);
        }
        return true;
      }),
      { numRuns: 2000, seed: 20261128 },
    );
  });

  it.each([
    ['4.2.0', 'v4-2-0'],
    ['4.2.0-rc.1', 'v4-2-0-rc-1'],
    ['10.0.0-Beta', 'v10-0-0-beta'],
  ])('slugs version %s as %s', (version, slug) => {
    expect(versionSlug(version)).toBe(slug);
  });
});
