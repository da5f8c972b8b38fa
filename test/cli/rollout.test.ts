/**
 * `modelplane release`, `promote` and `rollback` with real git: a temporary
 * copy of the fixture platform (card-fraud, a canary of 4.2.0 at step 1
 * of 'progressive' in prod, and photo-moderation, 3.2.0 stable in prod with
 * 3.3.0 declared) is synthesized and committed on `main`. In the fixture,
 * 3.3.0's artifact is in the staging bucket, which prod may not read (MP7004),
 * so the copy on `main` publishes it to the prod bucket first; branch
 * `staging-artifact` keeps the fixture's staging URI. Every test starts from
 * `main` without modelplane branches, runs the CLI as a subprocess and
 * inspects the branch and commit it made. AnalysisRun statuses come from a
 * --status-file outside the work tree.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRepo, REPO_ROOT, STACK_FRAME as STACK, type Repo, type RunResult } from '../support/repo.js';

const execFileAsync = promisify(execFile);

const IDENTITY = { GIT_AUTHOR_NAME: 'Test Author', GIT_AUTHOR_EMAIL: 'author@example.com', GIT_COMMITTER_NAME: 'Test Author', GIT_COMMITTER_EMAIL: 'author@example.com' };

let repo: Repo;
let outside: string;
/** The fixture platform with photo-moderation 3.3.0 in the prod bucket, synthesized: where every test starts (`main`). */
let base: string;
const STAGING_URI = "uri: 's3://acme-ml-staging/vision/photo-moderation/3.3.0/'";
const PROD_URI = "uri: 's3://acme-ml-prod/vision/photo-moderation/3.3.0/'";

async function git(...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd: repo.root, env: { ...process.env, ...IDENTITY, GIT_TERMINAL_PROMPT: '0' } });
  return stdout;
}

/** Exit code of a git command (for `diff --quiet`). */
async function gitCode(...args: string[]): Promise<number> {
  return git(...args).then(
    () => 0,
    (e: { code: number }) => e.code,
  );
}

const cli = (...args: string[]): Promise<RunResult> => repo.run(args, IDENTITY);
const show = async (ref: string, file: string) => parse(await git('show', `${ref}:${file}`)) as Record<string, any>;
const filesAt = async (ref: string, dir: string) => (await git('ls-tree', '-r', '--name-only', ref, '--', dir)).split('\n').filter(Boolean);
const splitOf = (route: Record<string, any>) => (route.spec.rules.at(-1).backendRefs as { name: string; weight?: number }[]).map((b) => [b.name, b.weight]);

/** A status file as `kubectl get analysisruns -o json` prints it, outside the work tree. */
async function statusFile(name: string, phase: string, message?: string): Promise<string> {
  const startedAt = new Date(Date.now() - 15 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const file = path.join(outside, `${name}-${phase}.json`);
  const item = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name, namespace: 'risk-prod', creationTimestamp: startedAt },
    status: {
      phase,
      startedAt,
      ...(message ? { message } : {}),
      metricResults: [{ name: 'error-rate', phase, measurements: [{ value: phase === 'Failed' ? '[0.05]' : '[0.001]', phase }] }],
    },
  };
  await writeFile(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [item] }));
  return file;
}

beforeAll(async () => {
  repo = await makeRepo({ platform: 'fixture', models: ['card-fraud', 'photo-moderation'] });
  outside = await mkdtemp(path.join(os.tmpdir(), 'modelplane-status-'));
  await repo.edit('models/photo-moderation.ts', STAGING_URI, PROD_URI);
  const synth = await repo.run(['synth']);
  expect(synth.code, synth.stderr).toBe(0);
  await git('init', '--quiet', '--initial-branch=main');
  await git('config', 'user.name', 'Test Author');
  await git('config', 'user.email', 'author@example.com');
  await git('config', 'commit.gpgsign', 'false');
  await git('add', '--all');
  await git('commit', '--quiet', '-m', 'fixture platform, photo-moderation 3.3.0 published to the prod bucket');
  base = (await git('rev-parse', 'HEAD')).trim();
  await git('checkout', '--quiet', '-b', 'staging-artifact');
  await repo.edit('models/photo-moderation.ts', PROD_URI, STAGING_URI);
  await git('commit', '--quiet', '-am', 'photo-moderation 3.3.0 from the staging bucket, as in the fixture');
  await git('checkout', '--quiet', 'main');
});

