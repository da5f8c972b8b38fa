/**
 * Attacks from a model file, as a user's repository sees them: a temporary
 * repository with the reference platform, one victim model (fraud-detector)
 * and hostile model files, and the real CLI (bin/modelplane.js). Each attack is
 * refused with a diagnostic naming the file, or has no effect on what the
 * victim compiles to.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lines, makeRepo, STACK_FRAME, type Repo, type RunResult } from '../support/repo.js';

const VICTIM = 'fraud-detector';
const PROBE = 'models/aaa-probe.ts';

/**
 * A valid model file: a copy of the victim's definition (taken before `body`
 * runs) under the id `aaa-probe`, which sorts before the victim, so it is
 * loaded first and has every chance to tamper with it.
 */
function probe(body: string, id = 'aaa-probe'): string {
  return [
    "import { defineModel } from '../src/index.js';",
    "import victim from './fraud-detector.ts';",
    'const original = structuredClone(victim);',
    'const outcomes: string[] = [];',
    'const attempt = async (name: string, f: () => unknown) => {',
    '  try { await f(); outcomes.push(`${name}=done`); } catch (e) { outcomes.push(`${name}=${(e as { code?: string }).code ?? (e as Error).message}`); }',
    '};',
    body,
    "console.error(`probe: ${outcomes.join(' ')}`);",
    `export default defineModel({ ...original, id: '${id}' });`,
    '',
  ].join('\n');
}

/** generated/ files of the victim, by path. */
async function victimFiles(repo: Repo): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [file, bytes] of await repo.tree()) if (file.split('/')[2] === VICTIM) out.set(file, bytes.toString('utf8'));
  return out;
}

/** The probe's own report line (printed by the probe to stderr while it loads). */
function outcomes(run: RunResult): Record<string, string> {
  const line = lines(run.stderr).find((l) => l.startsWith('[definition output] probe: '));
  expect(line, run.stderr).toBeDefined();
  return Object.fromEntries(line!.slice('[definition output] probe: '.length).split(' ').map((kv) => kv.split('=') as [string, string]));
}

const diagnosticLines = (run: RunResult, code: string) => lines(run.stderr).filter((l) => l.includes(` - error ${code}: `));

function expectNoInternalError(run: RunResult): void {
  expect(run.stderr + run.stdout).not.toMatch(/internal error/i);
  expect(run.stderr).not.toMatch(STACK_FRAME);
}

const repos: Repo[] = [];
async function repoWith(files: Record<string, string>, models: readonly string[] = [VICTIM]): Promise<Repo> {
  const repo = await makeRepo({ models });
  repos.push(repo);
  for (const [file, text] of Object.entries(files)) await repo.write(file, text);
  return repo;
}
afterAll(async () => {
  await Promise.all(repos.map((r) => r.cleanup()));
});

let baseline: Map<string, string>;
beforeAll(async () => {
  const repo = await repoWith({});
  const run = await repo.run(['synth']);
  expect(run.code, run.stderr).toBe(0);
  baseline = await victimFiles(repo);
  expect(baseline.size).toBeGreaterThan(5);
});

