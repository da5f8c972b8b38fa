/**
 * The promoter's decision table: `decide` on card-fraud in prod as the
 * fixture platform resolves it (a canary of 4.2.0 at step 1 of 'progressive',
 * steps 5/25/50/75 % with 10 m pauses), with the canary step, the AnalysisRun
 * status and the clock varied per case. Pure: no files, no git, no cluster.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { STEP_GRACE_SECONDS, stepDeadlineSeconds } from '../../src/metrics/index.js';
import { decide, parseAnalysisRuns, type AnalysisRunStatus, type DecisionInput } from '../../src/rollout/index.js';
import { resolvePlatform, type ResolvedModel, type ResolvedPolicy } from '../../src/resolve/index.js';
import { validateDefinitions } from '../../src/validate/index.js';
import { fixtureDefinitions } from '../support/definitions.js';

const NOW = new Date('2026-11-02T12:00:00Z');
/** `seconds` before NOW, as ISO 8601. */
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();
const agoDate = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

let fraud: ResolvedModel;
let progressive: ResolvedPolicy;
/** Deadline of a step of 'progressive': max(1 m delay + 18 × 1 m analysis, 10 m pause) + grace = 1740 s. */
let deadline: number;

beforeAll(async () => {
  const definitions = await fixtureDefinitions();
  expect(validateDefinitions(definitions, NOW).filter((d) => d.severity === 'error')).toEqual([]);
  const platform = resolvePlatform(definitions);
  fraud = platform.environments.find((e) => e.name === 'prod')!.models.find((m) => m.id === 'card-fraud')!;
  progressive = platform.policies.find((p) => p.name === 'progressive')!;
  deadline = stepDeadlineSeconds(progressive, 1);
});

/** card-fraud in prod with its canary at `step` (weight from the policy). */
function atStep(step: number): ResolvedModel {
  return { ...fraud, canary: { ...fraud.canary!, step, weight: progressive.steps[step].weight } };
}

function run(phase: string, startedSecondsAgo?: number, extra: Partial<AnalysisRunStatus> = {}): AnalysisRunStatus {
  return {
    name: `card-fraud-v4-2-0-s1`,
    phase,
    ...(startedSecondsAgo === undefined ? {} : { createdAt: ago(startedSecondsAgo + 5), startedAt: ago(startedSecondsAgo) }),
    metrics: [],
    ...extra,
  };
}

describe('the reference canary the table is built on', () => {
  it('is card-fraud 4.2.0 at step 1 (25 %) of progressive against stable 4.1.0', () => {
    expect(fraud.canary).toEqual({ version: '4.2.0', policy: 'progressive', step: 1, weight: 25, analysisRun: 'card-fraud-v4-2-0-s1' });
    expect(fraud.stable).toBe('4.1.0');
    expect(progressive.steps.map((s) => s.weight)).toEqual([5, 25, 50, 75]);
  });

  it('gives every step of progressive a deadline of its analysis (measured past the pause so no late regression passes) plus the grace period', () => {
    expect(STEP_GRACE_SECONDS).toBe(600);
    // 18 measurements: a regression starting at the end of the 10-minute step, 5m window + 15 s scrape late, still gets 3 failures.
    expect(progressive.tiers[fraud.tier.name].counts).toEqual([18, 18, 18, 18]);
    for (const step of [0, 1, 2, 3]) expect(stepDeadlineSeconds(progressive, step, fraud.tier.name)).toBe(19 * 60 + 600);
  });

  it('uses the pause as the deadline base when the pause is longer than the analysis', () => {
    const slow: ResolvedPolicy = { ...progressive, steps: [{ weight: 10, pause: '1h', pauseSeconds: 3600 }] };
    expect(stepDeadlineSeconds(slow, 0)).toBe(3600 + 600);
  });
});

interface Case {
  readonly title: string;
  readonly input: () => Omit<DecisionInput, 'now'>;
  readonly expected: { action: string; toStep?: number; weight?: number };
  /** A fragment the reason must contain. */
  readonly reason?: RegExp;
}

