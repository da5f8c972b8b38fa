/**
 * The CLI's surface: help, usage errors (exit 2) and `validate`. Subprocesses
 * (4 runs, concurrently).
 */
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { makeRepo, type Repo } from '../support/repo.js';

const STACK_FRAME = /^\s{4}at /m;

describe.concurrent('modelplane', () => {
  let repo: Repo;

  beforeAll(async () => {
    repo = await makeRepo({ models: [] });
  });
  afterAll(async () => {
    await repo?.cleanup();
  });

  it('prints help listing synth and validate with exit 0', async ({ expect }) => {
    const help = await repo.run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^\s+synth\b/m);
    expect(help.stdout).toMatch(/^\s+validate\b/m);
  });

  for (const { what, args, named } of [
    { what: 'an unknown command', args: ['frobnicate'], named: 'frobnicate' },
    { what: 'an unknown option', args: ['synth', '--frobnicate'], named: '--frobnicate' },
  ]) {
    it(`exits 2 on ${what} and names it`, async ({ expect }) => {
      const result = await repo.run(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(named);
      expect(result.stderr).not.toMatch(STACK_FRAME);
    });
  }

  it('validate exits 0 on the reference platform and writes nothing', async ({ expect }) => {
    const reference = await makeRepo();
    try {
      const before = (await readdir(reference.root)).sort();
      const result = await reference.run(['validate']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^validate: \d+ models and \d+ policies are valid/);
      expect((await readdir(reference.root)).sort()).toEqual(before);
      expect((await reference.tree()).size).toBe(0);
    } finally {
      await reference.cleanup();
    }
  });
});
