/**
 * Every code of the catalogue is emitted by some fixture: the gate and
 * structural-check fixtures (changes to the reference definitions), plus the
 * few problems only a definition file on disk can have (import failures, a
 * missing platform). A code no fixture emits is either dead or untested.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_CODES, type Code } from '../../src/diagnostics/index.js';
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

async function loadedCodes(setup: (repo: Repo) => Promise<void>, options: { policies?: boolean } = {}): Promise<Code[]> {
  const repo = await makeRepo({ models: [], policies: options.policies ?? true });
  repos.push(repo);
  await setup(repo);
  return (await loadDefinitions(repo.root)).diagnostics.map((d) => d.code);
}

describe('the catalogue', () => {
  it('has every code emitted by some fixture', async () => {
    const emitted = new Set<Code>();
    for (const c of [...GATE_CASES, ...DEFINITION_CASES]) {
      const d = await cloneReference();
      c.change(d);
      for (const x of validateDefinitions(asDefinitions(d), NOW)) emitted.add(x.code);
    }
    for (const c of MORE) {
      const d = await cloneReference();
      c.change(d);
      const codes = validateDefinitions(asDefinitions(d), NOW).map((x) => x.code);
      expect(codes, c.code).toContain(c.code);
      for (const code of codes) emitted.add(code);
    }
    const onDisk = [
      ...(await loadedCodes((r) => r.write('models/broken.ts', 'export default (;\n'))),
      ...(await loadedCodes((r) => r.write('models/empty.ts', 'export const x = 1;\n'))),
      ...(await loadedCodes(async () => undefined, { policies: false })),
      ...(await loadedCodes((r) => r.write('models/search/doc-embedder.ts', 'export default {};\n'))),
      ...(await loadedCodes((r) => r.write('models/getter.ts', "export default { get id(): string { throw new Error('no'); } };\n"))),
      ...(await loadedCodes((r) => r.write('models/exits.ts', 'process.exit(0);\n'))),
    ];
    expect(onDisk).toEqual(expect.arrayContaining(['MP1001', 'MP1002', 'MP1003', 'MP1008', 'MP1009']));
    for (const code of onDisk) emitted.add(code);

    // The reference platform's generated/ has fraud-detector's route in prod: removing the model is refused.
    const removed = await cloneReference();
    removed.models = removed.models.filter((m) => m.value.id !== 'fraud-detector');
    const retire = checkRetirements(asDefinitions(removed), await readLiveRoutes(REPO_ROOT), []).map((x) => x.code);
    expect(retire).toContain('MP9001');
    for (const code of retire) emitted.add(code);

    expect(ALL_CODES.filter((code) => !emitted.has(code))).toEqual([]);
  }, 120_000);
});
