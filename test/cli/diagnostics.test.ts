/**
 * How `modelplane synth` reports bad definitions: file:line:col, code and field,
 * all errors of a run together, GitHub annotations in Actions, no stack trace,
 * nothing written. Subprocesses against temporary repositories (2 runs, at once).
 */
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneReference, modelOf, modelSource, positionOf } from '../support/definitions.js';
import { differences, lines, makeRepo, STACK_FRAME, type Repo, type RunResult } from '../support/repo.js';


interface Scenario {
  readonly repo: Repo;
  readonly run: RunResult;
}

/** Two models with schema errors, over a generated/ and CODEOWNERS committed earlier. */
async function definitionErrors() {
  const repo = await makeRepo();
  // A generated/ and a CODEOWNERS that a run must neither rewrite nor prune.
  await repo.write('generated/prod/fraud-detector/inferenceservice-fraud-detector-v4-1-0.yaml', '# committed earlier\nkind: InferenceService\n');
  await repo.write('generated/staging/_argocd/application-fraud-detector-staging.yaml', '# committed earlier\nkind: Application\n');
  await repo.write('.github/CODEOWNERS', '* @acme/ml-platform\n');
  const d = await cloneReference();
  const fraud = modelOf(d, 'fraud-detector');
  fraud.deploy.prod = { ...fraud.deploy.prod, replicas: { min: 'two' as unknown as number, max: 3 } };
  const fraudText = modelSource(fraud);
  const credit = modelOf(d, 'credit-limit');
  (credit.deploy.prod as Record<string, unknown>).gpuType = 'a100';
  const creditText = modelSource(credit);
  await repo.write('models/fraud-detector.ts', fraudText);
  await repo.write('models/credit-limit.ts', creditText);
  const expected = [
    { file: 'models/credit-limit.ts', code: 'MP2001', field: ['gpuType', 'deploy.prod'], position: positionOf(creditText, '"gpuType"') },
    { file: 'models/fraud-detector.ts', code: 'MP2002', field: ['deploy.prod.replicas.min'], position: positionOf(fraudText, '"min": "two"') },
  ];
  const before = await repo.tree();
  const run = await repo.run(['synth']);
  return { repo, run, before, expected };
}

const FILES = {
  throws: 'models/churn-predictor.ts',
  syntax: 'models/credit-limit.ts',
  schema: 'models/fraud-detector.ts',
};

/** A model that throws at import, one with a syntax error and one with a schema error, in GitHub Actions. */
async function importFailures(): Promise<Scenario> {
  const d = await cloneReference();
  const fraud = modelOf(d, 'fraud-detector');
  fraud.dataClass = 'secret' as never;
  const texts: Record<string, string> = {
    [FILES.throws]: [
      "import { defineModel } from '../src/index.js';",
      '',
      'const lookup = (): never => {',
      "  throw new Error('feature store unreachable');",
      '};',
      'export default defineModel(lookup());',
      '',
    ].join('\n'),
    [FILES.syntax]: [
      "import { defineModel } from '../src/index.js';",
      '',
      'export default defineModel({',
      "  id: 'credit-limit',",
      "  owner: 'risk',",
      "  tier: 'critical'",
      "  dataClass: 'pii',",
      '});',
      '',
    ].join('\n'),
    [FILES.schema]: modelSource(fraud),
  };
  const repo = await makeRepo();
  for (const [file, text] of Object.entries(texts)) await repo.write(file, text);
  return { repo, run: await repo.run(['synth'], { GITHUB_ACTIONS: 'true' }) };
}

let errors: Awaited<ReturnType<typeof definitionErrors>>;
let failures: Scenario;

// Both runs at once: they are independent subprocesses.
beforeAll(async () => {
  [errors, failures] = await Promise.all([definitionErrors(), importFailures()]);
});
afterAll(async () => {
  await Promise.all([errors?.repo.cleanup(), failures?.repo.cleanup()]);
});

