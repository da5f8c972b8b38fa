/**
 * Pull requests of `modelplane release` against a fake GitHub (a real HTTP
 * server on 127.0.0.1, see ../support/github-server.ts), with failures injected
 * on the wire: rate limits with retry-after, secondary rate limits, 5xx, 422
 * from a moving ref, dropped connections.
 *
 * Every scenario releases photo-moderation 3.3.0 in prod from its own clone of
 * one committed copy of the fixture platform (3.3.0 published to the prod
 * bucket; `main` on the fake points at that commit) against its own fake.
 * Octokit's throttling spaces write requests by a second and the retries back
 * off by seconds, so one scenario takes 15–30 s of mostly waiting: all of them
 * start together when the file starts, and each test awaits its own and
 * asserts on what the fake recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneRepo, gitIn, makeReleasableRepo, type Clone } from '../support/git-repo.js';
import { on, startFakeGitHub, type FakeGitHub, type FaultRule, type RecordedRequest } from '../support/github-server.js';
import type { Repo, RunResult } from '../support/repo.js';

const R = '/repos/acme/ml-platform';
const BRANCH = 'modelplane/prod/photo-moderation/release-3.3.0';
const RELEASE = ['release', 'photo-moderation', '3.3.0', '--env', 'prod'] as const;
const TRAILERS = 'Modelplane-Model: photo-moderation\nModelplane-Env: prod\nModelplane-Action: release\nModelplane-Version: 3.3.0\nModelplane-Step: photo-moderation prod 3.3.0 0';
const SPLIT = '3.2.0 100% → 3.2.0 95% / 3.3.0 5%';
const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
/** A stack trace line: only --debug may print one. */
const STACK = /^\s+at .+:\d+/m;
const TIMEOUT = 150_000;

