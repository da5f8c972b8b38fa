/**
 * Replica sizing. The warm pool is what must already be running, and warm, at
 * peak traffic: pods take `warmupSeconds` to answer, so capacity that starts
 * when load arrives is too late.
 *
 *   warmPool = max(tier minimum, ceil(peakRps × headroom / maxRpsPerReplica))
 *   max      = max(2 × warmPool, ceil(2 × peakRps × headroom / maxRpsPerReplica))
 *
 * A canary at step k is sized for the larger of its weight now and its weight
 * at the next step (100 % after the last step), so each advance lands on pods
 * that are already warm.
 */
export interface SizingInput {
  readonly peakRps?: number;
  readonly maxRpsPerReplica: number;
  readonly headroom: number;
  readonly tierMinimum: number;
}

export interface Replicas {
  readonly min: number;
  readonly max: number;
}

export function warmPool({ peakRps, maxRpsPerReplica, headroom, tierMinimum }: SizingInput, share = 1): number {
  const demand = peakRps === undefined ? 0 : Math.ceil((peakRps * share * headroom) / maxRpsPerReplica - 1e-9);
  return Math.max(tierMinimum, demand);
}

export function stableReplicas(input: SizingInput): Replicas {
  const min = warmPool(input);
  const burst = input.peakRps === undefined ? 0 : Math.ceil((2 * input.peakRps * input.headroom) / input.maxRpsPerReplica - 1e-9);
  return { min, max: Math.max(2 * min, burst, 1) };
}

/** `weightNow` and `weightNext` in percent. */
export function canaryReplicas(input: SizingInput, weightNow: number, weightNext: number, stableMin: number): Replicas {
  const share = Math.max(weightNow, weightNext) / 100;
  const min =
    input.peakRps === undefined
      ? Math.max(1, Math.ceil(stableMin * share - 1e-9))
      : Math.max(1, warmPool({ ...input, tierMinimum: 1 }, share));
  return { min, max: Math.max(2 * min, 1) };
}