describe('a model file that tampers with another model', () => {
  let repo: Repo;
  let run: RunResult;
  beforeAll(async () => {
    repo = await repoWith({
      [PROBE]: probe(`
const raise = (d: any) => { d.deploy.prod.replicas = { min: 20, max: 40 }; };
await attempt('own-copy', () => raise(victim));
// The victim's bundle, found next to this file's own module URL.
await attempt('sibling-bundle', async () => raise((await import(new URL('./${VICTIM}.mjs', import.meta.url).href)).default));
// The URL the loader used to import it (file URL of the .ts file, with its content hash).
await attempt('loader-url', async () => {
  const { createHash } = await import('node:crypto');
  const { readFileSync } = await import('node:fs');
  const { pathToFileURL } = await import('node:url');
  const file = process.cwd() + '/models/${VICTIM}.ts';
  const digest = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
  raise((await import(pathToFileURL(file).href + '?v=' + digest)).default);
});
await attempt('array-prototype', () => { (Array.prototype as any).map = function () { return []; }; });
await attempt('object-prototype', () => Object.defineProperty(Object.prototype, 'canary', { get: () => undefined }));
await attempt('global-json', () => { (globalThis as any).JSON = { stringify: () => '{}', parse: () => ({}) }; });
console.log('::error file=models/${VICTIM}.ts,line=1::forged annotation');
console.log('synth: wrote 0 files');
`),
    });
    run = await repo.run(['synth']);
  });

  it('compiles, and the victim compiles to exactly what it does alone', async () => {
    expect(run.code, run.stderr).toBe(0);
    expectNoInternalError(run);
    const files = await victimFiles(repo);
    expect([...files.keys()]).toEqual([...baseline.keys()]);
    for (const [file, text] of baseline) expect(files.get(file), file).toBe(text);
  });

  it('could only mutate its own copy, and was refused the shared intrinsics', () => {
    const o = outcomes(run);
    expect(o['own-copy']).toBe('done'); // its own bundle's copy of the victim: no effect elsewhere
    expect(o['sibling-bundle']).toBe('done'); // a second instance, not the one the loader read
    expect(o['loader-url']).not.toBe('done');
    expect(o['array-prototype']).not.toBe('done');
    expect(o['object-prototype']).not.toBe('done');
    expect(o['global-json']).not.toBe('done');
  });

  it('cannot print to stdout or start a line with a workflow command', () => {
    expect(run.stdout).not.toContain('forged annotation');
    expect(run.stdout).not.toContain('wrote 0 files');
    expect(lines(run.stderr).filter((l) => l.startsWith('::'))).toEqual([]);
    expect(run.stderr).toContain('[definition output] ::error file=models/fraud-detector.ts,line=1::forged annotation');
  });

  it('does not change its own output either: its copy was taken before the mutations', async () => {
    const own = (await repo.read('generated/prod/aaa-probe/inferenceservice-aaa-probe-v4-1-0.yaml')).toString();
    expect(own).toContain('minReplicas: 15');
  });
});

describe('a model file that looks for secrets', () => {
  let run: RunResult;
  beforeAll(async () => {
    const repo = await repoWith({
      'models/zz-leak.ts': `
import { readFileSync } from 'node:fs';
const tryRead = (p: string) => { try { return readFileSync(p, 'utf8').length; } catch (e) { return (e as { code?: string }).code; } };
throw new Error('seen ' + JSON.stringify({
  token: process.env.GITHUB_TOKEN ?? null,
  kube: process.env.KUBECONFIG ?? null,
  keys: Object.keys(process.env).length,
  environ: tryRead('/proc/self/environ'),
  parent: tryRead('/proc/' + process.ppid + '/environ'),
  kubeconfig: tryRead(${JSON.stringify(path.join(os.tmpdir(), 'modelplane-probe-kubeconfig'))}),
  git: tryRead(process.cwd() + '/package.json'),
}));
`,
    });
    run = await repo.run(['validate'], { GITHUB_TOKEN: 'ghs_probeSecretToken123', KUBECONFIG: '/root/.kube/config', AWS_SECRET_ACCESS_KEY: 'probe-aws' });
  });

  it('sees an empty environment and cannot read files outside models/ and policies/', () => {
    expect(run.code).toBe(1);
    const line = diagnosticLines(run, 'MP1001').find((l) => l.startsWith('models/zz-leak.ts:'));
    expect(line, run.stderr).toBeDefined();
    const seen = JSON.parse(/seen (\{.*\})/.exec(line!)![1]) as Record<string, unknown>;
    expect(seen).toEqual({ token: null, kube: null, keys: 0, environ: 'ERR_ACCESS_DENIED', parent: 'ERR_ACCESS_DENIED', kubeconfig: 'ERR_ACCESS_DENIED', git: 'ERR_ACCESS_DENIED' });
    expect(run.stderr + run.stdout).not.toContain('ghs_probeSecretToken123');
  });
});

