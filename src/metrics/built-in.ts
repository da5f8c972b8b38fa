/**
 * The checks modelplane builds from the platform's request metrics, in the
 * order a policy runs them by default: the one list of them. The schema of a
 * policy's `analysis.metrics`, resolve's default, the quality-name clash check
 * and the check builders (checks.ts) all read it. No imports: every layer may use it.
 */
export const BUILT_IN_CHECKS = ['request-count', 'error-rate', 'latency-p99', 'latency-vs-stable'] as const;

