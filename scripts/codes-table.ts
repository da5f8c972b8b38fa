/**
 * Writes README's table of diagnostic codes from the catalogue (src/diagnostics/codes.ts).
 *
 *   node --import tsx scripts/codes-table.ts           # rewrite the table in README.md
 *   node --import tsx scripts/codes-table.ts --check   # exit 1 if README's table is stale
 *
 * The table is the block of `|` lines right after the `## Diagnostic codes` heading.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codesTable } from '../src/diagnostics/codes.js';

const readmePath = join(dirname(dirname(fileURLToPath(import.meta.url))), 'README.md');

/** README text with its codes table replaced by the catalogue's. */
export function withCodesTable(readme: string): string {
  const lines = readme.split('\n');
  const heading = lines.indexOf('## Diagnostic codes');
  if (heading < 0) throw new Error('README.md has no "## Diagnostic codes" section');
  let start = heading + 1;
  while (start < lines.length && !lines[start].startsWith('|')) start++;
  let end = start;
  while (end < lines.length && lines[end].startsWith('|')) end++;
  return [...lines.slice(0, start), codesTable(), ...lines.slice(end)].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const readme = readFileSync(readmePath, 'utf8');
  const updated = withCodesTable(readme);
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      console.error('README.md: the table of diagnostic codes is stale; run `npm run codes-table`');
      process.exit(1);
    }
  } else if (updated !== readme) writeFileSync(readmePath, updated);
}