describe('a model file that writes, spawns or imports outside the repository', () => {
  let repo: Repo;
  let run: RunResult;
  let outside: string;
  let platformBefore: string;
  beforeAll(async () => {
    outside = await mkdtemp(path.join(os.tmpdir(), 'modelplane-outside-'));
    repo = await repoWith({
      [PROBE]: probe(`
const fs = await import('node:fs');
await attempt('platform', () => fs.writeFileSync(process.cwd() + '/policies/platform.ts', 'export default 1;'));
await attempt('codeowners', () => fs.writeFileSync(process.cwd() + '/.github/CODEOWNERS', '* @attacker'));
await attempt('outside', () => fs.writeFileSync(${JSON.stringify(path.join(outside, 'pwned.txt'))}, 'x'));
await attempt('generated', () => fs.mkdirSync(process.cwd() + '/generated/prod/evil', { recursive: true }));
await attempt('spawn', async () => (await import('node:child_process')).execFileSync('touch', [${JSON.stringify(path.join(outside, 'spawned'))}]));
await attempt('worker', async () => new (await import('node:worker_threads')).Worker('1', { eval: true }));
`),
      'models/zz-import.ts': "import config from '../package.json';\nexport default config;\n",
    });
    platformBefore = await repo.read('policies/platform.ts');
    run = await repo.run(['synth']);
  });
  afterAll(() => rm(outside, { recursive: true, force: true }));

  it('is refused every write, child process and worker', () => {
    const o = outcomes(run);
    for (const key of ['platform', 'codeowners', 'outside', 'generated', 'spawn', 'worker']) expect(o[key], key).toBe('ERR_ACCESS_DENIED');
    expect(existsSync(path.join(outside, 'pwned.txt'))).toBe(false);
    expect(existsSync(path.join(outside, 'spawned'))).toBe(false);
  });

  it('leaves policies/platform.ts as it was', async () => {
    expect(await repo.read('policies/platform.ts')).toBe(platformBefore);
  });

  it('cannot import a file outside models/, policies/ and the authoring API', () => {
    const line = diagnosticLines(run, 'MP1001').find((l) => l.startsWith('models/zz-import.ts:1:'));
    expect(line, run.stderr).toContain("imports '../package.json', which is outside models/, policies/ and the authoring API");
    expect(run.code).toBe(1);
    expectNoInternalError(run);
  });
});

describe('a model file that ends the process', () => {
  const FILES = {
    now: 'models/exit-now.ts',
    caught: 'models/exit-caught.ts',
    later: 'models/exit-later.ts',
    kill: 'models/exit-kill.ts',
  };
  let validate: RunResult;
  let check: RunResult;
  beforeAll(async () => {
    const repo = await repoWith({
      [FILES.now]: "process.exit(0);\nexport default {};\n",
      [FILES.caught]: probe("await attempt('exit', () => process.exit(0));", 'exit-caught'),
      [FILES.later]: probe("setTimeout(() => (process as any).reallyExit(0), 0);\nawait attempt('none', () => 0);", 'exit-later'),
      [FILES.kill]: "process.kill(process.pid, 'SIGKILL');\nexport default {};\n",
    });
    const synth = await repo.run(['synth']);
    expect(synth.code).toBe(1);
    [validate, check] = await Promise.all([repo.run(['validate']), repo.run(['synth', '--check'])]);
  });

  it('never passes validate or synth --check', () => {
    expect(validate.code).toBe(1);
    expect(check.code).toBe(1);
    expectNoInternalError(validate);
    expectNoInternalError(check);
  });

  it('is an MP1009 diagnostic naming each file, at the line that exits', () => {
    const found = diagnosticLines(validate, 'MP1009');
    expect(found.some((l) => l.startsWith(`${FILES.now}:1:`)), validate.stderr).toBe(true);
    expect(found.some((l) => l.startsWith(`${FILES.caught}:`)), validate.stderr).toBe(true);
    expect(found.some((l) => l.startsWith(`${FILES.later}:`)), validate.stderr).toBe(true);
    expect(found.some((l) => l.startsWith(`${FILES.kill}:`)), validate.stderr).toBe(true);
  });

  it('still loads the other files', () => {
    expect(lines(validate.stderr).filter((l) => l.startsWith(`models/${VICTIM}.ts`))).toEqual([]);
  });
});