describe('modelplane synth with definition errors', () => {
  it('exits 1 and prints each error at its file, line and column with its code and field', () => {
    expect(errors.run.code).toBe(1);
    const err = lines(errors.run.stderr);
    for (const e of errors.expected) {
      const prefix = `${e.file}:${e.position.line}:${e.position.column} - error ${e.code}: `;
      const line = err.find((l) => l.startsWith(prefix));
      expect(line, `a line starting with ${prefix} in:\n${errors.run.stderr}`).toBeDefined();
      for (const part of e.field) expect(line).toContain(part);
    }
    expect(err).toContain('2 errors, 0 warnings');
  });

  it('prints no stack trace, no absolute path and no annotations outside GitHub Actions', () => {
    expect(errors.run.stderr).not.toMatch(STACK_FRAME);
    expect(errors.run.stderr).not.toContain(errors.repo.root);
    expect(errors.run.stdout).not.toContain('::error');
  });

  it('leaves generated/ and CODEOWNERS untouched', async () => {
    expect(errors.before.size).toBe(3);
    expect(differences(errors.before, await errors.repo.tree())).toEqual([]);
    expect((await readdir(errors.repo.root)).filter((f) => f.startsWith('.modelplane-'))).toEqual([]);
  });
});

describe('modelplane synth with files that fail to import', () => {
  it('reports a model that throws at import as MP1001 at the throwing line', () => {
    expect(failures.run.code).toBe(1);
    const line = lines(failures.run.stderr).find((l) => l.startsWith(`${FILES.throws}:4:`));
    expect(line, failures.run.stderr).toMatch(/ - error MP1001: .*feature store unreachable/);
  });

  it('reports a syntax error as MP1001 at its line', () => {
    expect(lines(failures.run.stderr).find((l) => l.startsWith(`${FILES.syntax}:7:`)), failures.run.stderr).toContain(' - error MP1001: ');
  });

  // esbuild's first line is "Transform failed with 1 error:"; the reason is on
  // a later line, after "ERROR:", and is what the diagnostic names.
  it('says what the syntax error is', () => {
    const line = lines(failures.run.stderr).find((l) => l.startsWith(`${FILES.syntax}:7:`));
    expect(line, failures.run.stderr).toBeDefined();
    expect(line).toContain(`${FILES.syntax} failed to import: syntax error: Expected "}" but found "dataClass"`);
    expect(line).not.toContain('Transform failed');
  });

  // esbuild counts columns from 0: `dataClass` starts in (1-based) column 3.
  it('reports the 1-based column of a syntax error', () => {
    expect(lines(failures.run.stderr).some((l) => l.startsWith(`${FILES.syntax}:7:3 - error MP1001`)), failures.run.stderr).toBe(true);
    expect(lines(failures.run.stdout).some((l) => l.startsWith('::error file=models/credit-limit.ts,line=7,col=3,title=MP1001::')), failures.run.stdout).toBe(true);
  });

  it('still reports the schema errors of the other files in the same run', () => {
    const err = lines(failures.run.stderr);
    expect(err.some((l) => l.startsWith(`${FILES.schema}:`) && l.includes(' - error MP2004: ') && l.includes('dataClass'))).toBe(true);
    expect(err).toContain('3 errors, 0 warnings');
    expect(failures.run.stderr).not.toMatch(STACK_FRAME);
    expect(failures.run.stderr).not.toContain(failures.repo.root);
  });

  it('prints a GitHub annotation for every diagnostic when GITHUB_ACTIONS=true', () => {
    const annotations = lines(failures.run.stdout).filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(3);
    expect(annotations.some((l) => /^::error file=models\/churn-predictor\.ts,line=4,col=\d+,title=MP1001::/.test(l))).toBe(true);
    expect(annotations.some((l) => /^::error file=models\/credit-limit\.ts,line=7,col=\d+,title=MP1001::/.test(l))).toBe(true);
    expect(annotations.some((l) => /^::error file=models\/fraud-detector\.ts,line=\d+,col=\d+,title=MP2004::.*dataClass/.test(l))).toBe(true);
  });
});
