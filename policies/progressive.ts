import { defineRolloutPolicy } from '../src/index.js';

/**
 * Production rollouts: four canary steps of 10 minutes each, analysed every minute.
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
    count: 10,
    failureLimit: 2,
    metrics: ['error-rate', 'latency-p99', 'latency-vs-stable', 'request-count'],
    maxErrorRatio: 0.01,
    maxLatencyRatio: 1.5,
    minRequests: 100,
    window: '5m',
  },
  gates: {
    // Offline thresholds are model-specific (auc, ndcg, rmse, ...); this policy applies to every model.
    offline: {},
    requireApproval: true,
  },
  keepPreviousFor: '2h',
  environments: ['prod'],
});