afterAll(async () => {
  await repo?.cleanup();
  if (outside) await rm(outside, { recursive: true, force: true });
});

beforeEach(async () => {
  await git('checkout', '--quiet', '--force', 'main');
  await git('clean', '--quiet', '-fd');
  const branches = (await git('for-each-ref', '--format=%(refname:short)', 'refs/heads/modelplane/')).split('\n').filter(Boolean);
  if (branches.length > 0) await git('branch', '--quiet', '-D', ...branches);
  expect((await git('rev-parse', 'HEAD')).trim()).toBe(base);
});

describe('release and rollback of photo-moderation 3.3.0 in prod', () => {
  const BRANCH = 'modelplane/prod/photo-moderation/release-3.3.0';
  const DIR = 'generated/prod/photo-moderation';

  it('release commits a step-0 canary on its own branch, and rollback restores generated/ and models/ byte for byte', async () => {
    const release = await cli('release', 'photo-moderation', '3.3.0', '--env', 'prod', '--no-pr');
    expect(release.stderr).toBe('');
    expect(release.code).toBe(0);
    expect(release.stdout).toContain(`on branch ${BRANCH}`);

    expect((await git('rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe(BRANCH);
    expect((await git('rev-list', `${base}..${BRANCH}`)).trim().split('\n')).toHaveLength(1);
    expect(await git('status', '--porcelain', '--untracked-files=all')).toBe('');
    const message = await git('log', '-1', '--format=%B', BRANCH);
    expect(message).toMatch(/^release photo-moderation 3\.3\.0 to prod: canary step 0 \(5%\)\n/);
    expect(message).toContain('Modelplane-Model: photo-moderation\nModelplane-Env: prod\nModelplane-Action: release\nModelplane-Version: 3.3.0\nModelplane-Step: photo-moderation prod 3.3.0 0\n');

    const changed = (await git('diff', '--name-status', base, BRANCH)).trim().split('\n').sort();
    expect(changed).toEqual(
      expect.arrayContaining([
        'M\tmodels/photo-moderation.ts',
        `A\t${DIR}/inferenceservice-photo-moderation-v3-3-0.yaml`,
        `A\t${DIR}/analysisrun-photo-moderation-v3-3-0-s0.yaml`,
        `M\t${DIR}/httproute-photo-moderation.yaml`,
      ]),
    );
    expect(changed.every((line) => /\t(models\/photo-moderation\.ts|generated\/prod\/)/.test(line)), changed.join('\n')).toBe(true);

    const canary = await show(BRANCH, `${DIR}/inferenceservice-photo-moderation-v3-3-0.yaml`);
    expect(canary).toMatchObject({ kind: 'InferenceService', metadata: { name: 'photo-moderation-v3-3-0' } });
    const run = await show(BRANCH, `${DIR}/analysisrun-photo-moderation-v3-3-0-s0.yaml`);
    expect(run).toMatchObject({ kind: 'AnalysisRun', metadata: { name: 'photo-moderation-v3-3-0-s0', labels: { 'modelplane.io/step': '0' } } });
    expect(splitOf(await show(BRANCH, `${DIR}/httproute-photo-moderation.yaml`))).toEqual([
      ['photo-moderation-v3-2-0-predictor', 95],
      ['photo-moderation-v3-3-0-predictor', 5],
    ]);
    expect(await git('show', `${BRANCH}:models/photo-moderation.ts`)).toContain("canary: { version: '3.3.0', policy: 'progressive', step: 0 }");

    const rollback = await cli('rollback', 'photo-moderation', '--env', 'prod', '--no-pr');
    expect(rollback.stderr).toBe('');
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toContain('(git revert)');
    expect((await git('rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('modelplane/rollback/prod/photo-moderation/rollback-3.3.0');
    expect(await git('log', '-1', '--format=%s')).toBe('Revert "release photo-moderation 3.3.0 to prod: canary step 0 (5%)"\n');
    expect(await git('log', '-1', '--format=%(trailers:key=Modelplane-Action,valueonly)')).toBe('rollback\n\n');
    expect(await git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(await gitCode('diff', '--quiet', base, '--', 'generated', 'models')).toBe(0);
    expect(await filesAt('HEAD', DIR)).toEqual(await filesAt(base, DIR));
  });

  it('rollback merges deploy.prod field by field when the revert does not apply cleanly; a comment-only edit is not in the way', async () => {
    const release = await cli('release', 'photo-moderation', '3.3.0', '--env', 'prod', '--no-pr');
    expect(release.code, release.stderr).toBe(0);
    // A later hand edit of the canary line makes `git revert` of the release conflict.
    await repo.edit('models/photo-moderation.ts', "canary: { version: '3.3.0', policy: 'progressive', step: 0 },", "canary: { version: '3.3.0', policy: 'progressive', step: 0 }, // agreed with SRE");
    await git('commit', '--quiet', '-am', 'note on the photo-moderation canary');
    const rollback = await cli('rollback', 'photo-moderation', '--env', 'prod', '--no-pr');
    expect(rollback.stderr).toBe('');
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toContain('(the revert did not apply cleanly: merged deploy.prod field by field)');
    expect(await git('log', '-1', '--format=%B')).toContain("Changes to models/photo-moderation.ts (everything else is generated/):\n- deploy.prod.canary: removed (was `{ version: '3.3.0', policy: 'progressive', step: 0 }`)\n");
    expect(await git('show', 'HEAD:models/photo-moderation.ts')).toBe(await git('show', `${base}:models/photo-moderation.ts`));
    expect(await gitCode('diff', '--quiet', base, 'HEAD', '--', 'generated', '.github')).toBe(0);
    expect(await git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('rollback keeps a later peakRps edit of deploy.prod and lists what it changes in the commit message', async () => {
    const release = await cli('release', 'photo-moderation', '3.3.0', '--env', 'prod', '--no-pr');
    expect(release.code, release.stderr).toBe(0);
    await repo.edit('models/photo-moderation.ts', "      pool: 'gpu-l4',\n      traffic: { peakRps: 900 },", "      pool: 'gpu-l4',\n      traffic: { peakRps: 1400 },");
    await git('commit', '--quiet', '-am', 'photo-moderation: peak traffic is 1400 rps');
    const later = (await git('rev-parse', 'HEAD')).trim();
    const rollback = await cli('rollback', 'photo-moderation', '--env', 'prod', '--no-pr');
    expect(rollback.stderr).toBe('');
    expect(rollback.code).toBe(0);
    const model = await git('show', 'HEAD:models/photo-moderation.ts');
    expect(model).toContain('traffic: { peakRps: 1400 }');
    expect(model).not.toContain('canary:');
    // Everything but the kept edit is as before the release.
    expect(model).toBe((await git('show', `${base}:models/photo-moderation.ts`)).replace('peakRps: 900', 'peakRps: 1400'));
    expect(await git('diff', '--name-only', later, 'HEAD', '--', 'models')).toBe('models/photo-moderation.ts\n');
    const message = await git('log', '-1', '--format=%B');
    expect(message).toContain("- deploy.prod.canary: removed (was `{ version: '3.3.0', policy: 'progressive', step: 0 }`)");
    expect(message).not.toContain('deploy.prod.traffic:');
    expect(await git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('rollback refuses, naming the commit in the way, when the canary was changed by hand after the release', async () => {
    const release = await cli('release', 'photo-moderation', '3.3.0', '--env', 'prod', '--no-pr');
    expect(release.code, release.stderr).toBe(0);
    await repo.edit('models/photo-moderation.ts', "canary: { version: '3.3.0', policy: 'progressive', step: 0 }", "canary: { version: '3.3.0', policy: 'progressive', step: 1 }");
    await git('commit', '--quiet', '-am', 'photo-moderation canary to step 1 by hand');
    const head = (await git('rev-parse', 'HEAD')).trim();
    const rollback = await cli('rollback', 'photo-moderation', '--env', 'prod', '--no-pr');
    expect(rollback.code).toBe(1);
    expect(rollback.stderr).toContain(`deploy.prod.canary was changed both by the rollout and afterwards by ${head.slice(0, 12)} (photo-moderation canary to step 1 by hand)`);
    expect(rollback.stderr).not.toMatch(STACK);
    expect((await git('rev-parse', 'HEAD')).trim()).toBe(head);
    expect(await git('branch', '--list', 'modelplane/rollback/prod/photo-moderation/rollback-*')).toBe('');
    expect(await git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('refuses to release 3.3.0 to prod while its artifact is outside the prod bucket (MP7004), changing nothing', async () => {
    await git('checkout', '--quiet', 'staging-artifact');
    const before = (await git('rev-parse', 'HEAD')).trim();
    const result = await cli('release', 'photo-moderation', '3.3.0', '--env', 'prod', '--no-pr');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^models\/photo-moderation\.ts:\d+:\d+ - error MP7004: versions\[1\]\.artifact\.uri /m);
    expect((await git('rev-parse', 'HEAD')).trim()).toBe(before);
    expect(await git('branch', '--list', BRANCH)).toBe('');
    expect(await git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('refuses a version the model does not declare, naming the declared versions', async () => {
    const result = await cli('release', 'photo-moderation', '9.9.9', '--env', 'prod', '--no-pr');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/models\/photo-moderation\.ts: version '9\.9\.9' is not in versions \(3\.2\.0, 3\.3\.0\)/);
    expect((await git('rev-parse', 'HEAD')).trim()).toBe(base);
    expect(await git('branch', '--list', 'modelplane/*')).not.toContain('9.9.9');
    expect(await git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('refuses to release from a dirty work tree and names the uncommitted file', async () => {
    await repo.write('notes.txt', 'work in progress\n');
    const result = await cli('release', 'photo-moderation', '3.3.0', '--env', 'prod', '--no-pr');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/uncommitted changes \(notes\.txt\)/);
    expect((await git('rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('main');
  });

  it('exits 3 without --no-pr when no GitHub token is configured, naming GITHUB_TOKEN and --no-pr', async () => {
    const result = await repo.run(['release', 'photo-moderation', '3.3.0', '--env', 'prod'], { ...IDENTITY, GITHUB_TOKEN: '' });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/GITHUB_TOKEN/);
    expect(result.stderr).toMatch(/--no-pr/);
    expect((await git('rev-parse', 'HEAD')).trim()).toBe(base);
  });
});

describe('promote of the card-fraud canary (4.2.0 at step 1, 25 %) from a status file', () => {
  const DIR = 'generated/prod/card-fraud';
  const ROUTE = `${DIR}/httproute-card-fraud.yaml`;

  it('starts from a 75/25 split with the AnalysisRun of step 1', async () => {
    expect(splitOf(await show(base, ROUTE))).toEqual([
      ['card-fraud-v4-1-0-predictor', 75],
      ['card-fraud-v4-2-0-predictor', 25],
    ]);
    expect(await filesAt(base, DIR)).toContain(`${DIR}/analysisrun-card-fraud-v4-2-0-s1.yaml`);
  });

  it('advances a Successful step 1 to step 2: the route splits 50/50 and the AnalysisRun of step 2 replaces step 1', async () => {
    const status = await statusFile('card-fraud-v4-2-0-s1', 'Successful');
    const result = await cli('promote', '--env', 'prod', '--model', 'card-fraud', '--status-file', status, '--no-pr');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^card-fraud \(prod\): advance: analysis of step 1 succeeded$/m);
    const branch = 'modelplane/prod/card-fraud/advance-4.2.0-step-2';
    expect((await git('rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe(branch);
    expect((await git('rev-list', `${base}..${branch}`)).trim().split('\n')).toHaveLength(1);
    expect(await git('show', `${branch}:models/card-fraud.ts`)).toContain("canary: { version: '4.2.0', policy: 'progressive', step: 2 }");
    expect(splitOf(await show(branch, ROUTE))).toEqual([
      ['card-fraud-v4-1-0-predictor', 50],
      ['card-fraud-v4-2-0-predictor', 50],
    ]);
    const files = await filesAt(branch, DIR);
    expect(files).toContain(`${DIR}/analysisrun-card-fraud-v4-2-0-s2.yaml`);
    expect(files).not.toContain(`${DIR}/analysisrun-card-fraud-v4-2-0-s1.yaml`);
    expect(await git('log', '-1', '--format=%B', branch)).toContain('AnalysisRun card-fraud-v4-2-0-s1: Successful');
  });

  it('rolls back a Failed step: canary removed from the model, route 100 % to stable, canary InferenceService deleted', async () => {
    const status = await statusFile('card-fraud-v4-2-0-s1', 'Failed', 'Metric "error-rate" assessed Failed due to failed (3) > failureLimit (2)');
    const result = await cli('promote', '--env', 'prod', '--model', 'card-fraud', '--status-file', status, '--no-pr');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^card-fraud \(prod\): rollback: analysis of step 1 ended Failed/m);
    const branch = 'modelplane/rollback/prod/card-fraud/abort-4.2.0';
    expect((await git('rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe(branch);
    const model = await git('show', `${branch}:models/card-fraud.ts`);
    expect(model).not.toMatch(/canary:/);
    expect(model).toContain("    prod: {\n      version: '4.1.0',\n      pool: 'cpu-general',");
    expect(splitOf(await show(branch, ROUTE))).toEqual([['card-fraud-v4-1-0-predictor', 100]]);
    const files = await filesAt(branch, DIR);
    expect(files).not.toContain(`${DIR}/inferenceservice-card-fraud-v4-2-0.yaml`);
    expect(files.filter((f) => f.includes('/analysisrun-'))).toEqual([]);
    expect(files).toContain(`${DIR}/inferenceservice-card-fraud-v4-1-0.yaml`);
    expect(existsSync(path.join(repo.root, DIR, 'inferenceservice-card-fraud-v4-2-0.yaml'))).toBe(false);
    expect(await git('log', '-1', '--format=%B', branch)).toMatch(/Modelplane-Action: abort\nModelplane-Version: 4\.2\.0/);
  });
});

describe('bots commit only the model file they edit, generated/ and .github/CODEOWNERS', () => {
  const PLATFORM = 'policies/platform.ts';

  it('release refuses, naming the file, when a definition tries to change another file in its work tree; nothing is committed', async () => {
    await git('checkout', '--quiet', '-b', 'tamper-on-import');
    const model = await repo.read('models/card-fraud.ts');
    // A product team's model file that, when imported, raises its own standing in the platform file.
    await repo.write(
      'models/card-fraud.ts',
      model.replace(
        "import { defineModel } from '../src/index.js';\n",
        "import { appendFileSync } from 'node:fs';\nimport { defineModel } from '../src/index.js';\n\nappendFileSync(new URL('../policies/platform.ts', import.meta.url), '// quota raised by card-fraud\\n');\n",
      ),
    );
    await git('commit', '--quiet', '-am', 'card-fraud writes the platform file when imported');
    const head = (await git('rev-parse', 'HEAD')).trim();
    try {
      const result = await cli('release', 'photo-moderation', '3.3.0', '--env', 'prod', '--no-pr');
      expect(result.code, result.stderr).toBe(1);
      // The sandbox stops the write at import (no write permission); the staging check is the second line.
      expect(result.stderr).toMatch(/^models\/card-fraud\.ts:\d+:\d+ - error MP1001: .*restricted/m);
      expect(await repo.read(PLATFORM)).not.toContain('quota raised');
      expect(result.stderr).not.toMatch(STACK);
      expect((await git('rev-parse', 'HEAD')).trim()).toBe(head);
      expect((await git('rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('tamper-on-import');
      expect(await git('branch', '--list', 'modelplane/*')).toBe('');
      expect(await git('log', '--all', '--format=%H', '--', PLATFORM)).toBe(`${base}\n`);
    } finally {
      await git('checkout', '--quiet', '--force', 'main');
      await git('branch', '--quiet', '-D', 'tamper-on-import');
    }
  });

  it('rollback refuses, naming the file, when reverting the rollout would change a file the rollback does not own', async () => {
    // A release commit made by hand (or by an older modelplane that staged everything) that also touched the platform file.
    await git('checkout', '--quiet', '-b', 'wide-release');
    await repo.edit('models/card-fraud.ts', "canary: { version: '4.2.0', policy: 'progressive', step: 1 }", "canary: { version: '4.2.0', policy: 'progressive', step: 0 }");
    await repo.write(PLATFORM, `${await repo.read(PLATFORM)}// touched by the release\n`);
    await git('commit', '--quiet', '-am', 'release card-fraud 4.2.0 to prod\n\nModelplane-Model: card-fraud\nModelplane-Env: prod\nModelplane-Action: release\nModelplane-Version: 4.2.0');
    const head = (await git('rev-parse', 'HEAD')).trim();
    try {
      const result = await cli('rollback', 'card-fraud', '--env', 'prod', '--no-pr');
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/^modelplane: policies\/platform\.ts changed while making the change, but rollback of card-fraud may commit only models\/card-fraud\.ts, generated\/ and \.github\/CODEOWNERS/m);
      expect((await git('rev-parse', 'HEAD')).trim()).toBe(head);
      expect((await git('rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('wide-release');
      expect(await git('branch', '--list', 'modelplane/*')).toBe('');
      expect(await git('status', '--porcelain', '--untracked-files=all')).toBe('');
    } finally {
      await git('checkout', '--quiet', '--force', 'main');
      await git('branch', '--quiet', '-D', 'wide-release');
    }
  });
});

describe("the canary's clock starts at the commit that set the step", () => {
  const EMPTY = async () => {
    const file = path.join(outside, 'no-runs.json');
    await writeFile(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }));
    return file;
  };

  it('a staging-only edit after the release does not restart the prod step: no AnalysisRun 3 h after the release rolls back', async () => {
    const threeHoursAgo = new Date(Date.now() - 3 * 3600_000).toISOString();
    const release = await repo.run(['release', 'photo-moderation', '3.3.0', '--env', 'prod', '--no-pr'], { ...IDENTITY, GIT_COMMITTER_DATE: threeHoursAgo });
    expect(release.code, release.stderr).toBe(0);
    await repo.edit('models/photo-moderation.ts', "staging: { version: '3.3.0', pool: 'gpu-l4' }", "staging: { version: '3.3.0', pool: 'gpu-l4', traffic: { peakRps: 50 } }");
    await git('commit', '--quiet', '-am', 'photo-moderation: staging peak traffic');
    const result = await cli('promote', '--env', 'prod', '--model', 'photo-moderation', '--status-file', await EMPTY(), '--no-pr');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^photo-moderation \(prod\): rollback: no AnalysisRun for 3\.3\.0 step 0 1(0[7-9]|1[0-2])\d\d s after the step was committed/m);
  });

  it('without the step trailer the clock starts at the commit that set the canary as it is now, with a warning naming it', async () => {
    await git('checkout', '--quiet', '-b', 'staging-note');
    await repo.edit('models/card-fraud.ts', "    staging: {\n      version: '4.2.0',\n", "    staging: {\n      version: '4.2.0', // staging follows the canary\n");
    await git('commit', '--quiet', '-am', 'card-fraud: note on staging');
    const result = await cli('promote', '--env', 'prod', '--model', 'card-fraud', '--status-file', await EMPTY(), '--no-pr');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`warning: card-fraud (prod): no commit with the trailer 'Modelplane-Step: card-fraud prod 4.2.0 1' found: step 1's clock starts at ${base.slice(0, 12)}`);
    expect(result.stdout).toMatch(/^card-fraud \(prod\): wait: waiting for Argo CD to create the AnalysisRun of step 1/m);
    await git('checkout', '--quiet', '--force', 'main');
    await git('branch', '--quiet', '-D', 'staging-note');
  });
});

describe('a release under --policy passes that policy’s approval gate', () => {
  it("refuses a direct release of an unapproved version to staging under 'direct', which requires approval", async () => {
    await git('checkout', '--quiet', '-b', 'unapproved');
    try {
      await repo.edit('models/photo-moderation.ts', "staging: { version: '3.3.0', pool: 'gpu-l4' }", "staging: { version: '3.2.0', pool: 'gpu-l4' }");
      await repo.edit('models/photo-moderation.ts', "      approval: { by: 'vision-lead@acme.com', at: '2026-10-20T15:45:00Z' },\n", '');
      expect((await cli('synth')).code).toBe(0);
      await git('add', '--all');
      await git('commit', '--quiet', '-m', 'photo-moderation 3.3.0 not approved yet');
      const head = (await git('rev-parse', 'HEAD')).trim();
      const result = await cli('release', 'photo-moderation', '3.3.0', '--env', 'staging', '--policy', 'direct', '--no-pr');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("models/photo-moderation.ts: versions[1] (3.3.0) has no approval, but policy 'direct' requires approval");
      expect((await git('rev-parse', 'HEAD')).trim()).toBe(head);
      expect(await git('branch', '--list', 'modelplane/*')).toBe('');
    } finally {
      await git('checkout', '--quiet', '--force', 'main');
      await git('branch', '--quiet', '-D', 'unapproved');
    }
  });
});

describe('branches and leftovers', () => {
  const BRANCH = 'modelplane/prod/photo-moderation/release-3.3.0';
  const release = () => cli('release', 'photo-moderation', '3.3.0', '--env', 'prod', '--no-pr');
  const worktrees = async () => (await git('worktree', 'list', '--porcelain')).split('\n').filter((l) => l.startsWith('worktree '));

  it('a second release from main finds its branch holding exactly this change and leaves it as it is', async () => {
    const first = await release();
    expect(first.code, first.stderr).toBe(0);
    const sha = (await git('rev-parse', BRANCH)).trim();
    await git('checkout', '--quiet', 'main');
    const second = await release();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('already made: the branch holds exactly this change');
    expect((await git('rev-parse', BRANCH)).trim()).toBe(sha);
  });

  it('refuses, naming the commit, when the branch of that name holds someone else’s change', async () => {
    await git('checkout', '--quiet', '-b', BRANCH);
    await repo.write('notes.txt', 'not a release\n');
    await git('add', 'notes.txt');
    await git('commit', '--quiet', '-m', 'a hand-made commit on the bot branch');
    const theirs = (await git('rev-parse', 'HEAD')).trim();
    await git('checkout', '--quiet', 'main');
    const result = await release();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`branch ${BRANCH} already exists with different content: it has commits that are not modelplane's release of photo-moderation 3.3.0 in prod: ${theirs.slice(0, 12)} (a hand-made commit on the bot branch)`);
    expect((await git('rev-parse', BRANCH)).trim()).toBe(theirs);
    expect((await git('rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('main');
    expect(await git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('replaces its own stale copy of the change computed on an older base', async () => {
    const first = await release();
    expect(first.code, first.stderr).toBe(0);
    const old = (await git('rev-parse', BRANCH)).trim();
    await git('checkout', '--quiet', '-b', 'moved-on', 'main');
    try {
      await repo.edit('models/card-fraud.ts', '// Owned by @acme/risk-ml.', '// Owned by @acme/risk-ml (on-call: risk-oncall).');
      await git('commit', '--quiet', '-am', 'card-fraud: on-call note');
      const moved = (await git('rev-parse', 'HEAD')).trim();
      const second = await release();
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toContain(`replaced branch ${BRANCH} (${old.slice(0, 12)}), which held an older version of this change`);
      expect((await git('rev-parse', `${BRANCH}^`)).trim()).toBe(moved);
    } finally {
      await git('checkout', '--quiet', '--force', 'main');
      await git('branch', '--quiet', '-D', 'moved-on');
    }
  });

  it('a release killed at any moment (SIGKILL) leaves nothing that blocks the next: it succeeds and no worktree stays registered', async () => {
    // Kill points spread over a run (a fixed list, not timing assertions: whatever a kill interrupts, the next run must succeed).
    for (const delayMs of [300, 1500, 3000, 6000]) {
      // Its own process group, killed as a whole (as CI cancels a job): the git processes it started die with it.
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/modelplane.js'), '--root', repo.root, 'release', 'photo-moderation', '3.3.0', '--env', 'prod', '--no-pr'], {
        cwd: repo.root,
        env: { ...process.env, ...IDENTITY, GITHUB_ACTIONS: undefined },
        stdio: 'ignore',
        detached: true,
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the run had already ended
      }
      await exited;
      // A run that got to the end checked its branch out: the next run starts from main again.
      if ((await git('rev-parse', '--abbrev-ref', 'HEAD')).trim() === BRANCH) await git('checkout', '--quiet', 'main');
      const next = await release();
      expect(next.code, `after a kill at ${delayMs} ms: ${next.stderr}`).toBe(0);
      expect(await worktrees(), `after a kill at ${delayMs} ms`).toEqual([`worktree ${await realRoot()}`]);
      expect((await readdir(repo.root)).filter((n) => n.startsWith('.modelplane-'))).toEqual([]);
      expect(await git('status', '--porcelain', '--untracked-files=all')).toBe('');
      await git('checkout', '--quiet', 'main');
      await git('branch', '--quiet', '-D', BRANCH);
    }
  }, 600_000);

  it('SIGTERM during a release removes its worktree before it exits', async () => {
    for (const delayMs of [1500, 3000]) {
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/modelplane.js'), '--root', repo.root, 'release', 'photo-moderation', '3.3.0', '--env', 'prod', '--no-pr'], {
        cwd: repo.root,
        env: { ...process.env, ...IDENTITY, GITHUB_ACTIONS: undefined },
        stdio: 'ignore',
        detached: true,
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      // To the process group, as a terminal's Ctrl-C or a CI cancel does.
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // the run had already ended
      }
      const code = await exited;
      expect([0, 143, null]).toContain(code);
      expect(await worktrees(), `after SIGTERM at ${delayMs} ms`).toEqual([`worktree ${await realRoot()}`]);
      await git('checkout', '--quiet', '--force', 'main');
      await git('branch', '--quiet', '-D', BRANCH).catch(() => undefined);
    }
  }, 300_000);
});

async function realRoot(): Promise<string> {
  return (await git('rev-parse', '--show-toplevel')).trim();
}
