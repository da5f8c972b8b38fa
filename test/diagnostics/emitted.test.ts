/**
 * Every code of the catalogue is emitted by some fixture: the gate and
 * structural-check fixtures (changes to the reference definitions), plus the
 * few problems only a definition file on disk can have (import failures, a
 * missing platform). A code no fixture emits is either dead or untested.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_CODES, type Code, type Diagnostic } from '../../src/diagnostics/index.js';
import { loadDefinitions, readLiveRoutes } from '../../src/load/index.js';
import { checkRetirements, validateDefinitions } from '../../src/validate/index.js';
import { DEFINITION_CASES } from '../support/definition-cases.js';
import { asDefinitions, cloneReference, modelOf, policyOf, type MutableDefinitions } from '../support/definitions.js';
import { GATE_CASES } from '../support/gate-cases.js';
import { makeRepo, REPO_ROOT, type Repo } from '../support/repo.js';

const NOW = new Date('2026-11-01T00:00:00Z');

/** Problems of the definitions that the two fixture tables do not cover. */
const MORE: readonly { readonly code: Code; readonly change: (d: MutableDefinitions) => void }[] = [
  { code: 'MP1005', change: (d) => void d.policies.push({ ...d.policies[0], file: 'policies/copy.ts' }) },
  {
    code: 'MP3012',
    change: (d) => {
      const steps = policyOf(d, 'progressive').steps;
      steps[1] = { ...steps[1], weight: steps[0].weight };
    },
  },
  {
    code: 'MP3013',
    change: (d) => {
      modelOf(d, 'fraud-detector').quality = [{ name: 'error-rate', query: 'vector(1)', condition: '< 1' }];
    },
  },
  {
    code: 'MP4003',
    change: (d) => {
      const m = modelOf(d, 'fraud-detector');
      m.versions.push({ ...structuredClone(m.versions[0]), version: '4.3.0-rc.1' }, { ...structuredClone(m.versions[0]), version: '4.3.0-rc-1' });
    },
  },
  {
    code: 'MP2005',
    change: (d) => {
      modelOf(d, 'fraud-detector').quality![0].query = 'sum(rate(x[5m])';
    },
  },
  {
    code: 'MP3014',
    change: (d) => {
      const m = modelOf(d, 'search-ranker');
      m.deploy.prod.tenants = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`tenant-${i}`, m.deploy.prod.version]));
    },
  },
  { code: 'MP9002', change: (d) => void (modelOf(d, 'fraud-detector').deploy.prod.retired = true) },
];

const repos: Repo[] = [];
afterAll(async () => {
  for (const r of repos) await r.cleanup();
});

async function loaded(setup: (repo: Repo) => Promise<void>, options: { policies?: boolean } = {}): Promise<readonly Diagnostic[]> {
  const repo = await makeRepo({ models: [], policies: options.policies ?? true });
  repos.push(repo);
  await setup(repo);
  return (await loadDefinitions(repo.root)).diagnostics;
}

describe('the catalogue', () => {
  it('has every code emitted by some fixture', async () => {
    const emitted = new Set<Code>();
    // A template given an argument it does not have, or an object where it expects a name, shows it in the text.
    const garbled: string[] = [];
    const seen = (x: Diagnostic) => {
      emitted.add(x.code);
      if (/\bundefined\b|\[object Object\]/.test(x.message)) garbled.push(`${x.code}: ${x.message}`);
    };
    for (const c of [...GATE_CASES, ...DEFINITION_CASES]) {
      const d = await cloneReference();
      c.change(d);
      for (const x of validateDefinitions(asDefinitions(d), NOW)) seen(x);
    }
    for (const c of MORE) {
      const d = await cloneReference();
      c.change(d);
      const found = validateDefinitions(asDefinitions(d), NOW);
      expect(found.map((x) => x.code), c.code).toContain(c.code);
      for (const x of found) seen(x);
    }
    const onDisk = [
      ...(await loaded((r) => r.write('models/broken.ts', 'export default (;\n'))),
      ...(await loaded((r) => r.write('models/empty.ts', 'export const x = 1;\n'))),
      ...(await loaded(async () => undefined, { policies: false })),
      ...(await loaded((r) => r.write('models/search/doc-embedder.ts', 'export default {};\n'))),
      ...(await loaded((r) => r.write('models/getter.ts', "export default { get id(): string { throw new Error('no'); } };\n"))),
      ...(await loaded((r) => r.write('models/exits.ts', 'process.exit(0);\n'))),
    ];
    expect(onDisk.map((x) => x.code)).toEqual(expect.arrayContaining(['MP1001', 'MP1002', 'MP1003', 'MP1008', 'MP1009']));
    for (const x of onDisk) seen(x);

    // The reference platform's generated/ has fraud-detector's route in prod: removing the model is refused.
    const removed = await cloneReference();
    removed.models = removed.models.filter((m) => m.value.id !== 'fraud-detector');
    const retire = checkRetirements(asDefinitions(removed), await readLiveRoutes(REPO_ROOT), []);
    expect(retire.map((x) => x.code)).toContain('MP9001');
    for (const x of retire) seen(x);

    expect(ALL_CODES.filter((code) => !emitted.has(code))).toEqual([]);
    expect(garbled).toEqual([]);
  }, 120_000);
});
