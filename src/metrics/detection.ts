/**
 * How fast a canary step's analysis catches a regression, and what a rollback
 * costs end to end: one pure model shared by `plan` (prints it), `validate`
 * (refuses a policy over its tier's objective) and the cluster drill (compares
 * its measurement with it).
 *
 * The analysis model follows Argo Rollouts (`analysis/analysis.go`): the first
 * measurement is taken `initialDelay` after the run starts, the next one
 * `interval` after the previous, until `count` measurements; a metric fails
 * once more than `failureLimit` measurements failed, and is Successful when
 * `count` is reached with fewer. A regression starting `r` seconds into the
 * step makes the windowed query cross its threshold `lag` seconds later, so
 * the step fails at the `k = failureLimit + 1`-th measurement at or after
 * `r + lag`, if that measurement is still within `count`; otherwise the
 * regression passes the step.
 */

/** Analysis settings of one step, in seconds. */
export interface AnalysisTiming {
  readonly initialDelaySeconds: number;
  readonly intervalSeconds: number;
  readonly count: number;
  readonly failureLimit: number;
  /** Range of the rate()/increase() windows of the queries. */
  readonly windowSeconds: number;
}

/**
 * How a regression shows in the windowed series: `severe` (far past the
 * threshold: visible after one scrape and the second sample rate() needs)
 * or `marginal` (just past it: the windowed ratio reaches it only once the
 * whole window is bad).
 */
export type RegressionKind = 'severe' | 'marginal';

/** Seconds from the first bad request to a windowed query value past its threshold. */
export function lagSeconds(kind: RegressionKind, windowSeconds: number, scrapeSeconds: number): number {
  return kind === 'severe' ? 2 * scrapeSeconds : scrapeSeconds + windowSeconds;
}

/**
 * Measurements a step needs so that every regression starting before the
 * step's pause ends, even a marginal one, still gets `failureLimit + 1`
 * measurements after its lag (the first measurement one interval after the
 * start): the smallest count for which `detection` finds no passing start.
 */
export function measurementsNeeded(pauseSeconds: number, t: { intervalSeconds: number; windowSeconds: number; failureLimit: number }, scrapeSeconds: number): number {
  const lag = lagSeconds('marginal', t.windowSeconds, scrapeSeconds);
  return Math.max(0, Math.ceil((pauseSeconds + lag - t.intervalSeconds) / t.intervalSeconds)) + t.failureLimit + 1;
}

export interface Detection {
  /** Longest time from a regression's start to the failed analysis, over every start second of the step; undefined when some regression passes. */
  readonly worstSeconds?: number;
  /** The earliest start (seconds into the step) of a regression that passes the step, if any does. */
  readonly passesIfStartingAfterSeconds?: number;
  /** How long the run of a step lasts when nothing fails: its last measurement. */
  readonly runSeconds: number;
}

/**
 * Worst-case detection of a regression of the given kind that starts at any
 * whole second of a step of `pauseSeconds`. Pure; query latency (the drift of
 * each measurement) is not included.
 */
export function detection(t: AnalysisTiming, pauseSeconds: number, kind: RegressionKind, scrapeSeconds: number): Detection {
  const lag = lagSeconds(kind, t.windowSeconds, scrapeSeconds);
  const k = t.failureLimit + 1;
  const at = (j: number) => t.initialDelaySeconds + j * t.intervalSeconds; // j = 0 … count-1
  const last = at(t.count - 1);
  let worst = 0;
  for (let r = 0; r <= pauseSeconds; r++) {
    const first = Math.max(0, Math.ceil((r + lag - t.initialDelaySeconds) / t.intervalSeconds));
    const failing = first + k - 1;
    if (failing > t.count - 1) return { passesIfStartingAfterSeconds: r, runSeconds: last };
    worst = Math.max(worst, at(failing) - r);
  }
  return { worstSeconds: worst, runSeconds: last };
}

/** Declared latencies of the path from a failed analysis to traffic back on stable, in seconds. */
export interface RollbackPath {
  /** Failed AnalysisRun → the promoter decides (watch event, or the schedule's period). */
  readonly promoterReactionSeconds: number;
  /** The rollback commit's check (`synth --check` of that commit). */
  readonly checkSeconds: number;
  /** Merge or direct push of the rollback. */
  readonly mergeSeconds: number;
  /** Push → Argo CD refresh of the model's Application (refresh annotation or webhook; the poll is 120–180 s). */
  readonly refreshSeconds: number;
  /** Refresh → the HTTPRoute applied (render, waves, health). */
  readonly syncSeconds: number;
}

export interface RollbackBudget {
  /** Each stage and its worst-case seconds, in order. */
  readonly stages: readonly { readonly stage: string; readonly seconds: number }[];
  /** From a regression's start to traffic on stable; undefined when some regression passes the step. */
  readonly totalSeconds?: number;
}

/** Worst-case seconds from a regression's start to traffic on stable: detection plus every declared stage of the path. */
export function rollbackBudget(t: AnalysisTiming, pauseSeconds: number, kind: RegressionKind, scrapeSeconds: number, path: RollbackPath): RollbackBudget {
  const d = detection(t, pauseSeconds, kind, scrapeSeconds);
  const stages = [
    { stage: 'detection', seconds: d.worstSeconds === undefined ? Number.POSITIVE_INFINITY : d.worstSeconds },
    { stage: 'promoter', seconds: path.promoterReactionSeconds },
    { stage: 'check', seconds: path.checkSeconds },
    { stage: 'merge', seconds: path.mergeSeconds },
    { stage: 'refresh', seconds: path.refreshSeconds },
    { stage: 'sync', seconds: path.syncSeconds },
  ];
  return { stages, totalSeconds: d.worstSeconds === undefined ? undefined : stages.reduce((s, x) => s + x.seconds, 0) };
}
