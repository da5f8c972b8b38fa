import { DELIVERY } from './catalogue/delivery.js';
import { LOADING } from './catalogue/loading.js';
import { REFERENCES } from './catalogue/references.js';
import { RELEASE } from './catalogue/release.js';
import { SCHEMA } from './catalogue/schema.js';
import { SECURITY } from './catalogue/security.js';
import { SERVING } from './catalogue/serving.js';
import type { CodeEntry, Entries } from './entry.js';

export type { CodeEntry, Messages, Severity, Template } from './entry.js';

/**
 * Every diagnostic code, in one typed catalogue: its severity, meaning and
 * message templates (one file per family under `catalogue/`). Codes are
 * stable: a code is never reused for a different problem. README's table of
 * codes is generated from this one (`codesTable`) and checked by a test.
 */
export const CATALOGUE = {
  ...LOADING, // MP1xxx: loading
  ...SCHEMA, // MP2xxx: definition schema
  ...REFERENCES, // MP3xxx: references, MP4xxx: names
  ...RELEASE, // MP5xxx: release gates
  ...SERVING, // MP6xxx: capacity, latency, replicas, quotas
  ...SECURITY, // MP7xxx: privacy and supply chain
  ...DELIVERY, // MP8xxx: delivery, MP9xxx: lifecycle
} as const satisfies Entries;

export type Code = keyof typeof CATALOGUE;

/** Every code, in catalogue order. */
export const ALL_CODES = Object.keys(CATALOGUE) as Code[];

/** The README table of codes, generated from the catalogue. */
export function codesTable(): string {
  const rows = ALL_CODES.map((code) => {
    const e: CodeEntry = CATALOGUE[code];
    return `| ${code} | ${e.severity}${e.strict && e.strict !== e.severity ? ` (${e.strict} on strict tiers)` : ''} | ${e.meaning} |`;
  });
  return ['| code | severity | meaning |', '|---|---|---|', ...rows].join('\n');
}
