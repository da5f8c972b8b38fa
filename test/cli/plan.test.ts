/**
 * `modelplane plan --base REF` in temporary git repositories of the fixture
 * platform (card-fraud and photo-moderation, with photo-moderation 3.3.0
 * published to the prod bucket): commit `reference` is the platform as is,
 * commit `canary` (main) on top of it starts a canary of photo-moderation
 * 3.3.0 at step 0 of 'progressive' (5 %) in prod, and branch `docs-only` adds
 * a README change on top of that. Each test runs in its own clone, so they run
 * at the same time; `--comment` posts to a fake GitHub served on 127.0.0.1.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/index.js';
import { cloneRepo, gitIn, initAndCommit, PROD_URI, STAGING_URI, type Clone } from '../support/git-repo.js';
import { on, startFakeGitHub, type FakeGitHub } from '../support/github-server.js';
import { makeRepo, type Repo } from '../support/repo.js';

const MARKER = '<!-- modelplane-plan -->';
const PROD_BEFORE = "prod: {\n      version: '3.2.0',";
const PROD_CANARY = "prod: {\n      version: '3.2.0',\n      canary: { version: '3.3.0', policy: 'progressive', step: 0 },";
/** The row of the change in the prod table (weights, replicas, GPUs and monthly cost of the warm pools). */
const CANARY_ROW =
  '| `photo-moderation` | changed | 3.2.0 → 3.2.0; canary 3.3.0 (step 0) | 3.2.0 100% → 3.2.0 95% / 3.3.0 5% | 5–10 → 7–14 | 5 → 7 | $4,198 → $5,877 (+$1,679) |';

let source: Repo;
const cleanups: (() => Promise<void>)[] = [];

/** A clone of the source repository on `main` (or `ref`), removed after the file. */
async function checkout(ref?: string): Promise<Clone> {
  const clone = await cloneRepo(source.root);
  cleanups.push(() => clone.cleanup());
  if (ref) await clone.git('checkout', '--quiet', ref);
  return clone;
}
const plan = (clone: Clone, args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}) =>
  clone.run(['plan', ...args], { GITHUB_TOKEN: undefined, GITHUB_EVENT_PATH: undefined, ...env });
async function fake(clone: Clone, comments: Parameters<typeof startFakeGitHub>[0]['comments'] = []): Promise<FakeGitHub> {
  const github = await startFakeGitHub({ baseSha: (await clone.git('rev-parse', 'reference')).trim(), comments });
  cleanups.push(() => github.close());
  return github;
}

beforeAll(async () => {
  source = await makeRepo({ platform: 'fixture', models: ['card-fraud', 'photo-moderation'] });
  const git = (...args: string[]) => gitIn(source.root, ...args);
  await source.edit('models/photo-moderation.ts', STAGING_URI, PROD_URI);
  await source.write('README.md', '# platform\n');
  await initAndCommit(source, 'reference platform');
  await git('tag', 'reference');
  await source.edit('models/photo-moderation.ts', PROD_BEFORE, PROD_CANARY);
  await git('commit', '--quiet', '-am', 'canary of photo-moderation 3.3.0 in prod');
  await git('tag', 'canary');
  await git('checkout', '--quiet', '-b', 'docs-only');
  await source.write('README.md', '# platform\n\nHow to release a model.\n');
  await git('commit', '--quiet', '-am', 'docs');
  await git('checkout', '--quiet', 'main');
});

afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
  await source?.cleanup();
});

