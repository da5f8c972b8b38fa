/** The detection and rollback-budget model shared by plan, validate and the drill. */
import { describe, expect, it } from 'vitest';
import { detection, measurementsNeeded, rollbackBudget, type AnalysisTiming } from '../../src/metrics/detection.js';

const SCRAPE = 15;
const timing = (intervalSeconds: number, count: number, failureLimit: number, windowSeconds: number): AnalysisTiming => ({ initialDelaySeconds: intervalSeconds, intervalSeconds, count, failureLimit, windowSeconds });

describe('detection', () => {
  it.each([
    // The settings before issue 11: a severe regression starting after 7.5 min of a 10-min step passes it.
    ['progressive before (1m, 10, limit 2, 5m), severe', timing(60, 10, 2, 300), 600, 'severe', 451],
    ['progressive before, marginal', timing(60, 10, 2, 300), 600, 'marginal', 166],
    ['fast before (1m, 5, limit 1, 5m), severe', timing(60, 5, 1, 300), 300, 'severe', 211],
    ['fast before, marginal: every marginal regression passes', timing(60, 5, 1, 300), 300, 'marginal', 0],
  ] as const)('%s passes the step from second %i', (_what, t, pause, kind, from) => {
    expect(detection(t, pause, kind, SCRAPE).passesIfStartingAfterSeconds).toBe(from);
  });

  it.each([
    ['critical', 20, 60, 1, 600, 35, 69, 114],
    ['standard', 30, 120, 1, 600, 26, 89, 194],
    ['batch', 60, 300, 2, 600, 18, 209, 494],
    ['staging (5-min steps)', 30, 120, 1, 300, 16, 89, 194],
  ] as const)('%s: measuring past the pause by the lag and k intervals catches every regression of the step', (_what, interval, window, limit, pause, count, severe, marginal) => {
    const n = measurementsNeeded(pause, { intervalSeconds: interval, windowSeconds: window, failureLimit: limit }, SCRAPE);
    expect(n).toBe(count);
    const t = timing(interval, n, limit, window);
    expect(detection(t, pause, 'severe', SCRAPE)).toEqual({ worstSeconds: severe, runSeconds: interval * n });
    expect(detection(t, pause, 'marginal', SCRAPE).worstSeconds).toBe(marginal);
    // One measurement fewer and a regression at the very end of the step passes.
    expect(detection(timing(interval, n - 1, limit, window), pause, 'marginal', SCRAPE).passesIfStartingAfterSeconds).toBeDefined();
  });
});

describe('rollbackBudget', () => {
  const path = { promoterReactionSeconds: 5, checkSeconds: 30, mergeSeconds: 10, refreshSeconds: 5, syncSeconds: 30 };
  it('adds the declared path to the worst-case detection', () => {
    const b = rollbackBudget(timing(20, 35, 1, 60), 600, 'severe', SCRAPE, path);
    expect(b.stages.map((s) => s.stage)).toEqual(['detection', 'promoter', 'check', 'merge', 'refresh', 'sync']);
    expect(b.totalSeconds).toBe(69 + 80);
  });
  it('has no total when a regression can pass the step', () => {
    expect(rollbackBudget(timing(60, 10, 2, 300), 600, 'severe', SCRAPE, path).totalSeconds).toBeUndefined();
  });
});
