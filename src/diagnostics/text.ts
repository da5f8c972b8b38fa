/** How templates write names, values, paths and numbers: one way for every message. */

/** A path into a definition, e.g. ['deploy', 'prod', 'canary', 'step']. */
export type FieldPath = readonly (string | number)[];

/** Renders a field path the way users write it: `deploy.prod.canary.step`, `versions[1].artifact`. */
export function formatPath(path: FieldPath | undefined): string {
  if (!path || path.length === 0) return '(definition)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** Renders a value in a message: strings quoted, long values shortened, never throws. */
export function formatValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) text = String(value);
  else if (Array.isArray(value)) text = `[array of ${value.length}]`;
  else text = 'an object';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `'a', 'b'`, or `(none)`. */
export const quoted = (names: readonly string[]) => names.map((k) => `'${k}'`).join(', ') || '(none)';

/** `1.5`, `12`, `0.968`: float noise (`0.30000000000000004`) rounded away. */
export function num(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}

/** `a, b, c`, or `a, b and 3 other files`. */
export const listFiles = (files: readonly string[]) => (files.length <= 3 ? files.join(', ') : `${files.slice(0, 2).join(', ')} and ${files.length - 2} other files`);

/** A place a version is live: its role, environment, and the tenant of a pin. */
export interface Place {
  readonly role: 'stable' | 'canary' | 'tenant' | 'previous';
  readonly env: string;
  /** The tenant of a `tenant` pin. */
  readonly tenant?: string;
}

/** How a place reads after "it is": `the canary in prod`, `pinned for tenant 'tenant-a' in prod`; `inEnv: false` leaves out ` in prod`. */
export function describePlace(p: Place, inEnv = true): string {
  const where = inEnv ? ` in ${p.env}` : '';
  switch (p.role) {
    case 'stable':
      return `the stable version${where}`;
    case 'canary':
      return `the canary${where}`;
    case 'tenant':
      return `pinned for tenant '${p.tenant}'${where}`;
    case 'previous':
      return `kept warm as previous${where}`;
  }
}

/** A place and the gates it passes through: `the canary in prod (policy 'progressive')`. */
export interface GatedPlace extends Place {
  /** The policy whose gates apply; undefined: the default gates. */
  readonly policy?: string;
}

export function describeGated(p: GatedPlace): string {
  return `${describePlace(p)}${p.policy ? ` (policy '${p.policy}')` : ' (no policy: default gates)'}`;
}