describe('a model file that never finishes importing', () => {
  let run: RunResult;
  beforeAll(async () => {
    const repo = await repoWith({
      'models/hang-await.ts': 'await new Promise(() => {});\nexport default {};\n',
      'models/hang-loop.ts': 'while (true) {}\nexport default {};\n',
    });
    run = await repo.run(['validate'], { MODELPLANE_IMPORT_TIMEOUT_MS: '1500' });
  });

  it('is abandoned at the deadline with a diagnostic naming it', () => {
    expect(run.code).toBe(1);
    const found = diagnosticLines(run, 'MP1009');
    expect(found.find((l) => l.startsWith('models/hang-await.ts:')), run.stderr).toContain('did not finish loading within 1.5 s');
    expect(found.find((l) => l.startsWith('models/hang-loop.ts:')), run.stderr).toContain('did not finish loading within 1.5 s');
    expect(lines(run.stderr).filter((l) => l.includes(' - error '))).toHaveLength(2);
    expectNoInternalError(run);
  });
});

describe('a getter that would send output out of generated/', () => {
  let repo: Repo;
  let run: RunResult;
  let rootBefore: string[];
  beforeAll(async () => {
    repo = await repoWith({
      [PROBE]: `import { defineModel } from '../src/index.js';
import victim from './${VICTIM}.ts';
let reads = 0;
const definition: any = structuredClone(victim);
Object.defineProperty(definition, 'id', { enumerable: true, get: () => (reads++ === 0 ? 'aaa-probe' : '../../../escaped') });
export default defineModel(definition);
`,
    });
    rootBefore = (await readdir(repo.root)).sort();
    run = await repo.run(['synth']);
  });

  it('is read once: the model compiles under the id it first returned', async () => {
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(path.join(repo.root, 'generated/prod/aaa-probe'))).toBe(true);
    expect((await readdir(repo.root)).filter((name) => !rootBefore.includes(name)).sort()).toEqual(['.github', 'generated']);
    expect(existsSync(path.join(repo.root, '..', 'escaped'))).toBe(false);
  });
});

describe('a generated folder that is a symbolic link out of the repository', () => {
  let run: RunResult;
  let outside: string;
  beforeAll(async () => {
    outside = await mkdtemp(path.join(os.tmpdir(), 'modelplane-outside-'));
    const repo = await repoWith({});
    await mkdir(path.join(repo.root, 'generated'), { recursive: true });
    await symlink(outside, path.join(repo.root, 'generated', 'prod'), 'dir');
    run = await repo.run(['synth']);
  });
  afterAll(() => rm(outside, { recursive: true, force: true }));

  it('is refused, and nothing is written through it', async () => {
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("'generated/prod' is a symbolic link");
    expect(await readdir(outside)).toEqual([]);
  });
});

describe('models that share a mutable helper', () => {
  let repo: Repo;
  let runs: RunResult[];
  beforeAll(async () => {
    const user = (id: string) =>
      probe(
        `
import { register } from './_shared.ts';
await new Promise((r) => setTimeout(r, Math.random() * 5));
original.deploy.prod.replicas = { min: 15 + register('${id}'), max: 30 };
`,
        id,
      );
    repo = await repoWith({
      'models/_shared.ts': 'const seen: string[] = [];\nexport function register(id: string): number {\n  seen.push(id);\n  return seen.length;\n}\n',
      'models/aaa-probe.ts': user('aaa-probe'),
      'models/zzz-probe.ts': user('zzz-probe'),
    });
    const first = await repo.run(['synth']);
    expect(first.code, first.stderr).toBe(0);
    runs = [];
    for (let batch = 0; batch < 5; batch++) runs.push(...(await Promise.all(Array.from({ length: 4 }, () => repo.run(['synth', '--check'])))));
  }, 300_000);

  it('gives the same output over 20 runs', () => {
    expect(runs).toHaveLength(20);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
  });

  it('gives each file its own instance of the helper, whatever the order', async () => {
    for (const id of ['aaa-probe', 'zzz-probe']) {
      expect(await repo.read(`generated/prod/${id}/inferenceservice-${id}-v4-1-0.yaml`)).toContain('minReplicas: 16');
    }
  });
});