interface Outcome {
  readonly github: FakeGitHub;
  readonly clone: Clone;
  readonly runs: readonly RunResult[];
}
interface Scenario {
  readonly faults: readonly FaultRule[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Runs of `release` one after the other. @default 1 */
  readonly runs?: number;
  promise?: Promise<Outcome>;
}

let base: { repo: Repo; head: string };
const scenarios: Scenario[] = [];
const cleanups: (() => Promise<void>)[] = [];

/** Declares a scenario; it starts with all the others in beforeAll. Call the result in a test to get its outcome. */
function scenario(s: Omit<Scenario, 'promise'>): () => Promise<Outcome> {
  const entry: Scenario = { ...s };
  scenarios.push(entry);
  return () => entry.promise!;
}

async function start(s: Scenario): Promise<Outcome> {
  const clone = await cloneRepo(base.repo.root);
  const github = await startFakeGitHub({ baseSha: base.head });
  cleanups.push(() => github.close(), () => clone.cleanup());
  github.fault(...s.faults);
  const runs: RunResult[] = [];
  for (let i = 0; i < (s.runs ?? 1); i++) runs.push(await clone.run(RELEASE, { ...github.env, ...s.env }));
  return { github, clone, runs };
}

beforeAll(async () => {
  base = await makeReleasableRepo();
  for (const s of scenarios) {
    s.promise = start(s);
    // Failures are reported by the test that awaits the scenario.
    s.promise.catch(() => undefined);
  }
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(scenarios.map((s) => s.promise));
  await Promise.all(cleanups.map((c) => c()));
  await base?.repo.cleanup();
});

const count = (github: FakeGitHub, method: string, path: string | RegExp) => github.find(method, path).length;
const gap = (a: RecordedRequest, b: RecordedRequest) => b.time - a.time;

/** The branch holds one commit on main with the change and the trailers; exactly one open pull request for it. */
function expectOnePullRequest(github: FakeGitHub): void {
  expect([...github.refs.keys()].sort()).toEqual(['main', BRANCH]);
  expect(github.refs.get('main')).toBe(base.head);
  expect(github.pulls).toHaveLength(1);
  const [pr] = github.pulls;
  expect(pr).toMatchObject({ state: 'open', head: { ref: BRANCH }, base: { ref: 'main' } });
  expect(pr.title).toBe('release photo-moderation 3.3.0 to prod: canary step 0 (5%)');
  expect(pr.body).toContain(SPLIT);
  expect([...pr.labels].sort()).toEqual(['action:release', 'env:prod', 'modelplane']);
  const commit = github.commits.get(github.refs.get(BRANCH)!)!;
  expect(commit.parents).toEqual([base.head]);
  expect(commit.message).toContain(TRAILERS);
}

/** Every branch other than main has an open pull request: nothing half-made is left behind. */
function expectNoOrphanBranch(github: FakeGitHub): void {
  for (const branch of github.refs.keys()) {
    if (branch === 'main') continue;
    expect(
      github.pulls.some((p) => p.head.ref === branch && p.state === 'open'),
      `branch ${branch} was left without a pull request`,
    ).toBe(true);
  }
}

/** A failed run: exit 3 and one clear line, no stack trace. */
function expectExternalFailure(run: RunResult): void {
  expect(run.code, run.stderr).toBe(3);
  expect(run.stderr).toMatch(/^modelplane: .*GitHub/m);
  expect(run.stderr).not.toMatch(STACK);
  expect(run.stderr).not.toContain('internal error');
  expect(run.stdout).not.toMatch(/opened pull request|updated pull request/);
}

/** The user's checkout is untouched: still main at the same commit, clean, no local branch or worktree left. */
async function expectCheckoutUntouched(clone: Clone): Promise<void> {
  expect((await clone.git('rev-parse', 'HEAD')).trim()).toBe(base.head);
  expect((await clone.git('rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('main');
  expect(await clone.git('status', '--porcelain', '--untracked-files=all')).toBe('');
  expect((await clone.git('for-each-ref', '--format=%(refname:short)', 'refs/heads/')).trim()).toBe('main');
  expect((await clone.git('worktree', 'list', '--porcelain')).match(/^worktree /gm)).toHaveLength(1);
}

describe('release opens a pull request', () => {
  const twice = scenario({ faults: [], runs: 2 });

  it(
    'opens exactly one pull request on its branch and updates the same one when run again',
    async () => {
      const { github, clone, runs } = await twice();
      const [first, second] = runs;
      expect(first.code, first.stderr).toBe(0);
      expect(second.code, second.stderr).toBe(0);
      expect(first.stdout).toContain(`opened pull request #1 https://github.com/acme/ml-platform/pull/1 (branch ${BRANCH}`);
      expect(second.stdout).toContain('updated pull request #1');

      expectOnePullRequest(github);
      expect(count(github, 'POST', `${R}/pulls`)).toBe(1);
      const patches = github.find('PATCH', `${R}/pulls/1`);
      expect(patches).toHaveLength(1);
      expect(patches[0].body.body).toContain(SPLIT);
      expect(count(github, 'POST', `${R}/git/refs`)).toBe(1);
      expect(github.find('POST', `${R}/git/refs`)[0].body).toMatchObject({ ref: `refs/heads/${BRANCH}` });
      // The second run moves the same branch to a commit on the current base.
      const update = github.find('PATCH', `${R}/git/refs/heads/${BRANCH}`);
      expect(update).toHaveLength(1);
      expect(update[0].body).toMatchObject({ force: true });
      expect(count(github, 'DELETE', /\/git\/refs\//)).toBe(0);
      expect(count(github, 'POST', `${R}/issues/1/labels`)).toBe(2);
      for (const r of github.requests) expect(r.headers.authorization).toBe('token ghs_faketoken');
    },
    TIMEOUT,
  );

  it(
    'puts the plan in the body and the change, with the Modelplane trailers, in one commit',
    async () => {
      const { github, clone } = await twice();
      const [pr] = github.pulls;
      expect(pr.body).toContain("Starts a canary of photo-moderation 3.3.0 in prod with policy 'progressive'");
      expect(pr.body).toContain('<!-- modelplane-plan -->');
      expect(pr.body).toContain(`| \`photo-moderation\` | changed | 3.2.0 → 3.2.0; canary 3.3.0 (step 0) | ${SPLIT} |`);
      const commit = github.commits.get(github.refs.get(BRANCH)!)!;
      expect(commit.message).toMatch(/^release photo-moderation 3\.3\.0 to prod: canary step 0 \(5%\)\n\n/);
      expect(commit.message.trimEnd().endsWith(TRAILERS)).toBe(true);

      // The commit's tree: the model file and prod's generated objects, nothing else.
      const tree = github.trees.get(commit.tree)!;
      const paths = tree.tree.map((e) => e.path).sort();
      expect(paths).toEqual(expect.arrayContaining(['models/photo-moderation.ts', 'generated/prod/photo-moderation/httproute-photo-moderation.yaml', 'generated/prod/photo-moderation/inferenceservice-photo-moderation-v3-3-0.yaml']));
      expect(paths.every((p) => p === 'models/photo-moderation.ts' || p.startsWith('generated/prod/')), paths.join('\n')).toBe(true);
      const model = github.blobs.get(tree.tree.find((e) => e.path === 'models/photo-moderation.ts')!.sha!)!;
      expect(model).toContain("canary: { version: '3.3.0', policy: 'progressive', step: 0 }");
      expect(tree.base_tree).toBe(github.commits.get(base.head)!.tree);

      await expectCheckoutUntouched(clone);
    },
    TIMEOUT,
  );
});

describe('rate limits', () => {
  // One run meets both: a 429 on the first blob, then a secondary rate limit on the tree.
  const limited = scenario({
    faults: [
      { match: on('POST', `${R}/git/blobs`), respond: { status: 429, headers: { 'retry-after': '2' }, body: { message: 'API rate limit exceeded' } } },
      {
        match: on('POST', `${R}/git/trees`),
        respond: { status: 403, headers: { 'retry-after': '1' }, body: { message: SECONDARY, documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' } },
      },
    ],
  });

  it(
    'waits the retry-after of a 429 before repeating the request, then succeeds',
    async () => {
      const { github, runs } = await limited();
      expect(runs[0].code, runs[0].stderr).toBe(0);
      const blobs = github.find('POST', `${R}/git/blobs`);
      expect(blobs[0].outcome).toBe(429);
      expect(blobs[1].outcome).toBe(201);
      expect(blobs[1].body).toEqual(blobs[0].body);
      expect(gap(blobs[0], blobs[1])).toBeGreaterThanOrEqual(2000);
      expect(gap(blobs[0], blobs[1])).toBeLessThan(10_000);
      // Only the limited request was repeated.
      const tree = github.trees.get(github.commits.get(github.refs.get(BRANCH)!)!.tree)!;
      expect(blobs).toHaveLength(tree.tree.filter((e) => e.sha !== null).length + 1);
      expect(runs[0].stderr).toMatch(/429.*waiting 2 s/);
      expectOnePullRequest(github);
    },
    TIMEOUT,
  );

  it(
    'waits out a secondary rate limit (403 with retry-after) and succeeds',
    async () => {
      const { github, runs } = await limited();
      expect(runs[0].code, runs[0].stderr).toBe(0);
      const trees = github.find('POST', `${R}/git/trees`);
      expect(trees.map((t) => t.outcome)).toEqual([403, 201]);
      expect(gap(trees[0], trees[1])).toBeGreaterThanOrEqual(1000);
      expect(gap(trees[0], trees[1])).toBeLessThan(10_000);
      expect(runs[0].stderr).toMatch(/secondary rate limit.*waiting 1 s/);
      expectOnePullRequest(github);
    },
    TIMEOUT,
  );
});

describe('server errors', () => {
  // One run meets both: two 502s on reading the base commit, then a 502 from POST /pulls that did create the pull request.
  const flaky = scenario({
    faults: [
      { match: on('GET', new RegExp(`^${R}/git/commits/`)), times: 2, respond: { status: 502, body: { message: 'Server Error' } } },
      { match: on('POST', `${R}/pulls`), respond: { status: 502, body: { message: 'Server Error' } }, afterHandling: true },
    ],
  });

  it(
    'retries a GET that failed with 502 twice, with backoff, and succeeds on the third attempt',
    async () => {
      const { github, runs } = await flaky();
      expect(runs[0].code, runs[0].stderr).toBe(0);
      const gets = github.find('GET', new RegExp(`^${R}/git/commits/`));
      expect(gets.map((g) => g.outcome)).toEqual([502, 502, 200]);
      expect(gap(gets[0], gets[1])).toBeGreaterThanOrEqual(1000);
      expect(gap(gets[1], gets[2])).toBeGreaterThanOrEqual(gap(gets[0], gets[1]));
      expectOnePullRequest(github);
    },
    TIMEOUT,
  );

  it(
    'does not repeat POST /pulls blindly after a 5xx: it finds the pull request the server did create and opens no second one',
    async () => {
      const { github, runs } = await flaky();
      expect(runs[0].code, runs[0].stderr).toBe(0);
      expect(count(github, 'POST', `${R}/pulls`)).toBe(1);
      const after = github.requests.slice(github.requests.indexOf(github.find('POST', `${R}/pulls`)[0]) + 1);
      expect(after[0]).toMatchObject({ method: 'GET', path: `${R}/pulls` });
      expect(after[0].query.get('head')).toBe(`acme:${BRANCH}`);
      expect(count(github, 'PATCH', `${R}/pulls/1`)).toBe(1);
      expect(runs[0].stdout).toContain('pull request #1');
      expectOnePullRequest(github);
    },
    TIMEOUT,
  );
});

describe('a ref that moves while the change is made', () => {
  const exists = scenario({ faults: [{ match: on('POST', `${R}/git/refs`), respond: { status: 422, body: { message: 'Reference already exists' } } }] });

  it(
    'reads the base ref again, recomputes the change and retries when creating the branch answers 422 "Reference already exists"',
    async () => {
      const { github, runs } = await exists();
      expect(runs[0].code, runs[0].stderr).toBe(0);
      const bases = github.find('GET', `${R}/git/ref/heads/main`);
      expect(bases).toHaveLength(2);
      const creates = github.find('POST', `${R}/git/refs`);
      expect(creates.map((w) => w.outcome)).toEqual([422, 201]);
      // The base is read again after the 422, and a new commit is made on it before the retry.
      expect(bases[1].time).toBeGreaterThan(creates[0].time);
      const commits = github.find('POST', `${R}/git/commits`);
      expect(commits).toHaveLength(2);
      expect(commits[1].time).toBeGreaterThan(bases[1].time);
      expect(creates[1].time).toBeGreaterThan(commits[1].time);
      expect(count(github, 'POST', `${R}/pulls`)).toBe(1);
      expectOnePullRequest(github);
    },
    TIMEOUT,
  );
});

describe('a GitHub that does not work', () => {
  const always500 = scenario({ faults: [{ match: () => true, always: true, respond: { status: 500, body: { message: 'Internal Server Error' } } }] });
  const alwaysReset = scenario({ faults: [{ match: () => true, always: true, respond: 'reset' }] });
  const resetOnPulls = scenario({ faults: [{ match: on('POST', `${R}/pulls`), always: true, respond: 'reset' }] });
  const noToken = scenario({ faults: [], env: { GITHUB_TOKEN: undefined } });

  it.each([
    ['answers 500 to every request', always500],
    ['drops every connection', alwaysReset],
  ] as const)(
    'exits 3 with a clear message and leaves no branch when the server %s',
    async (_what, outcome) => {
      const { github, clone, runs } = await outcome();
      expectExternalFailure(runs[0]);
      // Bounded: the first request (the repository's default branch) is tried 1 + 3 times, nothing after it.
      expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual(Array(4).fill(`GET ${R}`));
      expect(github.requests.filter((r) => r.method === 'POST' && r.path === `${R}/git/refs` && r.outcome === 201)).toEqual([]);
      expect([...github.refs.keys()]).toEqual(['main']);
      expectNoOrphanBranch(github);
      await expectCheckoutUntouched(clone);
    },
    TIMEOUT,
  );

  it(
    'deletes the branch it created when the connection drops on every POST /pulls, and says no pull request was opened',
    async () => {
      const { github, clone, runs } = await resetOnPulls();
      expectExternalFailure(runs[0]);
      expect(runs[0].stderr).toContain(`no pull request was opened for ${BRANCH}`);
      const created = github.find('POST', `${R}/git/refs`);
      expect(created.map((c) => c.outcome)).toEqual([201]);
      const posts = github.find('POST', `${R}/pulls`);
      expect(posts.length).toBeGreaterThanOrEqual(1);
      expect(posts.length).toBeLessThanOrEqual(3);
      expect(posts.every((p) => p.outcome === 'reset')).toBe(true);
      // Each attempt to create the pull request first looks for one.
      for (const p of posts) {
        const before = github.requests[github.requests.indexOf(p) - 1];
        expect(before).toMatchObject({ method: 'GET', path: `${R}/pulls` });
      }
      const deletes = github.find('DELETE', `${R}/git/refs/heads/${BRANCH}`);
      expect(deletes.map((d) => d.outcome)).toEqual([204]);
      expect(deletes[0].time).toBeGreaterThan(posts.at(-1)!.time);
      expect([...github.refs.keys()]).toEqual(['main']);
      expect(github.pulls).toEqual([]);
      await expectCheckoutUntouched(clone);
    },
    TIMEOUT,
  );

  it(
    'exits 3 naming GITHUB_TOKEN when it is not set, without calling GitHub',
    async () => {
      const { github, clone, runs } = await noToken();
      expect(runs[0].code).toBe(3);
      expect(runs[0].stderr).toMatch(/^modelplane: GITHUB_TOKEN is not set/m);
      expect(runs[0].stderr).not.toMatch(STACK);
      expect(github.requests).toEqual([]);
      await expectCheckoutUntouched(clone);
    },
    TIMEOUT,
  );
});

/** Regressions: an empty GITHUB_BASE_REF, and a branch created although the answer was a 502. */
describe('edge cases', () => {
  const emptyBaseRef = scenario({ faults: [], env: { GITHUB_BASE_REF: '' } });
  const refCreatedThenFailed = scenario({ faults: [{ match: on('POST', `${R}/git/refs`), respond: { status: 502, body: { message: 'Server Error' } }, afterHandling: true }] });

  // Actions sets GITHUB_BASE_REF to '' outside pull_request events (workflow_dispatch, schedule).
  it(
    'uses the default branch when GITHUB_BASE_REF is empty, as GitHub Actions sets it on workflow_dispatch',
    async () => {
      const { github, runs } = await emptyBaseRef();
      expect(runs[0].code, runs[0].stderr).toBe(0);
      expectOnePullRequest(github);
    },
    TIMEOUT,
  );

  // createRef is not retried blindly: after a 5xx the client looks whether the ref was created.
  it(
    'leaves no branch without a pull request when the server created the branch but answered 502',
    async () => {
      const { github, runs } = await refCreatedThenFailed();
      if (runs[0].code === 0) expectOnePullRequest(github);
      else expectExternalFailure(runs[0]);
      expectNoOrphanBranch(github);
    },
    TIMEOUT,
  );
});

describe('a pull request carries only what the change owns', () => {
  it(
    'refuses (exit 1, naming the file) when a definition tries to change another file in the temporary worktree; no branch, blob or pull request is made',
    async () => {
      const tampered = await makeReleasableRepo();
      cleanups.push(() => tampered.repo.cleanup());
      const model = await tampered.repo.read('models/card-fraud.ts');
      await tampered.repo.write(
        'models/card-fraud.ts',
        model.replace(
          "import { defineModel } from '../src/index.js';\n",
          "import { appendFileSync } from 'node:fs';\nimport { defineModel } from '../src/index.js';\n\nappendFileSync(new URL('../policies/platform.ts', import.meta.url), '// quota raised by card-fraud\\n');\n",
        ),
      );
      await gitIn(tampered.repo.root, 'commit', '--quiet', '-am', 'card-fraud writes the platform file when imported');
      const head = (await gitIn(tampered.repo.root, 'rev-parse', 'HEAD')).trim();
      const clone = await cloneRepo(tampered.repo.root);
      const github = await startFakeGitHub({ baseSha: head });
      cleanups.push(() => github.close(), () => clone.cleanup());
      const run = await clone.run(RELEASE, github.env);
      expect(run.code, run.stderr).toBe(1);
      // The sandbox refuses the write at import; had it got through, staging would refuse the commit.
      expect(run.stderr).toMatch(/^models\/card-fraud\.ts:\d+:\d+ - error MP1001: .*restricted/m);
      expect(run.stderr).not.toMatch(STACK);
      expect([...github.refs.keys()]).toEqual(['main']);
      expect(github.pulls).toHaveLength(0);
      expect(github.blobs.size).toBe(0);
      expect((await clone.git('worktree', 'list', '--porcelain')).match(/^worktree /gm)).toHaveLength(1);
    },
    TIMEOUT,
  );
});
