/**
 * The one reading of a condition such as `>= 0.90`: used by the offline gates,
 * the canary analysis (Argo Rollouts and `modelplane analyze`) and the quality
 * alerts, so the three cannot disagree about what a condition means.
 */
export type Comparison = '<=' | '>=' | '<' | '>' | '==';

export interface Condition {
  readonly op: Comparison;
  readonly threshold: number;
}

const CONDITION = /^\s*(>=|<=|>|<|==)\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*$/;

/** `>= 0.90` → `{ op: '>=', threshold: 0.9 }`; undefined when the text is not a comparison with a number. */
export function parseCondition(text: string): Condition | undefined {
  const match = CONDITION.exec(text);
  return match ? { op: match[1] as Comparison, threshold: Number(match[2]) } : undefined;
}

/** `parseCondition` for a condition that has passed validation: a failure here is a bug. */
export function validCondition(text: string): Condition {
  const condition = parseCondition(text);
  if (!condition) throw new Error(`validCondition: invalid condition ${text}`);
  return condition;
}

/** Whether `value` satisfies the condition. */
export function holds(condition: Condition, value: number): boolean {
  const t = condition.threshold;
  switch (condition.op) {
    case '<=':
      return value <= t;
    case '>=':
      return value >= t;
    case '<':
      return value < t;
    case '>':
      return value > t;
    case '==':
      return value === t;
  }
}

/** The PromQL comparison that is true exactly when `op` is not. */
export function negation(op: Comparison): string {
  return { '>=': '<', '<=': '>', '>': '<=', '<': '>=', '==': '!=' }[op];
}