describe.concurrent('plan --base HEAD~1 after a commit that starts a canary', () => {
  it('prints the model with its weights, replicas, GPUs and cost before and after as a Markdown table row', async () => {
    const clone = await checkout();
    const r = await plan(clone, ['--base', 'HEAD~1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(MARKER);
    expect(lines[1]).toBe('## modelplane plan against `HEAD~1`');
    expect(lines).toContain('### prod');
    expect(lines).not.toContain('### staging');
    expect(lines).toContain(CANARY_ROW);
    expect(lines).toContain('GPUs by pool: `gpu-l4` 5 → 7.');
    expect(lines.filter((l) => l.startsWith('| `'))).toEqual([CANARY_ROW]);
    expect(r.stdout).toContain('route -- "95%" --> v3_2_0["3.2.0"]');
    expect(r.stdout).toContain('route -- "5%" --> v3_3_0["3.3.0"]');
    // The user's checkout is untouched and no worktree is left behind.
    expect(await clone.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect((await clone.git('worktree', 'list', '--porcelain')).match(/^worktree /gm)).toHaveLength(1);
  });

  it('gives the same numbers with --format json', async () => {
    const r = await plan(await checkout(), ['--base', 'HEAD~1', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Plan;
    expect(json.base).toBe('HEAD~1');
    expect(json.empty).toBe(false);
    const prod = json.environments.find((e) => e.env === 'prod')!;
    expect(json.environments.find((e) => e.env === 'staging')!.changes).toEqual([]);
    expect(prod.changes).toHaveLength(1);
    const [change] = prod.changes;
    expect(change).toMatchObject({
      model: 'photo-moderation',
      kind: 'changed',
      before: { stable: '3.2.0', weights: { '3.2.0': 100 }, replicas: { min: 5, max: 10 }, gpus: 5, pool: 'gpu-l4' },
      after: { stable: '3.2.0', canary: { version: '3.3.0', step: 0, weight: 5 }, weights: { '3.2.0': 95, '3.3.0': 5 }, replicas: { min: 7, max: 14 }, gpus: 7, pool: 'gpu-l4' },
    });
    expect(change.before!.canary).toBeUndefined();
    expect(prod.gpusByPool['gpu-l4']).toEqual({ before: 5, after: 7 });
    // The table's cost cells are the JSON's numbers, rounded to dollars.
    const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;
    expect(`${usd(change.before!.costPerMonthUsd)} → ${usd(change.after!.costPerMonthUsd)} (+${usd(change.after!.costPerMonthUsd - change.before!.costPerMonthUsd)})`).toBe(
      '$4,198 → $5,877 (+$1,679)',
    );
    expect(change.after!.costPerMonthUsd).toBeGreaterThan(change.before!.costPerMonthUsd);
    // The environment's totals move by exactly the model's change.
    expect(prod.costAfter - prod.costBefore).toBeCloseTo(change.after!.costPerMonthUsd - change.before!.costPerMonthUsd, 1);
  });

  it('says the change touches nothing when the commit only edits the README', async () => {
    const clone = await checkout('docs-only');
    expect(await clone.git('diff', '--name-only', 'HEAD~1', 'HEAD')).toBe('README.md\n');
    const r = await plan(clone, ['--base', 'HEAD~1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('This change touches nothing that serves traffic');
    expect(r.stdout).not.toContain('| model |');
  });

  it('exits 1 naming the ref when --base does not exist', async () => {
    const r = await plan(await checkout(), ['--base', 'no-such-ref']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot check out --base no-such-ref');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe.concurrent('plan --comment', () => {
  it('creates one comment with the hidden marker on the pull request, and a second run updates it instead of posting again', async () => {
    const clone = await checkout();
    const github = await fake(clone, [
      { issue_number: 7, body: 'LGTM once the plan is green', user: 'reviewer' },
      { issue_number: 8, body: `${MARKER}\nthe plan of another pull request` },
    ]);
    const first = await plan(clone, ['--base', 'reference', '--comment', '--pr', '7'], github.env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('posted the plan comment on pull request #7');
    expect(github.find('POST', '/repos/acme/ml-platform/issues/7/comments')).toHaveLength(1);
    const mine = () => github.comments.filter((c) => c.issue_number === 7 && c.body.includes(MARKER));
    expect(mine()).toHaveLength(1);
    expect(mine()[0].body.startsWith(MARKER)).toBe(true);
    expect(mine()[0].body).toContain(CANARY_ROW);
    const id = mine()[0].id;

    // The next push to the pull request: the plan changes (nothing left to show against `canary`),
    // and the pull request comes from the event file as in the ci workflow.
    const event = path.join(clone.root, '..', 'event.json');
    await writeFile(event, JSON.stringify({ action: 'synchronize', number: 7, pull_request: { number: 7 } }));
    const second = await plan(clone, ['--base', 'canary', '--comment'], { ...github.env, GITHUB_EVENT_PATH: event });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('updated the plan comment on pull request #7');

    expect(github.find('POST', /\/comments$/)).toHaveLength(1);
    const patches = github.find('PATCH', `/repos/acme/ml-platform/issues/comments/${id}`);
    expect(patches).toHaveLength(1);
    expect(mine()).toHaveLength(1);
    expect(mine()[0].id).toBe(id);
    expect(mine()[0].body).toContain('This change touches nothing that serves traffic');
    // Other comments, and the plan comment of another pull request, are left alone.
    expect(github.comments.find((c) => c.user.login === 'reviewer')!.body).toBe('LGTM once the plan is green');
    expect(github.comments.find((c) => c.issue_number === 8)!.body).toBe(`${MARKER}\nthe plan of another pull request`);
    expect(github.find('PATCH', /\/comments\//)).toHaveLength(1);
    for (const r of github.requests) expect(r.headers.authorization).toBe('token ghs_faketoken');
  });

  it('exits 3 naming GITHUB_TOKEN when there is no token, after printing the plan', async () => {
    const clone = await checkout();
    const github = await fake(clone);
    const r = await plan(clone, ['--base', 'reference', '--comment', '--pr', '7'], { ...github.env, GITHUB_TOKEN: undefined });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(CANARY_ROW);
    expect(r.stderr).toContain('GITHUB_TOKEN');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(github.requests).toEqual([]);
  });

  it('exits 3 with a clear message when GitHub fails, and posts nothing twice', async () => {
    const clone = await checkout();
    const github = await fake(clone);
    github.fault({ match: on('POST', '/repos/acme/ml-platform/issues/9/comments'), respond: { status: 502, body: { message: 'Bad Gateway' } } });
    const r = await plan(clone, ['--base', 'reference', '--comment', '--pr', '9'], github.env);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('cannot post the plan comment');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    // Creating a comment is not idempotent: a 502 is not retried blindly.
    expect(github.requests.filter((q) => q.method === 'POST')).toHaveLength(1);
    expect(github.requests.map((q) => q.method)).toEqual(['GET', 'POST']);
  });
});
