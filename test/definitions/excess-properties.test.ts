/**
 * TypeScript refuses a misspelt field in `defineModel`, `definePlatform` and
 * `defineRolloutPolicy` at every depth, so an editor underlines it before
 * `modelplane validate` runs. The fixture marks each mistake with
 * `// @ts-expect-error`: if the check is lost, the directive is unused and
 * the compilation fails.
 */
import { describe, expect, it } from 'vitest';
import { compile, describeDiagnostic } from './compile.js';

const FIXTURE = 'test/definitions/fixtures/misspelt-fields.ts';
const DIRECTIVE = /^(\s*)\/\/ @ts-expect-error.*$/;

describe('define* functions in an editor', () => {
  it('compile the fixture: every marked mistake is refused and nothing else is', () => {
    const { diagnostics } = compile(FIXTURE);
    expect(diagnostics.map(describeDiagnostic)).toEqual([]);
  });

  it('refuse each misspelt field on its own line, naming it and the field meant', () => {
    let marked: { line: number }[] = [];
    const { diagnostics } = compile(FIXTURE, (text) => {
      const lines = text.split('\n');
      marked = lines.flatMap((line, i) => (DIRECTIVE.test(line) ? [{ line: i + 2 }] : []));
      // Each directive applies to the line after it (1-based: index + 2).
      return lines.map((line) => line.replace(DIRECTIVE, '$1//')).join('\n');
    });
    expect(marked.length).toBeGreaterThanOrEqual(17);
    const found = diagnostics.map(describeDiagnostic);
    expect(found.map((d) => Number(d.split(':')[0]))).toEqual(marked.map((m) => m.line));
    const excess = found.filter((d) => /TS(2353|2561)/.test(d));
    const typos = ['descripton', 'runtim', 'gpuMemoryGB', 'tarffic', 'rampSecond', 'uri', 'maxDelt', 'targetRevison', 'taint', 'vaule', 'headrom', 'timeoutSecond', 'keepPreviousFr', 'maxErrorRate', 'requireApprovals'];
    for (const typo of typos) expect(excess.filter((d) => d.includes(`'${typo}' does not exist`)).length, typo).toBeGreaterThan(0);
    // TypeScript's own suggestion where the object is the direct target.
    expect(excess.find((d) => d.includes("'tarffic'"))).toContain("Did you mean to write 'traffic'?");
    expect(found.some((d) => d.includes('TS2540') && d.includes("'deploy'"))).toBe(true);
  });
});
