/**
 * editModelSource on the text of the fixture's models/card-fraud.ts (prod:
 * stable 4.1.0, canary 4.2.0 at step 1 of 'progressive'; staging: 4.2.0). Each
 * edit is asserted as the exact text it must produce (only the lines of
 * `deploy.<env>` that carry the change differ), and the edited files are then
 * compiled in a temporary repository to show they still load and resolve.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/cli/compile.js';
import { EditError, editModelSource, restoreDeploymentSource, type DeploymentEdit } from '../../src/source/index.js';
import { formatDiagnostic } from '../../src/diagnostics/index.js';
import { FIXTURE_ROOT, makeRepo } from '../support/repo.js';

const FILE = 'models/card-fraud.ts';
const TEXT = readFileSync(path.join(FIXTURE_ROOT, FILE), 'utf8');
const UNTIL = '2030-01-01T02:00:00Z';

const CANARY_LINE = "      canary: { version: '4.2.0', policy: 'progressive', step: 1 },\n";
const PROD_VERSION = "    prod: {\n      version: '4.1.0',\n";
const STAGING_VERSION = "    staging: {\n      version: '4.2.0',\n";

/** `TEXT` with the one occurrence of `from` replaced (fails the test setup when it is absent or not unique). */
function replaced(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`test setup: ${JSON.stringify(from)} must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const WITHOUT_CANARY = replaced(TEXT, CANARY_LINE, '');
const PROMOTED = replaced(TEXT, `${PROD_VERSION}${CANARY_LINE}`, `    prod: {\n      version: '4.2.0',\n      previous: { version: '4.1.0', until: '${UNTIL}' },\n`);

describe('the fixture file the edits start from', () => {
  it('holds the prod canary, the staging deployment and the comments the edits must keep', () => {
    for (const fragment of [CANARY_LINE, PROD_VERSION, STAGING_VERSION, '// Owned by @acme/risk-ml.', "    // 4.2.0 is a canary in prod: step 1 of 'progressive' sends it 25 % of traffic.\n"])
      expect(TEXT).toContain(fragment);
  });
});

describe('editModelSource', () => {
  it('set-step changes only the step of the prod canary', () => {
    const out = editModelSource(TEXT, 'prod', { kind: 'set-step', step: 2 });
    expect(out).toBe(replaced(TEXT, CANARY_LINE, "      canary: { version: '4.2.0', policy: 'progressive', step: 2 },\n"));
  });

  it('promote makes the canary stable, drops the canary and keeps the old stable as previous', () => {
    const out = editModelSource(TEXT, 'prod', { kind: 'promote', version: '4.2.0', previous: '4.1.0', until: UNTIL });
    expect(out).toBe(PROMOTED);
  });

  it('deploy replaces the stable version directly and keeps the old one as previous', () => {
    const out = editModelSource(TEXT, 'staging', { kind: 'deploy', version: '4.1.0', previous: '4.2.0', until: UNTIL });
    expect(out).toBe(replaced(TEXT, STAGING_VERSION, `    staging: {\n      version: '4.1.0',\n      previous: { version: '4.2.0', until: '${UNTIL}' },\n`));
  });

  it('abort-canary removes the canary line and nothing else', () => {
    expect(editModelSource(TEXT, 'prod', { kind: 'abort-canary' })).toBe(WITHOUT_CANARY);
  });

  it('start-canary adds a step-0 canary right after the stable version', () => {
    const out = editModelSource(WITHOUT_CANARY, 'prod', { kind: 'start-canary', version: '4.2.0', policy: 'progressive' });
    expect(out).toBe(replaced(TEXT, CANARY_LINE, "      canary: { version: '4.2.0', policy: 'progressive', step: 0 },\n"));
  });

  it('start-canary in staging leaves the prod canary alone', () => {
    const out = editModelSource(TEXT, 'staging', { kind: 'start-canary', version: '4.1.0', policy: 'fast' });
    expect(out).toBe(replaced(TEXT, STAGING_VERSION, `${STAGING_VERSION}      canary: { version: '4.1.0', policy: 'fast', step: 0 },\n`));
  });

  it('expire-previous removes the previous version kept warm after a promotion', () => {
    const out = editModelSource(PROMOTED, 'prod', { kind: 'expire-previous' });
    expect(out).toBe(replaced(TEXT, `${PROD_VERSION}${CANARY_LINE}`, "    prod: {\n      version: '4.2.0',\n"));
  });

  it('expire-previous without a previous version leaves the text unchanged', () => {
    expect(editModelSource(TEXT, 'prod', { kind: 'expire-previous' })).toBe(TEXT);
  });

  it('quotes versions it writes so that a quote cannot end the string literal', () => {
    const out = editModelSource(WITHOUT_CANARY, 'prod', { kind: 'start-canary', version: "4.2.0'+x", policy: 'progressive' });
    expect(out).toContain("canary: { version: '4.2.0\\'+x', policy: 'progressive', step: 0 }");
  });

  it('finds an environment written as a quoted key', () => {
    const quoted = replaced(TEXT, '    prod: {\n', "    'prod': {\n");
    expect(editModelSource(quoted, 'prod', { kind: 'set-step', step: 3 })).toContain("policy: 'progressive', step: 3 }");
  });

  it('keeps tab indentation when it inserts a property', () => {
    const tabbed = WITHOUT_CANARY.replace(/^( {2})+/gm, (spaces) => '\t'.repeat(spaces.length / 2));
    const out = editModelSource(tabbed, 'prod', { kind: 'start-canary', version: '4.2.0', policy: 'progressive' });
    expect(out).toContain("\t\tprod: {\n\t\t\tversion: '4.1.0',\n\t\t\tcanary: { version: '4.2.0', policy: 'progressive', step: 0 },\n");
  });

  it('sees through `satisfies`, `as const` and parentheses around the deployment, the deploy map and the call argument', () => {
    const wrapped = replaced(
      replaced(replaced(TEXT, 'export default defineModel({', 'export default defineModel(({'), '\n  },\n});\n', '\n  } satisfies Record<string, object>,\n}) as const);\n'),
      `${CANARY_LINE}      pool: 'cpu-general',\n      resources: { cpu: 2, memoryGiB: 4 },\n      traffic: { peakRps: 6000 },\n    },`,
      `${CANARY_LINE}      pool: 'cpu-general',\n      resources: { cpu: 2, memoryGiB: 4 },\n      traffic: { peakRps: 6000 },\n    } as const,`,
    );
    expect(editModelSource(wrapped, 'prod', { kind: 'set-step', step: 2 })).toBe(replaced(wrapped, CANARY_LINE, "      canary: { version: '4.2.0', policy: 'progressive', step: 2 },\n"));
    expect(editModelSource(wrapped, 'prod', { kind: 'abort-canary' })).toBe(replaced(wrapped, CANARY_LINE, ''));
  });

  const refusals: { title: string; text: string; env: string; edit: DeploymentEdit; message: RegExp }[] = [
    { title: 'start-canary when a canary is already in flight', text: TEXT, env: 'prod', edit: { kind: 'start-canary', version: '4.2.0', policy: 'progressive' }, message: /deploy\.prod already has a canary/ },
    { title: 'set-step without a canary', text: WITHOUT_CANARY, env: 'prod', edit: { kind: 'set-step', step: 2 }, message: /deploy\.prod has no canary to advance/ },
    { title: 'abort-canary without a canary', text: WITHOUT_CANARY, env: 'prod', edit: { kind: 'abort-canary' }, message: /deploy\.prod has no canary to roll back/ },
    { title: 'an environment the file does not deploy to', text: TEXT, env: 'dev', edit: { kind: 'abort-canary' }, message: /deploy\.dev is not written as an object literal/ },
    {
      title: 'a canary that is not an object literal',
      text: replaced(TEXT, CANARY_LINE, '      canary,\n'),
      env: 'prod',
      edit: { kind: 'set-step', step: 2 },
      message: /deploy\.prod\.canary is not written as an object literal/,
    },
    {
      title: 'a deploy map built outside the call',
      text: replaced(TEXT, '  deploy: {\n', '  deploy: DEPLOY,\n  _unused: {\n'),
      env: 'prod',
      edit: { kind: 'abort-canary' },
      message: /deploy is not written as an object literal/,
    },
    { title: 'a file without defineModel', text: 'export default {};\n', env: 'prod', edit: { kind: 'abort-canary' }, message: /no `defineModel\(\{\.\.\.\}\)` call/ },
  ];

  it.each(refusals)('refuses $title with an EditError', ({ text, env, edit, message }) => {
    let thrown: unknown;
    try {
      editModelSource(text, env, edit);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EditError);
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('restoreDeploymentSource', () => {
  it('writes deploy.<env> as it was in the earlier text and keeps every other line of the current one', () => {
    const current = replaced(PROMOTED, "// Owned by @acme/risk-ml.\n", "// Owned by @acme/risk-ml (edited after the release).\n");
    expect(restoreDeploymentSource(current, TEXT, 'prod')).toBe(replaced(TEXT, "// Owned by @acme/risk-ml.\n", "// Owned by @acme/risk-ml (edited after the release).\n"));
  });

  it('leaves the other environments as they are now', () => {
    const current = editModelSource(TEXT, 'staging', { kind: 'deploy', version: '4.1.0', previous: '4.2.0', until: UNTIL });
    const restored = restoreDeploymentSource(editModelSource(current, 'prod', { kind: 'abort-canary' }), current, 'prod');
    expect(restored).toBe(current);
  });

  it('finds the deployment through `as const` in either text', () => {
    const wrapped = replaced(TEXT, '\n  },\n});\n', '\n  } as const,\n});\n');
    expect(restoreDeploymentSource(replaced(wrapped, CANARY_LINE, ''), TEXT, 'prod')).toBe(wrapped);
  });

  it('refuses with an EditError when deploy.<env> is not written as an object literal', () => {
    expect(() => restoreDeploymentSource(replaced(TEXT, '  deploy: {\n', '  deploy: DEPLOY,\n  _unused: {\n'), TEXT, 'prod')).toThrow(EditError);
  });
});

describe('edited model files still load, validate and resolve', () => {
  /**
   * Writes `text` as the model file of a fresh temporary repository and compiles
   * it in-process (no render). A fresh directory per load: under vitest the
   * loader's `?v=` query does not bust the module cache of a re-imported path.
   */
  async function resolved(text: string) {
    const repo = await makeRepo({ platform: 'fixture', models: ['card-fraud'] });
    try {
      await repo.write(FILE, text);
      const result = await compile(repo.root, { render: false });
      expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
      const byEnv = (env: string) => result.platform!.environments.find((e) => e.name === env)!.models.find((m) => m.id === 'card-fraud')!;
      return { prod: byEnv('prod'), staging: byEnv('staging') };
    } finally {
      await repo.cleanup();
    }
  }

  it('set-step resolves to step 2 at 50 %', async () => {
    const { prod, staging } = await resolved(editModelSource(TEXT, 'prod', { kind: 'set-step', step: 2 }));
    expect(prod.canary).toEqual({ version: '4.2.0', policy: 'progressive', step: 2, weight: 50, analysisRun: 'card-fraud-v4-2-0-s2' });
    expect(prod.stable).toBe('4.1.0');
    expect(staging.stable).toBe('4.2.0');
    expect(staging.canary).toBeUndefined();
  });

  it('promote resolves to stable 4.2.0 with 4.1.0 kept warm and no canary', async () => {
    const { prod } = await resolved(PROMOTED);
    expect(prod.stable).toBe('4.2.0');
    expect(prod.canary).toBeUndefined();
    expect(prod.previous).toEqual({ version: '4.1.0', until: UNTIL });
    expect(prod.servers.map((s) => [s.version, s.roles, s.weight])).toEqual([
      ['4.2.0', ['stable'], 100],
      ['4.1.0', ['previous'], 0],
    ]);
  });

  it('abort-canary resolves to all traffic on 4.1.0 with one server', async () => {
    const { prod } = await resolved(WITHOUT_CANARY);
    expect(prod.canary).toBeUndefined();
    expect(prod.servers.map((s) => s.version)).toEqual(['4.1.0']);
  });

  it('start-canary resolves to step 0 at 5 %', async () => {
    const { prod } = await resolved(editModelSource(WITHOUT_CANARY, 'prod', { kind: 'start-canary', version: '4.2.0', policy: 'progressive' }));
    expect(prod.canary).toEqual({ version: '4.2.0', policy: 'progressive', step: 0, weight: 5, analysisRun: 'card-fraud-v4-2-0-s0' });
  });

  it('expire-previous resolves to a single stable server', async () => {
    const { prod } = await resolved(editModelSource(PROMOTED, 'prod', { kind: 'expire-previous' }));
    expect(prod.previous).toBeUndefined();
    expect(prod.servers.map((s) => s.version)).toEqual(['4.2.0']);
  });
});
