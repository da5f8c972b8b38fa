/**
 * A live model never disappears by accident: a model, or an environment of a
 * model, whose route in generated/ sends production traffic is refused when
 * removed (MP9001) unless its deployment is retired first; the retirement
 * drops the route and keeps the InferenceServices, after which the removal
 * passes. Runs the CLI in synthesized copies of the fixture platform.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneRepo, makeReleasableRepo, type Clone } from '../support/git-repo.js';
import { differences, listFiles, type Repo } from '../support/repo.js';

const PHOTO = 'models/photo-moderation.ts';
const PROD = "prod: {\n      version: '3.2.0',";
const RETIRED_PROD = "prod: {\n      retired: { since: '2026-12-01' },\n      version: '3.2.0',";
const PROD_BLOCK = "    prod: {\n      version: '3.2.0',\n      pool: 'gpu-l4',\n      traffic: { peakRps: 900 },\n    },\n";
const STAGING_BLOCK = "    staging: { version: '3.3.0', pool: 'gpu-l4' },\n";
const ROUTE = 'generated/prod/photo-moderation/httproute-photo-moderation.yaml';

let source: Repo;
const clones: Clone[] = [];
beforeAll(async () => {
  source = (await makeReleasableRepo()).repo;
});
afterAll(async () => {
  await Promise.all([source.cleanup(), ...clones.map((c) => c.cleanup())]);
});

/** A clone of the synthesized source repository, with file helpers. */
async function fresh() {
  const clone = await cloneRepo(source.root);
  clones.push(clone);
  const abs = (rel: string) => path.join(clone.root, rel);
  return {
    run: clone.run,
    read: (rel: string) => readFile(abs(rel), 'utf8'),
    remove: (rel: string) => rm(abs(rel), { force: true }),
    async write(rel: string, text: string) {
      await mkdir(path.dirname(abs(rel)), { recursive: true });
      await writeFile(abs(rel), text);
    },
    async edit(rel: string, from: string, to: string) {
      const text = await readFile(abs(rel), 'utf8');
      expect(text.split(from).length, `${JSON.stringify(from)} once in ${rel}`).toBe(2);
      await writeFile(abs(rel), text.replace(from, to));
    },
    async tree() {
      const out = new Map<string, Buffer>();
      for (const f of await listFiles(clone.root, 'generated')) out.set(f, await readFile(abs(f)));
      return out;
    },
  };
}
const codes = (text: string) => [...text.matchAll(/ - error (MP\d{4}):/g)].map((m) => m[1]);

describe('removing a model that serves production traffic', () => {
  it('is refused by validate and synth, naming the model, the environment and the fix, and writes nothing', async () => {
    const repo = await fresh();
    await repo.remove(PHOTO);
    const before = await repo.tree();
    const validate = await repo.run(['validate']);
    expect(validate.code).toBe(1);
    expect(codes(validate.stdout + validate.stderr)).toEqual(['MP9001']);
    const line = (validate.stdout + validate.stderr).split('\n').find((l) => l.includes('MP9001'))!;
    expect(line).toContain(`${ROUTE}:1:1 - error MP9001`);
    expect(line).toContain("model 'photo-moderation'");
    expect(line).toContain('production environment prod');
    expect(line).toContain('deploy.prod.retired');
    const synth = await repo.run(['synth']);
    expect(synth.code).toBe(1);
    expect(differences(before, await repo.tree())).toEqual([]);
  });

  it('is refused when the file is moved into a subfolder', async () => {
    const repo = await fresh();
    await repo.write('models/vision/photo-moderation.ts', (await repo.read(PHOTO)).replaceAll("'../src/", "'../../src/"));
    await repo.remove(PHOTO);
    const validate = await repo.run(['validate']);
    expect(validate.code).toBe(1);
    expect(codes(validate.stdout + validate.stderr)).toContain('MP9001');
    expect(validate.stdout + validate.stderr).toContain('put it back at models/photo-moderation.ts');
  });

  it('is refused for a removed production environment, at the deploy field of the model', async () => {
    const repo = await fresh();
    await repo.edit(PHOTO, PROD_BLOCK, '');
    const validate = await repo.run(['validate']);
    expect(validate.code).toBe(1);
    const out = validate.stdout + validate.stderr;
    expect(codes(out)).toEqual(['MP9001']);
    expect(out).toMatch(/models\/photo-moderation\.ts:\d+:\d+ - error MP9001: deploy\.prod of 'photo-moderation' was removed/);
  });

  it('is allowed for a removed staging environment', async () => {
    const repo = await fresh();
    await repo.edit(PHOTO, STAGING_BLOCK, '');
    const synth = await repo.run(['synth']);
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
  });

  it('is allowed once the retired deployment is synthesized: the route goes first, the InferenceServices stay one release', async () => {
    const repo = await fresh();
    const isvc = 'generated/prod/photo-moderation/inferenceservice-photo-moderation-v3-2-0.yaml';
    await repo.edit(PHOTO, PROD, RETIRED_PROD);
    const retire = await repo.run(['synth']);
    expect(retire.stderr).toBe('');
    expect(retire.code).toBe(0);
    const tree = await repo.tree();
    expect(tree.has(ROUTE)).toBe(false);
    expect(tree.has(isvc)).toBe(true);

    await repo.edit(PHOTO, PROD_BLOCK.replace(PROD, RETIRED_PROD), '');
    const remove = await repo.run(['synth']);
    expect(remove.stderr).toBe('');
    expect(remove.code).toBe(0);
    expect((await repo.tree()).has(isvc)).toBe(false);
  });

  it('refuses a retired deployment that still runs a canary (MP9002)', async () => {
    const repo = await fresh();
    await repo.edit('models/card-fraud.ts', "prod: {\n      version: '4.1.0',", "prod: {\n      retired: true,\n      version: '4.1.0',");
    const validate = await repo.run(['validate']);
    expect(validate.code).toBe(1);
    expect(codes(validate.stdout + validate.stderr)).toEqual(['MP9002']);
  });
});

describe('plan', () => {
  it('shows the retirement: no traffic, InferenceServices kept', async () => {
    const repo = await fresh();
    await repo.edit(PHOTO, PROD, RETIRED_PROD);
    const plan = await repo.run(['plan', '--base', 'main']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const row = plan.stdout.split('\n').find((l) => l.startsWith('| `photo-moderation`'));
    expect(row).toContain('| retired |');
    expect(row).toContain('retired since 2026-12-01: no route, InferenceServices kept');
    expect(row).toContain('3.2.0 100% → no traffic');
  });
});