const CASES: Case[] = [
  // Successful
  {
    title: 'advances a successful step whose pause has elapsed to the next step and its weight',
    input: () => ({ model: atStep(1), policy: progressive, run: run('Successful', 11 * 60) }),
    expected: { action: 'advance', toStep: 2, weight: 50 },
  },
  {
    title: 'advances step 0 to step 1 (25 %)',
    input: () => ({ model: atStep(0), policy: progressive, run: run('Successful', 11 * 60) }),
    expected: { action: 'advance', toStep: 1, weight: 25 },
  },
  {
    title: 'promotes a successful last step',
    input: () => ({ model: atStep(3), policy: progressive, run: run('Successful', 11 * 60) }),
    expected: { action: 'promote' },
    reason: /last step \(3\)/,
  },
  {
    title: 'waits on a successful step whose pause has not elapsed',
    input: () => ({ model: atStep(1), policy: progressive, run: run('Successful', 5 * 60) }),
    expected: { action: 'wait' },
    reason: /pauses 600 s, 300 s elapsed/,
  },
  {
    title: 'waits on a successful last step whose pause has not elapsed instead of promoting',
    input: () => ({ model: atStep(3), policy: progressive, run: run('Successful', 599) }),
    expected: { action: 'wait' },
  },
  {
    title: 'advances exactly when the pause has elapsed',
    input: () => ({ model: atStep(1), policy: progressive, run: run('Successful', 600) }),
    expected: { action: 'advance', toStep: 2, weight: 50 },
  },
  // Failed, errored, inconclusive
  ...['Failed', 'Error', 'Inconclusive'].map(
    (phase): Case => ({
      title: `rolls back a step whose analysis ended ${phase}`,
      input: () => ({ model: atStep(1), policy: progressive, run: run(phase, 120, { message: 'metric "error-rate" assessed Failed' }) }),
      expected: { action: 'rollback' },
      reason: new RegExp(`ended ${phase}: metric "error-rate" assessed Failed`),
    }),
  ),
  {
    title: 'rolls back a failed analysis even on the last step, before its pause elapsed',
    input: () => ({ model: atStep(3), policy: progressive, run: run('Failed', 30) }),
    expected: { action: 'rollback' },
  },
  // Running or Pending
  ...['Running', 'Pending', ''].map(
    (phase): Case => ({
      title: `waits on a ${phase || 'phase-less'} analysis within the step deadline`,
      input: () => ({ model: atStep(1), policy: progressive, run: run(phase, 5 * 60) }),
      expected: { action: 'wait' },
      reason: new RegExp(`is ${phase || 'Pending'} \\(300 s of 1740 s\\)`),
    }),
  ),
  ...['Running', 'Pending', ''].map(
    (phase): Case => ({
      title: `rolls back a ${phase || 'phase-less'} analysis past the step deadline`,
      input: () => ({ model: atStep(1), policy: progressive, run: run(phase, 1741) }),
      expected: { action: 'rollback' },
      reason: /stuck/,
    }),
  ),
  {
    title: 'still waits on a running analysis exactly at the deadline',
    input: () => ({ model: atStep(1), policy: progressive, run: run('Running', 1740) }),
    expected: { action: 'wait' },
  },
  {
    title: 'measures a run without timestamps from the step commit and rolls it back past the deadline',
    input: () => ({ model: atStep(1), policy: progressive, run: run('Running'), stepCommittedAt: agoDate(2400) }),
    expected: { action: 'rollback' },
  },
  {
    title: 'measures a run from its creation when it has not started',
    input: () => ({ model: atStep(1), policy: progressive, run: run('Pending', undefined, { createdAt: ago(1800) }), stepCommittedAt: agoDate(10) }),
    expected: { action: 'rollback' },
  },
  // No AnalysisRun
  {
    title: 'waits for a missing AnalysisRun before the deadline',
    input: () => ({ model: atStep(1), policy: progressive, stepCommittedAt: agoDate(120) }),
    expected: { action: 'wait' },
    reason: /waiting for Argo CD to create the AnalysisRun of step 1 \(120 s of 1740 s\)/,
  },
  {
    title: 'rolls back when the AnalysisRun never appeared after the deadline',
    input: () => ({ model: atStep(1), policy: progressive, stepCommittedAt: agoDate(1741) }),
    expected: { action: 'rollback' },
    reason: /never started/,
  },
  {
    title: 'waits for a missing AnalysisRun when the step commit time is unknown',
    input: () => ({ model: atStep(1), policy: progressive }),
    expected: { action: 'wait' },
  },
  // The policy disappeared
  {
    title: 'rolls back a canary whose rollout policy no longer exists',
    input: () => ({ model: atStep(1), policy: undefined, run: run('Successful', 11 * 60) }),
    expected: { action: 'rollback' },
    reason: /'progressive' no longer exists/,
  },
  // No canary
  {
    title: 'expires a previous version whose keep-warm time has passed',
    input: () => ({ model: { ...fraud, canary: undefined, previous: { version: '4.0.0', until: ago(1) } } }),
    expected: { action: 'expire-previous' },
    reason: /4\.0\.0/,
  },
  {
    title: 'expires a previous version exactly at its keep-warm time',
    input: () => ({ model: { ...fraud, canary: undefined, previous: { version: '4.0.0', until: NOW.toISOString() } } }),
    expected: { action: 'expire-previous' },
  },
  {
    title: 'keeps a previous version that is still inside its keep-warm time',
    input: () => ({ model: { ...fraud, canary: undefined, previous: { version: '4.0.0', until: ago(-60) } } }),
    expected: { action: 'none' },
  },
  {
    title: 'does nothing without a canary or a previous version',
    input: () => ({ model: { ...fraud, canary: undefined, previous: undefined } }),
    expected: { action: 'none' },
  },
  {
    title: 'does nothing without a canary even when a stale AnalysisRun is reported',
    input: () => ({ model: { ...fraud, canary: undefined, previous: undefined }, policy: progressive, run: run('Failed', 60) }),
    expected: { action: 'none' },
  },
];

