import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_CODES, CATALOGUE, codesTable } from '../../src/diagnostics/codes.js';
import { diagnostic } from '../../src/diagnostics/index.js';
import { withCodesTable } from '../../scripts/codes-table.js';

describe('diagnostic codes', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('has README table generated from the catalogue (run `npm run codes-table` to update it)', () => {
    expect(readme).toContain(codesTable());
    expect(withCodesTable(readme)).toBe(readme);
  });

  it('lists every code in the README table with its severity and meaning', () => {
    for (const code of ALL_CODES) expect(readme, code).toMatch(new RegExp(`^\\| ${code} \\| ${CATALOGUE[code].severity}.* \\| .+ \\|$`, 'm'));
  });

  it('uses the MPnnnn form for every code', () => {
    for (const code of ALL_CODES) expect(code).toMatch(/^MP[1-9]\d{3}$/);
  });

  it('takes the severity from the catalogue, and the strict-tier severity only where the code has one', () => {
    const unknownField = { field: 'x', in: [], kind: 'model', allowed: ['id'] } as const;
    expect(diagnostic('MP2001', { file: 'models/a.ts', path: ['x'] }, unknownField)).toEqual({
      code: 'MP2001',
      severity: 'error',
      file: 'models/a.ts',
      path: ['x'],
      message: 'unknown field \'x\' at the top level of the model: allowed fields are id',
    });
    const image = { index: 0, version: '1.0.0', image: 'a', runtime: 'r', runtimeImage: 'b' };
    expect(diagnostic('MP7007', {}, image).severity).toBe('warning');
    expect(diagnostic('MP7007', {}, image, { strict: true }).severity).toBe('warning');
    const warmPool = { model: 'm', version: '1.0.0', env: 'prod', tier: 't', min: 1, max: 4, needed: 2, declared: true, reasons: [{ kind: 'tier', tier: 't', env: 'prod', minimum: 2 }] } as const;
    expect(diagnostic('MP6011', {}, warmPool).severity).toBe('warning');
    expect(diagnostic('MP6011', {}, warmPool, { strict: true }).severity).toBe('error');
  });
});
