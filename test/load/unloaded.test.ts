/**
 * Files under models/ and policies/ that are not loaded are an error naming
 * them (MP1010): a model file moved into a subfolder, given another extension
 * or misnamed would otherwise be left out without a word, and the next synth
 * would delete its objects. Helpers (`_`), tests, declarations, dotfiles and
 * Markdown notes are not definitions and pass.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../src/load/index.js';
import { makeRepo, type Repo } from '../support/repo.js';

const repos: Repo[] = [];
afterAll(async () => {
  for (const r of repos) await r.cleanup();
});

async function fixture(): Promise<Repo> {
  const repo = await makeRepo({ platform: 'fixture' });
  repos.push(repo);
  return repo;
}

const unloaded = async (repo: Repo) =>
  (await loadDefinitions(repo.root)).diagnostics.filter((d) => d.code === 'MP1010').map((d) => ({ file: d.file, message: d.message }));

describe('files that are not loaded', () => {
  it.each([
    ['models/search/card-fraud.ts', 'not from subfolders: move it to models/card-fraud.ts'],
    ['models/card-fraud.js', 'rename it to models/card-fraud.ts'],
    ['models/card-fraud.ts.bak', 'rename it to models/card-fraud.ts'],
    ['models/card-fraud.TS', 'rename it to models/card-fraud.ts'],
    ['policies/old/canary.ts', 'move it to policies/canary.ts'],
  ])('reports %s, naming it and the fix', async (file, fix) => {
    const repo = await fixture();
    await repo.write(file, await repo.read('models/card-fraud.ts'));
    const found = await unloaded(repo);
    expect(found.map((d) => d.file)).toEqual([file]);
    expect(found[0].message).toContain(`${file} is under`);
    expect(found[0].message).toContain(fix);
  });

  it('passes helpers, tests, declarations, dotfiles and notes', async () => {
    const repo = await fixture();
    for (const file of ['models/_shared.ts', 'models/_lib/regions.ts', 'models/card-fraud.test.ts', 'models/types.d.ts', 'models/.gitkeep', 'models/README.md', 'policies/_common.ts'])
      await repo.write(file, 'export const x = 1;\n');
    expect(await unloaded(repo)).toEqual([]);
  });

  it('fails validate for a model moved into a subfolder, at the moved file', async () => {
    const repo = await fixture();
    await repo.write('models/vision/photo-moderation.ts', (await repo.read('models/photo-moderation.ts')).replaceAll("'../src/", "'../../src/"));
    await repo.remove('models/photo-moderation.ts');
    const result = await repo.run(['validate']);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/^models\/vision\/photo-moderation\.ts:\d+:\d+ - error MP1010: /m);
  });
});
