import { defineRolloutPolicy } from '../src/index.js';

/**
 * No canary: the new version takes all traffic at once after a single health measurement.
 * For batch models and emergency fixes; never a default, it must be named explicitly.
 */
export default defineRolloutPolicy({
  name: 'direct',
  steps: [],
  analysis: {
    interval: '1m',
    count: 1,
    failureLimit: 0,
  },
  gates: {
    offline: {},
    requireApproval: true,
  },
  keepPreviousFor: '1h',
});
