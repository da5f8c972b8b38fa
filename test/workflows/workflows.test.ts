/**
 * The GitHub Actions workflows in .github/workflows: each one passes
 * @action-validator/core (the JSON schema of workflow files, compiled to
 * WebAssembly), runs what the delivery design needs (checks and the plan
 * comment on pull requests, the promoter on a schedule and on Argo CD's
 * dispatch, releases on demand) and gives each job the least privilege: see
 * `leastPrivilegeProblems`.
 */
import validator, { type ValidationError } from '@action-validator/core';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/repo.js';

const DIR = path.join(REPO_ROOT, '.github/workflows');
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const source = (file: string) => readFileSync(path.join(DIR, file), 'utf8');

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly if?: string;
  readonly permissions?: Record<string, string>;
  readonly steps: readonly Step[];
  readonly strategy?: { matrix?: Record<string, unknown> };
}
interface Workflow {
  readonly name: string;
  readonly on: Record<string, any>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}
const workflow = (file: string) => parse(source(file)) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const runStep = (w: Workflow, pattern: RegExp) => steps(w).find((s) => s.run !== undefined && pattern.test(s.run));

/** Errors as lines that say where and what, for assertion messages. */
const describeErrors = (errors: readonly ValidationError[]) => errors.map((e) => `${'path' in e ? e.path : ''} ${e.code}: ${e.title}${e.detail ? ` (${e.detail})` : ''}`).join('\n');

describe('every workflow passes the workflow schema', () => {
  it('finds the five workflows', () => {
    expect(files).toEqual(['ci.yml', 'plan-comment.yml', 'promote.yml', 'release.yml', 'rollback.yml']);
  });

  it.each(files)('%s has no validation errors', (file) => {
    const state = validator.validateWorkflow(source(file));
    expect(state.actionType).toBe('workflow');
    expect(state.errors, describeErrors(state.errors)).toEqual([]);
  });

  it.each([
    ['an unknown top-level key', 'name: broken\non: push\nbogus: true\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n', ''],
    ['no `on`', 'name: broken\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n', '/on'],
    ['a job without runs-on or uses', 'name: broken\non: push\njobs:\n  a:\n    steps:\n      - run: echo\n', '/jobs/a'],
  ])('rejects a workflow with %s', (_what, text, at) => {
    const { errors } = validator.validateWorkflow(text);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((e) => 'path' in e && e.path === at), describeErrors(errors)).toBe(true);
  });

  it('rejects a reference workflow once it is broken', () => {
    const broken = source('ci.yml').replace(/^on:/m, 'onn:');
    expect(validator.validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });
});

