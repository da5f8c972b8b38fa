import { defineRolloutPolicy } from '../src/index.js';

/**
 * Production rollouts: four canary steps of 10 minutes each. Each step is
 * measured until every regression that starts during it has been measured
 * failureLimit + 1 times (the count is derived: `modelplane plan` prints it and
 * each tier's worst case). Critical models are measured every 20 s over 1-minute
 * windows so a rollback fits their 180 s objective; batch models every minute.
 * Versions must be approved; the previous stable version stays warm for two hours after promotion.
 */
export default defineRolloutPolicy({
  name: 'progressive',
  steps: [
    { weight: 5, pause: '10m' },
    { weight: 25, pause: '10m' },
    { weight: 50, pause: '10m' },
    { weight: 75, pause: '10m' },
  ],
  analysis: {
    interval: '1m',
    failureLimit: 2,
    metrics: ['error-rate', 'latency-p99', 'latency-vs-stable', 'request-count'],
    maxErrorRatio: 0.01,
    maxLatencyRatio: 1.5,
    minRequests: 100,
    window: '5m',
    tiers: {
      critical: { interval: '20s', window: '1m', failureLimit: 1 },
      standard: { interval: '30s', window: '2m', failureLimit: 1 },
    },
  },
  gates: {
    // Offline thresholds are model-specific (auc, ndcg, rmse, ...); this policy applies to every model.
    offline: {},
    requireApproval: true,
  },
  keepPreviousFor: '2h',
  environments: ['prod'],
});
