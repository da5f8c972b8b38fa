/** Message templates of the catalogue: typed arguments → the message every call site of the code prints. */
import { describe, expect, it } from 'vitest';
import { message, TEMPLATES } from '../../src/diagnostics/index.js';
import { CATALOGUE } from '../../src/diagnostics/codes.js';
import { validateDefinitions } from '../../src/validate/index.js';
import { asDefinitions, cloneReference, modelOf } from '../support/definitions.js';

const NOW = new Date('2026-11-01T00:00:00Z');

describe('message templates', () => {
  it.each([
    ['MP3001', { value: 'riks', known: ['risk', 'vision'] }, `owner "riks" is not a team of the platform: teams are 'risk', 'vision'`],
    ['MP3003', { value: 'gpu-h100', known: [] }, 'pool "gpu-h100" is not a node pool of the platform: pools are (none)'],
    ['MP3005', { field: 'defaultPolicy', value: 'yolo', known: ['fast'] }, `defaultPolicy "yolo" is not a rollout policy: policies are 'fast'`],
    ['MP3006', { role: 'canary', value: '9.9.9', known: ['4.1.0'] }, `canary version "9.9.9" is not in versions: declared versions are '4.1.0'`],
  ] as const)('%s renders its arguments', (code, args, expected) => {
    expect(message(code, args as never)).toBe(expected);
  });

  it('exist only for catalogued codes', () => {
    for (const code of Object.keys(TEMPLATES)) expect(Object.keys(CATALOGUE)).toContain(code);
  });

  it('are what validate prints for the code', async () => {
    const d = await cloneReference();
    modelOf(d, 'fraud-detector').deploy.prod.pool = 'gpu-h100';
    const found = validateDefinitions(asDefinitions(d), NOW).filter((x) => x.code === 'MP3003');
    expect(found.map((x) => x.message)).toEqual([message('MP3003', { value: 'gpu-h100', known: Object.keys(d.platform.value.nodePools) })]);
  });
});