/** Expressions allowed inside a `run:` script: none. Untrusted values reach shell only through `env`. */
const EXPRESSION = /\$\{\{/;
/** Commands that load definitions (or run the repository's code). */
const RUNS_REPOSITORY_CODE = /\b(npx|npm|node|modelplane|tsx|vitest)\b/;
const WRITE_SECRETS = /secrets\.GITHUB_TOKEN|secrets\[|secrets\.KUBECONFIG/;

/**
 * What issue 12 asks of every workflow, as a list of problems (empty: fine):
 * checkouts keep no credentials, permissions are none at the top and granted
 * per job, no expression is expanded inside a shell script, and a job that can
 * write (a write permission or a secret) never runs the repository's code in
 * a step that holds the secret.
 */
export function leastPrivilegeProblems(text: string): string[] {
  const w = parse(text) as Workflow;
  const problems: string[] = [];
  if (!w.permissions || Object.keys(w.permissions).length > 0) problems.push('top-level permissions must be {} (granted per job)');
  for (const [id, job] of Object.entries(w.jobs)) {
    if (!job.permissions) problems.push(`job ${id} declares no permissions`);
    job.steps.forEach((step, i) => {
      const where = `job ${id} step ${step.name ?? i}`;
      if (step.uses?.startsWith('actions/checkout@') && step.with?.['persist-credentials'] !== false) problems.push(`${where}: checkout without persist-credentials: false`);
      if (step.run !== undefined && EXPRESSION.test(step.run)) problems.push(`${where}: an expression inside run (pass it through env)`);
      const secret = Object.values(step.env ?? {}).some((v) => WRITE_SECRETS.test(String(v))) || Object.values(step.with ?? {}).some((v) => WRITE_SECRETS.test(String(v)));
      if (secret && step.run !== undefined && /\bmodelplane plan\b/.test(step.run)) problems.push(`${where}: the plan is computed in a step that holds a token`);
    });
  }
  return problems;
}

describe('least privilege in every workflow', () => {
  it.each(files)('%s has no least-privilege problem', (file) => {
    expect(leastPrivilegeProblems(source(file))).toEqual([]);
  });

  it.each([
    ['a checkout that keeps its credentials', (t: string) => t.replace(/\n {10}persist-credentials: false/, ''), 'persist-credentials'],
    ['write permissions for the whole workflow', (t: string) => t.replace(/^permissions: \{\}$/m, 'permissions:\n  contents: write'), 'top-level permissions'],
    ['the base ref expanded inside the script', (t: string) => t.replace('"origin/$BASE_REF"', '"origin/${{ github.base_ref }}"'), 'expression inside run'],
    ['a token in the planning step', (t: string) => t.replace('          BASE_REF: ${{ github.base_ref }}', '          BASE_REF: ${{ github.base_ref }}\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}'), 'holds a token'],
  ])('finds %s', (_what, change, problem) => {
    const broken = change(source('ci.yml'));
    expect(broken).not.toBe(source('ci.yml'));
    expect(leastPrivilegeProblems(broken).join('\n')).toContain(problem);
  });
});

describe('ci.yml', () => {
  const ci = workflow('ci.yml');

  it('runs on pull requests and on pushes to main', () => {
    expect(Object.keys(ci.on)).toContain('pull_request');
    expect(ci.on.push).toEqual({ branches: ['main'] });
  });

  it('validates, checks generated/ with synth --check and runs the tests', () => {
    expect(runStep(ci, /\bmodelplane validate\b/)).toBeDefined();
    expect(runStep(ci, /\bmodelplane synth --check\b/)).toBeDefined();
    expect(runStep(ci, /\bnpm (run )?test\b|\bvitest run\b/)).toBeDefined();
  });

  it('holds no write permission and no token in any job: they all run the pull request\'s code', () => {
    for (const [id, job] of Object.entries(ci.jobs)) {
      expect(Object.values(job.permissions ?? {}).filter((p) => p !== 'read' && p !== 'none'), id).toEqual([]);
      for (const step of job.steps) expect(JSON.stringify(step), id).not.toMatch(/secrets\./);
    }
  });

  it('runs the cluster suite in its own job, with the upstream binaries cached by their pins, never in the unit-test job', () => {
    const cluster = ci.jobs.cluster;
    expect(cluster.steps.find((s) => s.run !== undefined && /\bnpm run cluster -- test\b/.test(s.run))).toBeDefined();
    const cache = cluster.steps.find((s) => s.uses?.startsWith('actions/cache@'));
    expect(cache?.with?.path).toBe('~/.cache/modelplane-cluster');
    expect(cache?.with?.key).toMatch(/hashFiles\('test\/cluster\/build\/\*\/go\.mod', 'test\/cluster\/build\/\*\/go\.sum'\)/);
    expect(cluster.if).toBe(ci.jobs.check.if);
    // `npm test` would run the suite again inside the fast job.
    expect(ci.jobs.check.steps.some((s) => s.run !== undefined && /\bnpm (run )?test\b|\bnpm run cluster\b/.test(s.run))).toBe(false);
  });

  it('computes the plan on pull requests against the base branch, without --comment, and keeps it as an artifact', () => {
    const plan = ci.jobs.plan;
    expect(plan.if).toMatch(/github\.event_name\s*==\s*'pull_request'/);
    const step = plan.steps.find((s) => s.run !== undefined && /\bmodelplane plan\b/.test(s.run));
    expect(step?.run).toMatch(/--base "origin\/\$BASE_REF"/);
    expect(step?.run).not.toMatch(/--comment/);
    expect(step?.env?.BASE_REF).toBe('${{ github.base_ref }}');
    const upload = plan.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with?.name).toBe('plan');
    // plan --base origin/<base> needs the base branch's history.
    expect(plan.steps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with?.['fetch-depth']).toBe(0);
  });
});

describe('rollback.yml: the fast path of pre-approved reverts', () => {
  const rollback = workflow('rollback.yml');
  const job = rollback.jobs['synth-check'];
  const ci = workflow('ci.yml');

  it('runs only for modelplane/rollback/* branches, which ci.yml skips its full check for', () => {
    expect(Object.keys(rollback.on)).toEqual(['pull_request']);
    expect(job.if).toBe("startsWith(github.head_ref, 'modelplane/rollback/')");
    expect(ci.jobs.check.if).toBe("${{ !startsWith(github.head_ref, 'modelplane/rollback/') }}");
  });

  it('checks generated/ with synth --check and runs no tests', () => {
    expect(runStep(rollback, /\bmodelplane synth --check\b/)).toBeDefined();
    expect(runStep(rollback, /\bnpm (run )?test\b|\bvitest\b|\bmodelplane validate\b/)).toBeUndefined();
  });

  it('first proves the branch is one rollback commit by the bot touching only owned paths, before any repository code runs', () => {
    const proof = job.steps.findIndex((s) => s.run !== undefined && /Modelplane-Action/.test(s.run));
    const install = job.steps.findIndex((s) => s.run !== undefined && /\bnpm ci\b/.test(s.run));
    expect(proof).toBeGreaterThanOrEqual(0);
    expect(proof).toBeLessThan(install);
    const run = job.steps[proof].run!;
    expect(run).toMatch(/rollback\|abort\)/);
    expect(run).toMatch(/models\/\[\^\/\]\+\\\.ts\|generated\/\.\*\|\\\.github\/CODEOWNERS/);
    expect(job.steps[proof].env).toMatchObject({ AUTHOR: '${{ github.event.pull_request.user.login }}' });
  });

  it('holds nothing but read access and no secret', () => {
    expect(job.permissions).toEqual({ contents: 'read' });
    expect(JSON.stringify(rollback)).not.toMatch(/secrets\./);
  });
});

describe('plan-comment.yml', () => {
  const comment = workflow('plan-comment.yml');
  const job = Object.values(comment.jobs)[0];

  it('runs when ci completes, for pull requests', () => {
    expect(comment.on.workflow_run).toEqual({ workflows: ['ci'], types: ['completed'] });
    expect(job.if).toMatch(/github\.event\.workflow_run\.event\s*==\s*'pull_request'/);
  });

  it('holds the write permission but never checks out, installs or runs the repository', () => {
    expect(job.permissions).toEqual({ actions: 'read', 'pull-requests': 'write' });
    expect(job.steps.some((s) => s.uses?.startsWith('actions/checkout@'))).toBe(false);
    for (const step of job.steps) if (step.run !== undefined) expect(step.run).not.toMatch(RUNS_REPOSITORY_CODE);
  });

  it("reads the plan artifact of the ci run and checks that the pull request is the run's", () => {
    const download = job.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'));
    expect(download?.with).toMatchObject({ name: 'plan', 'run-id': '${{ github.event.workflow_run.id }}' });
    const script = job.steps.find((s) => s.uses?.startsWith('actions/github-script@'));
    expect(script?.env?.HEAD_SHA).toBe('${{ github.event.workflow_run.head_sha }}');
    expect(String(script?.with?.script)).toContain('pr.head.sha !== process.env.HEAD_SHA');
    expect(String(script?.with?.script)).toContain('<!-- modelplane-plan -->');
  });
});

describe('promote.yml', () => {
  const promote = workflow('promote.yml');
  const job = Object.values(promote.jobs)[0];
  const index = (pattern: RegExp) => job.steps.findIndex((s) => s.run !== undefined && pattern.test(s.run));

  it("runs every five minutes and when Argo CD dispatches 'analysis-finished'", () => {
    expect(promote.on.schedule).toEqual([{ cron: '*/5 * * * *' }]);
    expect(promote.on.repository_dispatch).toEqual({ types: ['analysis-finished'] });
  });

  it('promotes each environment with a token, one run at a time', () => {
    const step = runStep(promote, /\bmodelplane promote\b/);
    expect(step).toBeDefined();
    expect(step!.run).toMatch(/--env "\$ENVIRONMENT"/);
    expect(step!.env?.ENVIRONMENT).toBe('${{ matrix.environment }}');
    expect(step!.env?.GITHUB_TOKEN).toMatch(/secrets\.GITHUB_TOKEN/);
    expect(job.strategy?.matrix?.environment).toEqual(['staging', 'prod']);
    expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    expect((parse(source('promote.yml')) as { concurrency?: { 'cancel-in-progress'?: boolean } }).concurrency?.['cancel-in-progress']).toBe(false);
  });

  it('loads the definitions before any credential exists in the job', () => {
    const validate = index(/\bmodelplane validate\b/);
    expect(validate).toBeGreaterThan(-1);
    const firstSecret = job.steps.findIndex((s) => JSON.stringify(s).includes('secrets'));
    expect(validate).toBeLessThan(firstSecret);
  });

  it('holds cluster credentials only in the step that reads the AnalysisRuns, which runs nothing of the repository', () => {
    const holders = job.steps.filter((s) => JSON.stringify(s).includes('KUBECONFIG_'));
    expect(holders).toHaveLength(1);
    expect(holders[0].run).toMatch(/kubectl get analysisruns/);
    expect(holders[0].run).toMatch(/trap 'rm -f "\$kubeconfig"' EXIT/);
    expect(holders[0].run).not.toMatch(RUNS_REPOSITORY_CODE);
    expect(holders[0].run).not.toMatch(/~\/\.kube|GITHUB_ENV/);
    // promote reads the AnalysisRuns that step wrote, not the cluster.
    expect(runStep(promote, /\bmodelplane promote\b/)!.run).toMatch(/--status-file "\$RUNNER_TEMP\/analysisruns\.json"/);
    expect(index(/kubectl get analysisruns/)).toBeLessThan(index(/\bmodelplane promote\b/));
  });
});

describe('release.yml', () => {
  const release = workflow('release.yml');
  const job = Object.values(release.jobs)[0];

  it('is started by hand with the model, the version and the environment', () => {
    const inputs = release.on.workflow_dispatch?.inputs as Record<string, { required?: boolean; type?: string; options?: string[] }>;
    expect(Object.keys(inputs).sort()).toEqual(['environment', 'model', 'version']);
    for (const input of Object.values(inputs)) expect(input.required).toBe(true);
    expect(inputs.environment).toMatchObject({ type: 'choice', options: ['staging', 'prod'] });
  });

  it('passes the inputs to modelplane release through the environment, not into the script', () => {
    const step = runStep(release, /\bmodelplane release\b/);
    expect(step).toBeDefined();
    expect(step!.run).toBe('npx modelplane release "$MODEL" "$VERSION" --env "$ENVIRONMENT"');
    expect(step!.env).toMatchObject({ MODEL: '${{ inputs.model }}', VERSION: '${{ inputs.version }}', ENVIRONMENT: '${{ inputs.environment }}' });
    expect(step!.env?.GITHUB_TOKEN).toMatch(/secrets\.GITHUB_TOKEN/);
    expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });

  it('checks the definitions before the step that holds the token', () => {
    const validate = job.steps.findIndex((s) => s.run !== undefined && /\bmodelplane validate\b/.test(s.run));
    const token = job.steps.findIndex((s) => JSON.stringify(s).includes('secrets.GITHUB_TOKEN'));
    expect(validate).toBeGreaterThan(-1);
    expect(validate).toBeLessThan(token);
  });
});
