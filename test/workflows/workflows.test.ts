/**
 * The GitHub Actions workflows in .github/workflows: each one passes
 * @action-validator/core (the JSON schema of workflow files, compiled to
 * WebAssembly), and runs what the delivery design needs: checks and the plan
 * comment on pull requests, the promoter on a schedule and on Argo CD's
 * dispatch, releases on demand.
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
interface Workflow {
  readonly name: string;
  readonly on: Record<string, any>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, { readonly steps: readonly Step[]; readonly strategy?: { matrix?: Record<string, unknown> } }>;
}
const workflow = (file: string) => parse(source(file)) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const runStep = (w: Workflow, pattern: RegExp) => steps(w).find((s) => s.run !== undefined && pattern.test(s.run));

/** Errors as lines that say where and what, for assertion messages. */
const describeErrors = (errors: readonly ValidationError[]) => errors.map((e) => `${'path' in e ? e.path : ''} ${e.code}: ${e.title}${e.detail ? ` (${e.detail})` : ''}`).join('\n');

describe('every workflow passes the workflow schema', () => {
  it('finds the three workflows', () => {
    expect(files).toEqual(['ci.yml', 'promote.yml', 'release.yml']);
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

  it('posts the plan as a comment on pull requests only, with a token and the full history', () => {
    const plan = runStep(ci, /\bmodelplane plan\b/);
    expect(plan).toBeDefined();
    expect(plan!.run).toMatch(/--comment\b/);
    expect(plan!.run).toMatch(/--base\s+"?origin\/\$\{\{\s*github\.base_ref\s*\}\}"?/);
    expect(plan!.if).toMatch(/github\.event_name\s*==\s*'pull_request'/);
    expect(plan!.env?.GITHUB_TOKEN).toMatch(/secrets\.GITHUB_TOKEN/);
    expect(ci.permissions?.['pull-requests']).toBe('write');
    // plan --base origin/<base> needs the base branch's history.
    const checkout = steps(ci).find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['fetch-depth']).toBe(0);
  });
});

describe('promote.yml', () => {
  const promote = workflow('promote.yml');

  it("runs every five minutes and when Argo CD dispatches 'analysis-finished'", () => {
    expect(promote.on.schedule).toEqual([{ cron: '*/5 * * * *' }]);
    expect(promote.on.repository_dispatch).toEqual({ types: ['analysis-finished'] });
  });

  it('promotes each environment with a token, one run at a time', () => {
    const step = runStep(promote, /\bmodelplane promote\b/);
    expect(step).toBeDefined();
    expect(step!.run).toMatch(/--env\s+\$\{\{\s*matrix\.environment\s*\}\}/);
    expect(step!.env?.GITHUB_TOKEN).toMatch(/secrets\.GITHUB_TOKEN/);
    expect(Object.values(promote.jobs)[0].strategy?.matrix?.environment).toEqual(['staging', 'prod']);
    expect(promote.permissions).toMatchObject({ contents: 'write', 'pull-requests': 'write' });
    expect((parse(source('promote.yml')) as { concurrency?: { 'cancel-in-progress'?: boolean } }).concurrency?.['cancel-in-progress']).toBe(false);
  });
});

describe('release.yml', () => {
  const release = workflow('release.yml');

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
    expect(release.permissions).toMatchObject({ contents: 'write', 'pull-requests': 'write' });
  });
});
