import type { Code } from './codes.js';
import { formatValue } from './diagnostic.js';

/** `'a', 'b'`, or `(none)`. */
export const quoted = (names: readonly string[]) => names.map((k) => `'${k}'`).join(', ') || '(none)';

/** A name that is not among the known ones: the value written and every valid name. */
export interface UnknownName {
  readonly value: unknown;
  /** Every valid name, in the order to show them. */
  readonly known: readonly string[];
}

/** An unknown name, in the words of one reference kind: `pool "x" is not a node pool of the platform: pools are 'a', 'b'`. */
const unknown = (field: string, what: string, plural: string) => (a: UnknownName & { readonly field?: string }) =>
  `${a.field ?? field} ${formatValue(a.value)} is not ${what}: ${plural} are ${quoted(a.known)}`;

/**
 * Message templates of the most common codes, in the catalogue's terms: typed
 * arguments → the message. Call sites build such diagnostics with
 * `message(code, args)`, so one code reads the same wherever it is found.
 */
export const TEMPLATES = {
  MP3001: unknown('owner', 'a team of the platform', 'teams'),
  MP3002: unknown('tier', 'a tier of the platform', 'tiers'),
  MP3003: unknown('pool', 'a node pool of the platform', 'pools'),
  MP3004: unknown('environment', 'an environment of the platform', 'environments'),
  MP3005: unknown('policy', 'a rollout policy', 'policies'),
  MP3006: (a: UnknownName & { readonly role: string }) => `${a.role} version ${formatValue(a.value)} is not in versions: declared versions are ${quoted(a.known)}`,
} as const satisfies { readonly [C in Code]?: (args: never) => string };

export type Templated = keyof typeof TEMPLATES;

/** The message of `code` for `args`. */
export function message<C extends Templated>(code: C, args: Parameters<(typeof TEMPLATES)[C]>[0]): string {
  return (TEMPLATES[code] as (a: typeof args) => string)(args);
}
