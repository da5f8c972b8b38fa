import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/cli/compile.js';
import { main } from '../../src/cli/main.js';

const root = path.resolve(import.meta.dirname, '../..');

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'modelplane', '--root', root, ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('modelplane simulate', async () => {
  const { platform } = await compile(root, { render: false });
  const critical = platform!.environments.flatMap((e) => e.models.filter((m) => m.tier.name === 'critical' && m.ramp).map((m) => [m.id, e.name] as const));

  it('finds critical models with a declared ramp in the reference platform', () => {
    expect(critical.length).toBeGreaterThanOrEqual(4);
  });

  it.each(critical)('reports zero unserved requests for %s in %s on its declared ramp', async (model, env) => {
    const result = await cli(['simulate', model, '--env', env]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/declared ramp: [\d.]+ → [\d.]+ rps in \d+ s/);
    const unserved = [...result.out.matchAll(/unserved requests: (\d+)/g)].map((m) => Number(m[1]));
    expect(unserved).toHaveLength(2);
    expect(unserved[0]).toBe(0);
    expect(result.out).toContain('# ready capacity');
  });

  it('refuses a model that is not deployed in the environment', async () => {
    const result = await cli(['simulate', 'no-such-model', '--env', 'prod']);
    expect(result.code).toBe(1);
    expect(result.err).toContain("model 'no-such-model' is not deployed");
  });
});
