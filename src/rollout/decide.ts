import type { ResolvedModel, ResolvedPolicy } from '../resolve/index.js';
import { stepDeadlineSeconds, stepPauseSeconds } from '../metrics/index.js';

/** What Argo Rollouts reports of one AnalysisRun (from the cluster or a status file). */
export interface AnalysisRunStatus {
  readonly name: string;
  /** '' | Pending | Running | Successful | Failed | Error | Inconclusive */
  readonly phase: string;
  /** When the run was created (ISO 8601). */
  readonly createdAt?: string;
  readonly startedAt?: string;
  readonly message?: string;
  /** Last measured value and phase per metric, as evidence for the pull request. */
  readonly metrics: readonly { readonly name: string; readonly phase: string; readonly value?: string; readonly message?: string }[];
}

export type Decision =
  | { readonly action: 'advance'; readonly toStep: number; readonly weight: number; readonly reason: string }
  | { readonly action: 'promote'; readonly reason: string }
  | { readonly action: 'rollback'; readonly reason: string }
  | { readonly action: 'wait'; readonly reason: string }
  | { readonly action: 'expire-previous'; readonly reason: string }
  | { readonly action: 'none'; readonly reason: string };

export interface DecisionInput {
  readonly model: ResolvedModel;
  readonly policy?: ResolvedPolicy;
  /** The AnalysisRun of the current step, if Argo CD has created it. */
  readonly run?: AnalysisRunStatus;
  /** When the current step was committed (the commit that last changed the canary). */
  readonly stepCommittedAt?: Date;
  readonly now: Date;
}

const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

/**
 * The promoter's decision for one model in one environment. Pure. Anything
 * that is not a clear success within the deadline rolls back: a failed,
 * errored or inconclusive analysis, a run stuck past its deadline, or a run
 * that never appeared.
 */
export function decide({ model, policy, run, stepCommittedAt, now }: DecisionInput): Decision {
  if (!model.canary) {
    if (model.previous && Date.parse(model.previous.until) <= now.getTime())
      return { action: 'expire-previous', reason: `previous version ${model.previous.version} was kept warm until ${model.previous.until}` };
    return { action: 'none', reason: 'no canary in flight' };
  }
  if (!policy) return { action: 'rollback', reason: `rollout policy '${model.canary.policy}' no longer exists` };
  const { step, version } = model.canary;
  const deadline = stepDeadlineSeconds(policy, step, model.tier.name);
  const last = step >= policy.steps.length - 1;

  if (!run) {
    if (!stepCommittedAt) return { action: 'wait', reason: `no AnalysisRun for step ${step} yet and no commit time known` };
    const age = seconds(stepCommittedAt, now);
    return age > deadline
      ? { action: 'rollback', reason: `no AnalysisRun for ${version} step ${step} ${Math.round(age)} s after the step was committed (deadline ${deadline} s): the canary never started` }
      : { action: 'wait', reason: `waiting for Argo CD to create the AnalysisRun of step ${step} (${Math.round(age)} s of ${deadline} s)` };
  }

  const startedAt = stepStartedAt(run, stepCommittedAt);
  const age = startedAt ? seconds(new Date(startedAt), now) : 0;
  switch (run.phase) {
    case 'Successful': {
      const pause = stepPauseSeconds(policy, step);
      if (startedAt && age < pause) return { action: 'wait', reason: `analysis passed; step ${step} pauses ${pause} s, ${Math.round(age)} s elapsed` };
      if (last) return { action: 'promote', reason: `analysis of the last step (${step}) succeeded` };
      const next = policy.steps[step + 1];
      return { action: 'advance', toStep: step + 1, weight: next.weight, reason: `analysis of step ${step} succeeded` };
    }
    case 'Failed':
    case 'Error':
    case 'Inconclusive':
      return { action: 'rollback', reason: `analysis of step ${step} ended ${run.phase}${run.message ? `: ${run.message}` : ''}` };
    default:
      return age > deadline
        ? { action: 'rollback', reason: `analysis of step ${step} still ${run.phase || 'Pending'} after ${Math.round(age)} s (deadline ${deadline} s): the canary is stuck` }
        : { action: 'wait', reason: `analysis of step ${step} is ${run.phase || 'Pending'} (${Math.round(age)} s of ${deadline} s)` };
  }
}

/** When the step started: the run's own times (started, else created), else the commit of the step; undefined when none is known. */
function stepStartedAt(run: AnalysisRunStatus, stepCommittedAt: Date | undefined): string | undefined {
  if (run.startedAt !== undefined) return run.startedAt;
  if (run.createdAt !== undefined) return run.createdAt;
  return stepCommittedAt === undefined ? undefined : stepCommittedAt.toISOString();
}

/** Reads AnalysisRun objects (as in `kubectl get analysisruns -o json`) into statuses; objects without a name are skipped. */
export function parseAnalysisRuns(json: unknown): AnalysisRunStatus[] {
  return analysisRunObjects(json).flatMap((item): AnalysisRunStatus[] => {
    const metadata = record(record(item)?.metadata);
    const name = text(metadata?.name);
    if (!name) return [];
    const status = record(record(item)?.status);
    return [{ name, phase: runPhase(status), createdAt: text(metadata?.creationTimestamp), startedAt: text(status?.startedAt), message: text(status?.message), metrics: metricResults(status) }];
  });
}

/** The objects of a `kubectl get -o json` answer: a List's `items`, an array, or the one object. */
function analysisRunObjects(json: unknown): readonly unknown[] {
  if (Array.isArray(json)) return json;
  const list = record(json);
  if (list && Array.isArray(list.items)) return list.items;
  return [json];
}

/** `status.phase`; '' while Argo Rollouts has set none (the run has not started: `decide` reads it as Pending). */
function runPhase(status: Record<string, unknown> | undefined): string {
  const phase = text(status?.phase);
  return phase === undefined ? '' : phase;
}

/** `status.metricResults`: each metric's phase and its last measured value; none before the first measurement. */
function metricResults(status: Record<string, unknown> | undefined): AnalysisRunStatus['metrics'] {
  const results = status?.metricResults;
  if (!Array.isArray(results)) return [];
  return results.flatMap((item) => {
    const m = record(item);
    if (!m) return [];
    const measurements = Array.isArray(m.measurements) ? m.measurements : [];
    return [{ name: String(m.name), phase: String(m.phase), value: text(record(measurements.at(-1))?.value), message: text(m.message) }];
  });
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
