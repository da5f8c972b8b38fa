import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Ownership groups for the sandbox: definition files whose owners are the same
 * (per CODEOWNERS) are loaded in one sandbox process, each group in its own,
 * so a file can tamper only with files of its own owner, which that owner
 * could edit anyway.
 *
 * The CODEOWNERS file is the one GitHub uses: the first of
 * `.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS` in the working tree.
 * The last matching line wins. A file no line matches, or whose line names no
 * owner, is in the group of files without a code owner. With no CODEOWNERS
 * file at all, every model file is in that one group (and policies/ in one of
 * their own, see groupByOwner): files of one group can still tamper with each
 * other.
 */
export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

/** The group of files that no CODEOWNERS line gives an owner. */
export const NO_OWNER = '';

interface Rule {
  readonly pattern: RegExp;
  /** Normalised owners (lower case, sorted, space-separated); NO_OWNER when the line names none. */
  readonly owners: string;
}

export class Codeowners {
  private constructor(private readonly rules: readonly Rule[]) {}

  static parse(text: string): Codeowners {
    const rules: Rule[] = [];
    for (const raw of text.split(/\r?\n/)) {
      const line = stripComment(raw).trim();
      if (!line) continue;
      const [pattern, ...owners] = splitFields(line);
      const regex = patternToRegExp(pattern);
      // GitHub ignores lines it cannot parse (`!negation`, `[ranges]`); so do we.
      if (!regex) continue;
      rules.push({ pattern: regex, owners: [...new Set(owners.map((o) => o.toLowerCase()))].sort().join(' ') });
    }
    return new Codeowners(rules);
  }

  /** The working tree's CODEOWNERS file, or undefined when there is none. */
  static async read(root: string): Promise<Codeowners | undefined> {
    for (const location of CODEOWNERS_LOCATIONS) {
      let text: string;
      try {
        text = await readFile(path.join(root, location), 'utf8');
      } catch {
        continue;
      }
      return Codeowners.parse(text);
    }
    return undefined;
  }

  /** The owners of `file` (repository-relative, `/`-separated): the last matching line's; NO_OWNER when none matches. */
  ownersOf(file: string): string {
    for (let i = this.rules.length - 1; i >= 0; i--) if (this.rules[i].pattern.test(file)) return this.rules[i].owners;
    return NO_OWNER;
  }
}

/**
 * `files` grouped by owner, in order of each group's first file; each group
 * keeps the order of `files`. policies/ files never share a group with
 * models/ files, even of the same owner: a new model file that no CODEOWNERS
 * line names yet falls to the `*` owner (the platform team), and must not
 * share a process with the platform's own definitions.
 */
export function groupByOwner(files: readonly string[], codeowners: Codeowners | undefined): string[][] {
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const owner = `${file.startsWith('policies/') ? 'policies' : 'models'}\u0000${codeowners ? codeowners.ownersOf(file) : NO_OWNER}`;
    const group = groups.get(owner);
    if (group) group.push(file);
    else groups.set(owner, [file]);
  }
  return [...groups.values()];
}

function stripComment(line: string): string {
  if (line.trimStart().startsWith('#')) return '';
  // An unescaped `#` after whitespace starts a comment.
  const match = /(^|\s)#/.exec(line.replace(/\\#/g, '\u0000\u0000'));
  return match ? line.slice(0, match.index) : line;
}

/** Fields separated by whitespace; `\ ` keeps a space in the pattern. */
function splitFields(line: string): string[] {
  return line
    .replace(/\\ /g, '\u0000')
    .split(/\s+/)
    .map((f) => f.replace(/\u0000/g, ' ').replace(/\\#/g, '#'));
}

/**
 * A CODEOWNERS pattern (gitignore syntax without negation or ranges) as a
 * regular expression over repository-relative paths: a leading `/`, or a `/`
 * inside the pattern, anchors it at the root, otherwise it matches at any
 * depth; a trailing `/` matches a directory's contents only, otherwise the
 * pattern matches a file or a directory (and all below it); `*` and `?` stay
 * within a path segment, `**` crosses them.
 */
export function patternToRegExp(pattern: string): RegExp | undefined {
  if (!pattern || pattern.startsWith('!') || /[[\]]/.test(pattern)) return undefined;
  let p = pattern;
  const directoryOnly = p.endsWith('/');
  if (directoryOnly) p = p.replace(/\/+$/, '');
  const anchored = p.startsWith('/') || p.includes('/');
  p = p.replace(/^\/+/, '');
  if (!p) return /^/; // `/` alone: everything
  let body = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*' && p[i + 1] === '*') {
      const start = i === 0 || p[i - 1] === '/';
      const end = i + 2 === p.length || p[i + 2] === '/';
      i++;
      if (start && end) {
        if (p[i + 1] === '/') {
          body += '(?:.*/)?';
          i++;
        } else body += '.*';
      } else body += '[^/]*';
    } else if (c === '*') body += '[^/]*';
    else if (c === '?') body += '[^/]';
    else body += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`${anchored ? '^' : '(?:^|/)'}${body}${directoryOnly ? '/' : '(?:/|$)'}`);
}
