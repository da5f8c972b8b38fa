/**
 * Message templates of the catalogue: every code has one, typed arguments →
 * the message every call site of the code prints, and no call site in src/
 * writes a message itself.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ALL_CODES, CATALOGUE, type CodeEntry, diagnostic, message, NO_CODE_TAKES_A_STRING } from '../../src/diagnostics/index.js';
import { validateDefinitions } from '../../src/validate/index.js';
import { asDefinitions, cloneReference, modelOf } from '../support/definitions.js';

const NOW = new Date('2026-11-01T00:00:00Z');
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * Object literals that would be diagnostics built around the catalogue: a
 * `message` next to a `code`, a `severity` or a spread (`{ ...d, message }`).
 */
function diagnosticLiterals(name: string, text: string): string[] {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const keys = node.properties.map((p) => (ts.isSpreadAssignment(p) ? '...' : (p.name?.getText(source) ?? '')));
      if (keys.includes('message') && keys.some((k) => k === 'code' || k === 'severity' || k === '...')) found.push(`${name}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('message templates', () => {
  it.each([
    ['MP3001', { value: 'riks', known: ['risk', 'vision'] }, `owner "riks" is not a team of the platform: teams are 'risk', 'vision'`],
    ['MP3003', { value: 'gpu-h100', known: [] }, 'pool "gpu-h100" is not a node pool of the platform: pools are (none)'],
    ['MP3005', { field: 'defaultPolicy', value: 'yolo', known: ['fast'] }, `defaultPolicy "yolo" is not a rollout policy: policies are 'fast'`],
    ['MP3006', { role: 'canary', value: '9.9.9', known: ['4.1.0'] }, `canary version "9.9.9" is not in versions: declared versions are '4.1.0'`],
    ['MP3008', { messageId: 'format', runtime: 'triton', format: 'onnx', served: ['pytorch'] }, `runtime 'triton' does not serve format "onnx": it serves 'pytorch'`],
    ['MP3010', { env: 'prod', step: 4, policy: 'progressive', steps: 4 }, `canary.step 4 is out of range: policy 'progressive' has 4 steps (0–3)`],
    ['MP3010', { env: 'prod', step: 0, policy: 'direct', steps: 0 }, `canary.step 0 is out of range: policy 'direct' has no steps (it deploys directly); set deploy.prod.version instead of a canary`],
    ['MP3013', { messageId: 'policy', name: 'ctr', first: 0 }, `quality check 'ctr' is declared twice (first as analysis.quality[0]): give each check of the policy its own name`],
    ['MP4001', { messageId: 'owner', owner: 'Risk' }, `owner "Risk" gives an invalid namespace name (<owner>-<env> must be a DNS-1035 label: lower-case letters, digits and '-', starting with a letter, at most 63 characters): name a team of the platform whose name is such a label`],
    ['MP1010', { messageId: 'script', file: 'models/a.js', dir: 'models', name: 'a.js' }, 'models/a.js is under models/ but is not loaded: only TypeScript files (.ts, .mts) are loaded: rename it to models/a.ts, or prefix it with _ if it is a helper'],
    [
      'MP6011',
      { model: 'm', version: '1.0.0', env: 'prod', tier: 'standard', min: 1, max: 1, needed: 3, declared: false, reasons: [{ kind: 'peak', warmPool: 3, peakRps: 100, headroom: 1.2, rpsPerReplica: 50, tierMinimum: 1 }] },
      'm 1.0.0 in prod runs 1 minimum replica, but needs 3: below the warm pool 3 that 100 rps at peak needs (ceil(100 × headroom 1.2 / 50 rps per replica), at least the tier minimum 1) (MP6011). Fix: set deploy.prod.replicas to { min: 3, max: 3 } (or raise tiers.standard.minReplicas.prod)',
    ],
  ] as const)('%s renders its arguments', (code, args, expected) => {
    expect(message(code, args as never)).toBe(expected);
  });

  it('exist for every code of the catalogue: a default message, and only functions', () => {
    for (const code of ALL_CODES) {
      const entry: CodeEntry = CATALOGUE[code];
      expect(typeof entry.messages.default, code).toBe('function');
      for (const [id, template] of Object.entries(entry.messages)) expect(typeof template, `${code} ${id}`).toBe('function');
    }
  });

  it('take typed arguments, never the text of a message', () => {
    expect(NO_CODE_TAKES_A_STRING).toBe(true);
    // @ts-expect-error a message is built from the code's arguments; a string does not type-check
    expect(() => diagnostic('MP2001', {}, 'unknown field')).toThrow(/bug: MP2001 was given string/);
    // @ts-expect-error the arguments of another message of the code do not type-check either
    expect(() => diagnostic('MP3008', {}, { messageId: 'nope', value: 'x', known: [] })).toThrow(/bug: MP3008 has no message 'nope'/);
  });

  it('are the only way src/ builds a diagnostic: no diagnostic object literal, no message edited afterwards', () => {
    const scanned = files(SRC).filter((f) => !f.startsWith(path.join(SRC, 'diagnostics') + path.sep));
    expect(scanned.length).toBeGreaterThan(40);
    expect(scanned.flatMap((file) => diagnosticLiterals(path.relative(SRC, file), readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('finds a diagnostic object literal or an edited message, and nothing else', () => {
    const text = [
      "out.push({ code: 'MP1003', severity: 'error', file, message: 'policies/platform.ts is missing' });",
      'out.push({ ...first, message: `${first.message} (imported by x)` });',
      "events.push({ kind: 'crash', message: 'ended the loading process', stack: '' });",
    ].join('\n');
    expect(diagnosticLiterals('x.ts', text)).toEqual(['x.ts:1', 'x.ts:2']);
  });

  it('are what validate prints for the code', async () => {
    const d = await cloneReference();
    modelOf(d, 'fraud-detector').deploy.prod.pool = 'gpu-h100';
    const found = validateDefinitions(asDefinitions(d), NOW).filter((x) => x.code === 'MP3003');
    expect(found.map((x) => x.message)).toEqual([message('MP3003', { value: 'gpu-h100', known: Object.keys(d.platform.value.nodePools) })]);
  });
});
