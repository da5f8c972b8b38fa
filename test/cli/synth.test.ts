/**
 * `modelplane synth` and `synth --check`, run as the user runs them: a
 * subprocess of bin/modelplane.js against temporary copies of the reference
 * platform. Each run costs about a second of CPU; this file runs 7, two and
 * then five at a time (errors are in diagnostics.test.ts, usage and validate
 * in main.test.ts).
 */
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cloneReference, modelOf, modelSource, referenceDefinitions } from '../support/definitions.js';
import { differences, lines, makeRepo, STACK_FRAME, type Repo, type RunResult } from '../support/repo.js';

const slug = (version: string) => `v${version.replace(/\./g, '-')}`;

describe('modelplane synth on the reference platform', () => {
  /** Synthesized with TZ=UTC and the C locale. */
  let repo: Repo;
  let synth: RunResult;
  let tree: Map<string, Buffer>;
  /** Synthesized in another directory with TZ=Asia/Kolkata and a German locale. */
  let other: Repo;
  let otherSynth: RunResult;
  let otherTree: Map<string, Buffer>;
  const copies: Repo[] = [];

  /** A new repository holding what `repo` synthesized, to break without disturbing the others. */
  async function copyOfSynthesized(): Promise<Repo> {
    const copy = await makeRepo({ generatedFrom: repo });
    copies.push(copy);
    return copy;
  }

  beforeAll(async () => {
    [repo, other] = await Promise.all([makeRepo(), makeRepo()]);
    [synth, otherSynth] = await Promise.all([
      repo.run(['synth'], { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' }),
      other.run(['synth'], { TZ: 'Asia/Kolkata', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' }),
    ]);
    [tree, otherTree] = await Promise.all([repo.tree(), other.tree()]);
  });
  afterAll(async () => {
    await Promise.all([repo, other, ...copies].filter(Boolean).map((r) => r.cleanup()));
  });

  it('exits 0 and writes an InferenceService file for the stable version of every deployed model', async () => {
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
    expect(synth.stdout).toMatch(/^synth: wrote \d+ files/);
    const { models } = await referenceDefinitions();
    let expected = 0;
    for (const { value: model } of models) {
      for (const env of ['prod', 'staging']) {
        const deployment = model.deploy[env];
        const folder = `generated/${env}/${model.id}/`;
        if (!deployment) {
          expect([...tree.keys()].filter((p) => p.startsWith(folder)), `${model.id} is not deployed in ${env}`).toEqual([]);
          continue;
        }
        const file = `${folder}inferenceservice-${model.id}-${slug(deployment.version)}.yaml`;
        expect(tree.has(file), file).toBe(true);
        expect(parse(tree.get(file)!.toString('utf8'))).toMatchObject({
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          metadata: { name: `${model.id}-${slug(deployment.version)}`, namespace: `${model.owner}-${env}` },
        });
        expected++;
      }
    }
    expect(expected).toBeGreaterThan(20);
  });

  it('writes CODEOWNERS with one line per model file', async () => {
    const { models } = await referenceDefinitions();
    const codeowners = lines(tree.get('.github/CODEOWNERS')?.toString('utf8') ?? '');
    for (const { file } of models) expect(codeowners.filter((l) => l.startsWith(`/${file} @`)), file).toHaveLength(1);
  });

  it('writes a byte-identical tree in another directory, time zone and locale', () => {
    expect(otherSynth.code).toBe(0);
    expect([...otherTree.keys()]).toEqual([...tree.keys()]);
    expect(differences(tree, otherTree)).toEqual([]);
    for (const [p, bytes] of otherTree) {
      expect(bytes.includes(other.root), `${p} contains the repository's path`).toBe(false);
      expect(bytes.includes(repo.root), `${p} contains the other repository's path`).toBe(false);
    }
  });

  describe.concurrent('then', () => {
    it('passes its own --check', async ({ expect }) => {
      const check = await repo.run(['synth', '--check']);
      expect(check.stderr).toBe('');
      expect(check.code).toBe(0);
      expect(check.stdout).toContain('up to date');
    });

    it('fails --check with exit 1 naming a generated file edited by hand', async ({ expect }) => {
      const copy = await copyOfSynthesized();
      const file = [...tree.keys()].find((p) => p.startsWith('generated/prod/fraud-detector/inferenceservice-'))!;
      const original = tree.get(file)!.toString('utf8');
      const edited = original.replace(/minReplicas: \d+/, 'minReplicas: 99');
      expect(edited).not.toBe(original);
      await copy.write(file, edited);
      const check = await copy.run(['synth', '--check']);
      expect(check.code).toBe(1);
      expect(lines(check.stderr)).toContain(`changed: ${file}`);
      expect(check.stderr).not.toMatch(STACK_FRAME);
      expect(await copy.read(file)).toBe(edited);
    });

    it('fails --check with exit 1 naming a file added under generated/', async ({ expect }) => {
      const copy = await copyOfSynthesized();
      const stray = 'generated/prod/fraud-detector/notes.yaml';
      await copy.write(stray, 'kind: Note\n');
      const check = await copy.run(['synth', '--check']);
      expect(check.code).toBe(1);
      expect(lines(check.stderr)).toContain(`not produced by the definitions: ${stray}`);
    });

    it("fails --check with exit 1 when a model's stable version changes to another declared version", async ({ expect }) => {
      const copy = await copyOfSynthesized();
      const d = await cloneReference();
      const model = modelOf(d, 'fraud-detector');
      const from = model.deploy.staging.version;
      const to = model.versions.map((v) => v.version).find((v) => v !== from)!;
      model.deploy.staging = { ...model.deploy.staging, version: to };
      await copy.write('models/fraud-detector.ts', modelSource(model));
      const check = await copy.run(['synth', '--check']);
      expect(check.code).toBe(1);
      const err = lines(check.stderr);
      expect(err).toContain(`missing: generated/staging/fraud-detector/inferenceservice-fraud-detector-${slug(to)}.yaml`);
      expect(err).toContain(`not produced by the definitions: generated/staging/fraud-detector/inferenceservice-fraud-detector-${slug(from)}.yaml`);
    });

    it("removes exactly a deleted model's folders, Applications and CODEOWNERS line", async ({ expect }) => {
      const { value: model, file } = (await referenceDefinitions()).models.find((m) => m.value.id === 'fraud-detector')!;
      const envs = Object.keys(model.deploy);
      const before = otherTree;
      const isApplicationOf = (p: string) => {
        if (!/^generated\/[^/]+\/_argocd\//.test(p)) return false;
        const object = parse(before.get(p)!.toString('utf8')) as { kind: string; metadata: { labels?: Record<string, string> } };
        return object.kind === 'Application' && object.metadata.labels?.['modelplane.io/model'] === model.id;
      };
      const isQuotaOfOwner = (p: string) => envs.some((env) => p.startsWith(`generated/${env}/_platform/resourcequota-${model.owner}-${env}-`));

      // A model serving prod traffic cannot just be deleted (MP9001): nothing is written.
      const source = await other.read(file);
      await other.remove(file);
      const refused = await other.run(['synth']);
      expect(refused.code).toBe(1);
      expect(refused.stdout + refused.stderr).toContain('error MP9001');
      expect(differences(before, await other.tree())).toEqual([]);
      // Retired first (its route goes, the canary ends), synthesized, then deleted.
      await other.write(file, source.replace("      canary: { version: '4.2.0', policy: 'progressive', step: 1 },\n", '      retired: true,\n'));
      expect((await other.run(['synth'])).code).toBe(0);
      await other.remove(file);
      const run = await other.run(['synth']);
      expect(run.code).toBe(0);
      const after = await other.tree();

      const removed = [...before.keys()].filter((p) => !after.has(p));
      const expectedRemoved = [...before.keys()].filter((p) => envs.some((env) => p.startsWith(`generated/${env}/${model.id}/`)) || isApplicationOf(p));
      expect(expectedRemoved.filter((p) => p.includes('/_argocd/'))).toHaveLength(envs.length);
      expect(removed).toEqual(expectedRemoved);
      expect([...after.keys()].filter((p) => !before.has(p))).toEqual([]);

      const codeownersBefore = lines(before.get('.github/CODEOWNERS')!.toString('utf8'));
      const codeownersAfter = lines(after.get('.github/CODEOWNERS')!.toString('utf8'));
      expect(codeownersAfter).toEqual(codeownersBefore.filter((l) => !l.startsWith(`/${file} `)));
      expect(codeownersAfter).toHaveLength(codeownersBefore.length - 1);

      // The owner's default quota is the sum of its live versions, so it shrinks; nothing else changes.
      const changed = [...after.keys()].filter((p) => before.has(p) && !before.get(p)!.equals(after.get(p)!));
      expect(changed.filter((p) => p !== '.github/CODEOWNERS' && !isQuotaOfOwner(p))).toEqual([]);
      for (const env of envs) expect(await readdir(`${other.root}/generated/${env}`)).not.toContain(model.id);
    });
  });
});
