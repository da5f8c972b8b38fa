/** Numbers as modelplane prints them in queries, alerts and reports: 6 significant digits, float noise dropped. */
export function formatNumber(n: number): string {
  return Number.isFinite(n) ? String(Number(n.toPrecision(6))) : String(n);
}

/** A ratio as a percentage: `0.999` → `99.9 %`. */
export function formatPercent(ratio: number): string {
  return `${formatNumber(ratio * 100)} %`;
}
