import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/diagnostics/codes.js';

describe('diagnostic codes', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('lists every code in the README table with its meaning', () => {
    for (const [code, meaning] of Object.entries(CODES)) {
      expect(readme, code).toContain(`| ${code} | ${meaning} |`);
    }
  });

  it('uses the MPnnnn form for every code', () => {
    for (const code of Object.keys(CODES)) expect(code).toMatch(/^MP[1-9]\d{3}$/);
  });
});
