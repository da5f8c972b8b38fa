import { defineRolloutPolicy } from '../src/index.js';

/** Staging rollouts: two short canary steps; approval is not required before staging traffic. */
export default defineRolloutPolicy({
  name: 'fast',
  steps: [
    { weight: 20, pause: '5m' },
    { weight: 50, pause: '5m' },
  ],
  analysis: {
    // Measured to the end of each step (derived count): a marginal regression can no longer pass a 5-minute step.
    interval: '30s',
    window: '2m',
    failureLimit: 1,
  },
  gates: {
    offline: {},
    requireApproval: false,
  },
  keepPreviousFor: '30m',
  environments: ['staging'],
});
