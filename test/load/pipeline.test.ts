/**
 * Bundling and importing overlap: the bundler hands the sandbox one chunk of
 * files at a time. Whatever the chunk size, the same files load, in the same
 * order, with the same diagnostics, including for files that end the loading
 * process, hang, or end it later from a timer while the next chunk is bundled.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions, type LoadResult } from '../../src/load/index.js';
import { makeRepo, type Repo } from '../support/repo.js';

describe('loading in chunks', () => {
  let repo: Repo;
  let whole: LoadResult;
  let oneByOne: LoadResult;
  let inPairs: LoadResult;
  beforeAll(async () => {
    repo = await makeRepo({ platform: 'fixture' });
    const card = await readFile(path.join(repo.root, 'models/card-fraud.ts'), 'utf8');
    // Copies of a valid model under other ids, around files that misbehave.
    const copy = (id: string) => card.replace(/id: '[^']+'/, `id: '${id}'`);
    await repo.write('models/a-copy.ts', copy('a-copy'));
    await repo.write('models/b-exit.ts', "process.exit(0);\nexport default {};\n");
    await repo.write('models/c-copy.ts', copy('c-copy'));
    await repo.write('models/d-hang.ts', 'await new Promise(() => {});\nexport default {};\n');
    await repo.write('models/e-later.ts', `${copy('e-later')}\nsetTimeout(() => (process as any).reallyExit(0), 0);\n`);
    await repo.write('models/f-copy.ts', copy('f-copy'));
    await repo.write('models/g-kill.ts', "process.kill(process.pid, 'SIGKILL');\nexport default {};\n");
    await repo.write('models/h-copy.ts', copy('h-copy'));
    await repo.write('models/i-syntax.ts', 'export default {;\n');
    await repo.write('models/j-copy.ts', copy('j-copy'));
    [whole, oneByOne, inPairs] = [
      await loadDefinitions(repo.root, { timeoutMs: 1500 }),
      await loadDefinitions(repo.root, { timeoutMs: 1500, bundleChunk: 1 }),
      await loadDefinitions(repo.root, { timeoutMs: 1500, bundleChunk: 2 }),
    ];
  }, 120_000);
  afterAll(async () => repo.cleanup());

  const summary = (r: LoadResult) => ({
    models: r.definitions.models.map((m) => `${m.file} ${(m.value as { id: string }).id}`),
    policies: r.definitions.policies.map((p) => p.file),
    platform: r.definitions.platform?.file,
    // process.kill(<pid>) names the pid of the process that loaded the file.
    diagnostics: r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message.replace(/process\.kill\(\d+\)/, 'process.kill(pid)')}`).sort(),
  });

  it('loads the good files and reports each bad one, by name', () => {
    const s = summary(whole);
    expect(s.platform).toBe('policies/platform.ts');
    expect(s.models).toEqual(expect.arrayContaining(['models/a-copy.ts a-copy', 'models/c-copy.ts c-copy', 'models/f-copy.ts f-copy', 'models/h-copy.ts h-copy', 'models/j-copy.ts j-copy', 'models/card-fraud.ts card-fraud']));
    for (const bad of ['b-exit', 'd-hang', 'e-later', 'g-kill', 'i-syntax']) {
      expect(s.models.some((m) => m.startsWith(`models/${bad}.ts`)), bad).toBe(false);
      expect(s.diagnostics.some((d) => d.startsWith(`models/${bad}.ts:`)), `${bad}: ${s.diagnostics.join('\n')}`).toBe(true);
    }
    expect(s.diagnostics.find((d) => d.startsWith('models/d-hang.ts:'))).toContain('did not finish loading within 1.5 s');
  });

  it('gives the same definitions and diagnostics one file at a time and two at a time', () => {
    expect(summary(oneByOne)).toEqual(summary(whole));
    expect(summary(inPairs)).toEqual(summary(whole));
  });

  it('keeps the definitions in sorted order', () => {
    const files = oneByOne.definitions.models.map((m) => m.file);
    expect(files).toEqual([...files].sort());
  });
});
