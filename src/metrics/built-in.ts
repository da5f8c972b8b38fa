/**
 * The checks modelplane builds from the platform's request metrics, in the
 * order a policy runs them by default: the one list of them. It is declared
 * with the policy schema (src/definitions/rollout-policy.ts, which definition
 * files bundle and so may import nothing outside src/definitions); resolve's
 * default, the quality-name clash check and the check builders read it here.
 */
export { BUILT_IN_CHECKS } from '../definitions/rollout-policy.js';
