import { stringify } from 'yaml';

const FIRST = ['apiVersion', 'kind', 'metadata'];

/**
 * Canonical form of a manifest: `apiVersion`, `kind`, `metadata` first, every
 * other key sorted, null and undefined dropped, arrays kept in order.
 */
export function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(normalise);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== null && record[k] !== undefined)
    .sort((a, b) => {
      const ia = FIRST.indexOf(a);
      const ib = FIRST.indexOf(b);
      if (ia >= 0 || ib >= 0) return (ia < 0 ? FIRST.length : ia) - (ib < 0 ? FIRST.length : ib);
      return a < b ? -1 : a > b ? 1 : 0;
    });
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = normalise(record[k]);
  return out;
}

/** YAML text of a normalised manifest: no line folding, no anchors, a trailing newline. */
export function toYaml(manifest: unknown, header?: string): string {
  const body = stringify(normalise(manifest), { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false, indentSeq: true });
  return header ? `${header}\n${body}` : body;
}