describe('decide', () => {
  it.each(CASES)('$title', ({ input, expected, reason }) => {
    const decision = decide({ ...input(), now: NOW });
    expect(decision).toMatchObject(expected);
    if (expected.action !== 'advance') expect(decision).not.toHaveProperty('toStep');
    if (reason) expect(decision.reason).toMatch(reason);
  });

  it('never advances or promotes on anything but Successful', () => {
    for (const phase of ['', 'Pending', 'Running', 'Failed', 'Error', 'Inconclusive', 'Unknown'])
      for (const startedSecondsAgo of [0, 600, 1260, 5000]) {
        const { action } = decide({ model: atStep(3), policy: progressive, run: run(phase, startedSecondsAgo), now: NOW });
        expect(['wait', 'rollback'], `${phase} ${startedSecondsAgo}`).toContain(action);
      }
  });
});

describe('parseAnalysisRuns', () => {
  it('reads name, phase, times, message and the last measurement of each metric from `kubectl get -o json`', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          metadata: { name: 'card-fraud-v4-2-0-s1', namespace: 'risk-prod', creationTimestamp: '2026-11-02T11:40:00Z' },
          status: {
            phase: 'Failed',
            startedAt: '2026-11-02T11:40:01Z',
            message: 'Metric "error-rate" assessed Failed due to failed (3) > failureLimit (2)',
            metricResults: [
              { name: 'error-rate', phase: 'Failed', measurements: [{ value: '[0.002]', phase: 'Successful' }, { value: '[0.05]', phase: 'Failed' }] },
              { name: 'request-count', phase: 'Running', measurements: [] },
            ],
          },
        },
        { metadata: { name: 'card-fraud-v4-2-0-s0' } },
        { status: { phase: 'Successful' } },
      ],
    };
    expect(parseAnalysisRuns(list)).toEqual([
      {
        name: 'card-fraud-v4-2-0-s1',
        phase: 'Failed',
        createdAt: '2026-11-02T11:40:00Z',
        startedAt: '2026-11-02T11:40:01Z',
        message: 'Metric "error-rate" assessed Failed due to failed (3) > failureLimit (2)',
        metrics: [
          { name: 'error-rate', phase: 'Failed', value: '[0.05]', message: undefined },
          { name: 'request-count', phase: 'Running', value: undefined, message: undefined },
        ],
      },
      { name: 'card-fraud-v4-2-0-s0', phase: '', createdAt: undefined, startedAt: undefined, message: undefined, metrics: [] },
    ]);
  });

  it('accepts a bare array and a single object', () => {
    const one = { metadata: { name: 'a' }, status: { phase: 'Running' } };
    expect(parseAnalysisRuns([one]).map((r) => r.name)).toEqual(['a']);
    expect(parseAnalysisRuns(one).map((r) => r.phase)).toEqual(['Running']);
    expect(parseAnalysisRuns({ items: [] })).toEqual([]);
  });
});
