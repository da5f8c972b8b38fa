import { stringify } from 'yaml';

const FIRST = ['apiVersion', 'kind', 'metadata'];

/**
 * Canonical form of a manifest: `apiVersion`, `kind`, `metadata` first at the
 * top level, every other key sorted, null and undefined dropped, arrays kept in order.
 */
export function normalise(value: unknown, top = true): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) if (v !== null && v !== undefined) out.push(normalise(v, false));
    return out;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys: string[] = [];
  for (const k of Object.keys(record)) if (record[k] !== null && record[k] !== undefined) keys.push(k);
  // The default sort compares UTF-16 code units, as `<` does on strings.
  keys.sort();
  const out: Record<string, unknown> = {};
  if (top) for (const k of FIRST) if (keys.includes(k)) out[k] = normalise(record[k], false);
  for (const k of keys) if (!(top && FIRST.includes(k))) out[k] = normalise(record[k], false);
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
