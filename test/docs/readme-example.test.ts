/**
 * README's "Authoring a model" example validates exactly as printed: its
 * ```ts block type-checks in place of models/fraud-detector.ts, and written as
 * the only model of a copy of the reference platform, `modelplane validate`
 * accepts it without a diagnostic.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, describeDiagnostic } from '../definitions/compile.js';
import { makeRepo, REPO_ROOT, type Repo } from '../support/repo.js';

/** The first ```ts block after the heading `## <section>`. */
function exampleOf(readme: string, section: string): string {
  const heading = readme.indexOf(`\n## ${section}\n`);
  if (heading < 0) throw new Error(`README has no section '${section}'`);
  const next = readme.indexOf('\n## ', heading + 1);
  const body = readme.slice(heading, next < 0 ? undefined : next);
  const block = /```ts\n([\s\S]*?)```/.exec(body);
  if (!block) throw new Error(`section '${section}' has no \`\`\`ts block`);
  return block[1];
}

const repos: Repo[] = [];
afterAll(async () => {
  for (const r of repos) await r.cleanup();
});

describe("README's example model", () => {
  it('type-checks as a model file', async () => {
    const example = exampleOf(await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8'), 'Authoring a model');
    expect(compile('models/fraud-detector.ts', () => example).diagnostics.map(describeDiagnostic)).toEqual([]);
  });

  it('validates exactly as printed against the reference platform', async () => {
    const example = exampleOf(await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8'), 'Authoring a model');
    const id = /id: '([a-z0-9-]+)'/.exec(example)?.[1];
    expect(id).toBeDefined();
    const repo = await makeRepo({ models: [] });
    repos.push(repo);
    await repo.write(`models/${id}.ts`, example);
    const result = await repo.run(['validate']);
    expect(result.stdout + result.stderr).not.toMatch(/ - (error|warning) MP/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 models and');
  });

  it('is checked: a mistake in the printed example fails the test', async () => {
    const example = exampleOf(await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8'), 'Authoring a model');
    const repo = await makeRepo({ models: [] });
    repos.push(repo);
    await repo.write('models/fraud-detector.ts', example.replace("version: '4.1.0',", "version: '4.1.0', tarffic: 1,"));
    const result = await repo.run(['validate']);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('MP2001');
  });
});
