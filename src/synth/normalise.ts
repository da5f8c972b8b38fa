import { stringify } from 'yaml';

const FIRST = ['apiVersion', 'kind', 'metadata'];

/**
 * Canonical form of a manifest: `apiVersion`, `kind`, `metadata` first at the
 * top level, every other key sorted, null and undefined dropped, arrays kept in order.
 */
export function normalise(value: unknown, top = true): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map((v) => normalise(v, false));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const rank = (k: string) => (top && FIRST.includes(k) ? FIRST.indexOf(k) : FIRST.length);
  const keys = Object.keys(record)
    .filter((k) => record[k] !== null && record[k] !== undefined)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = normalise(record[k], false);
  return out;
}

/**
 * YAML text of a normalised manifest: no line folding, no anchors, a trailing
 * newline. Scalars are quoted by YAML 1.1 rules, which Kubernetes and Argo CD
 * parse with: `no`, `on`, `y` stay strings.
 */
export function toYaml(manifest: unknown, header?: string): string {
  const body = stringify(normalise(manifest), { version: '1.1', lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false, indentSeq: true });
  return header ? `${header}\n${body}` : body;
}