describe('hostile shapes', () => {
  const CASES: Record<string, { source: string; code: string; says: string }> = {
    'models/shape-deep.ts': {
      source: "let o: any = {};\nfor (let i = 0; i < 200_000; i++) o = { o };\nexport default defineModel({ id: 'shape-deep', extra: o } as any);\n",
      code: 'MP1008',
      says: 'nested deeper than 64 levels',
    },
    'models/shape-deep-array.ts': {
      source: "let a: any = [];\nfor (let i = 0; i < 200_000; i++) a = [a];\nexport default defineModel({ id: 'shape-deep-array', versions: a } as any);\n",
      code: 'MP1008',
      says: 'nested deeper than 64 levels',
    },
    'models/shape-getter.ts': {
      source: "export default defineModel({ id: 'shape-getter', get owner(): string { throw new Error('no owner for you'); } } as any);\n",
      code: 'MP1008',
      says: 'owner could not be read: no owner for you',
    },
    'models/shape-proxy.ts': {
      source: "export default defineModel(new Proxy({ id: 'shape-proxy' }, { ownKeys() { throw new Error('trap'); } }) as any);\n",
      code: 'MP1008',
      says: 'could not be read: trap',
    },
    'models/shape-function.ts': {
      source: "export default defineModel({ id: 'shape-function', owner: () => 'risk' } as any);\n",
      code: 'MP1007',
      says: 'owner is a function',
    },
    'models/shape-symbol.ts': {
      source: "export default defineModel({ id: 'shape-symbol', owner: Symbol('risk') } as any);\n",
      code: 'MP1007',
      says: 'owner is a symbol',
    },
    'models/shape-string.ts': {
      source: "export default defineModel({ id: 'shape-string', description: 'x'.repeat(50_000_000) } as any);\n",
      code: 'MP1008',
      says: 'description is a string of 50000000 characters',
    },
    'models/shape-map.ts': {
      source: "export default defineModel({ id: 'shape-map', features: new Map([['a', 'float']]) } as any);\n",
      code: 'MP1007',
      says: 'features is an instance of Map',
    },
    'models/shape-throws-thing.ts': {
      source: "throw new Proxy({}, { get() { throw new Error('no'); }, getPrototypeOf() { throw new Error('no'); } });\n",
      code: 'MP1001',
      says: 'failed to import',
    },
  };
  let run: RunResult;
  beforeAll(async () => {
    const files: Record<string, string> = {};
    for (const [file, c] of Object.entries(CASES)) files[file] = `import { defineModel } from '../src/index.js';\n${c.source}`;
    files['models/shape-nested-source.ts'] = `export default ${'['.repeat(200_000)}${']'.repeat(200_000)};\n`;
    const repo = await repoWith(files);
    run = await repo.run(['validate']);
  });

  it('each gives a diagnostic naming the file, never an internal error', () => {
    expect(run.code).toBe(1);
    expectNoInternalError(run);
    const errors = lines(run.stderr).filter((l) => l.includes(' - error '));
    for (const [file, c] of Object.entries(CASES)) {
      const line = errors.find((l) => l.startsWith(`${file}:`) && l.includes(` ${c.code}: `));
      expect(line, `${file} ${c.code} in:\n${run.stderr}`).toBeDefined();
      expect(line).toContain(c.says);
    }
    expect(errors.some((l) => l.startsWith('models/shape-nested-source.ts:')), run.stderr).toBe(true);
  });
});

describe('a helper that throws, imported by 1,000 models', () => {
  let run: RunResult;
  beforeAll(async () => {
    const files: Record<string, string> = {
      'models/_boom.ts': "export const region = 'eu';\nthrow new Error('helper is broken');\n",
    };
    for (let i = 0; i < 1000; i++) {
      const id = `boom-${String(i).padStart(4, '0')}`;
      files[`models/${id}.ts`] = `import { defineModel } from '../src/index.js';\nimport { region } from './_boom.ts';\nexport default defineModel({ id: '${id}', description: region } as any);\n`;
    }
    const repo = await repoWith(files);
    run = await repo.run(['validate']);
  }, 240_000);

  it('is reported once, at the helper', () => {
    expect(run.code).toBe(1);
    const errors = lines(run.stderr).filter((l) => l.includes(' - error '));
    expect(errors, run.stderr.slice(0, 2000)).toHaveLength(1);
    expect(errors[0]).toMatch(/^models\/_boom\.ts:2:\d+ - error MP1001: models\/_boom\.ts failed to import: helper is broken \(imported by models\/boom-0000\.ts, models\/boom-0001\.ts and 998 other files\)/);
    expectNoInternalError(run);
  });
});
