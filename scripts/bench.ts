/**
 * Synth benchmark.
 *
 *   npm run bench                               # N = 250, 1000, 2000
 *   npm run bench -- --sizes 250,1000           # other sizes
 *   npm run bench -- --runs 5                   # repetitions per measurement (median; default 3)
 *   npm run bench -- --phases                   # also time compile (load, validate, locate, resolve), render and write in-process at the largest N
 *   npm run bench -- --keep                     # keep the temporary repositories (their paths are printed)
 *
 * For each N a temporary repository is made: policies/ copied from this
 * repository (node pool `nodes` raised so capacity is never the limit), src/
 * and node_modules/ symlinked to this repository's, and N synthetic models
 * `models/bench-mNNNN.ts` deployed to staging and prod. Then, in the same run:
 *
 *  - synth: the real CLI, `node bin/modelplane.js --root <dir> synth`, in a child
 *    process, wall clock from spawn to exit (node startup, tsx, loading every
 *    definition, validate, resolve, render, write). Each run starts with an
 *    empty tsx cache (TMPDIR of its own), as on a CI runner; the "warm" column
 *    reruns with the cache the first run filled. generated/ is removed before
 *    each run.
 *  - floor: the same files written by a child process (scripts/bench/floor.ts)
 *    that does only the unavoidable work: take each document as a plain object (JSON.parse of one
 *    line of a file prepared before timing from the tree synth wrote),
 *    `yaml.stringify` it with synth's options, mkdir, `fs.writeFile` (32 in
 *    flight). One document at a time, so the floor's heap stays small: with all
 *    documents live, yaml.stringify is several times slower (GC). Wall clock
 *    from spawn to exit too, so both include node startup. Its output is
 *    compared with synth's byte for byte.
 *
 * Peak RSS is `process.resourceUsage().maxRSS` of the synth process, recorded by
 * a preloaded exit hook (scripts/bench/hook.ts); the largest over the runs is reported.
 * Exit status: 0 whatever the targets (this is a report), 1 when synth reports
 * errors or something crashes.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, open, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import type { PlatformDefinition } from '../src/definitions/index.js';
import type { FloorEntry, FloorTimes } from './bench/floor.js';
import type { ProcessStats } from './bench/hook.js';
import type { PhasesResult } from './bench/phases.js';

const REPO = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ENVS = ['staging', 'prod'] as const;
/** Nodes per pool and environment in the benchmark platform (the schema's maximum): capacity must never be what fails. */
const BENCH_NODES = 100_000;
/** Options of `toYaml` in src/synth/normalise.ts; the byte comparison catches a drift. */
const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false, indentSeq: true };

const TARGETS = { ratioAt1000: 3, growth: 2.3, peakRssMiB: 1024 };

// ---------------------------------------------------------------------------
// Arguments

interface Options {
  sizes: number[];
  runs: number;
  phases: boolean;
  keep: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { sizes: [250, 1000, 2000], runs: 3, phases: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const eq = arg.indexOf('=');
      if (eq >= 0) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) usage(`${arg} needs a value`);
      return next;
    };
    if (arg === '--sizes' || arg.startsWith('--sizes=')) {
      options.sizes = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => {
          const n = Number(s);
          if (!Number.isInteger(n) || n < 1) usage(`--sizes: '${s}' is not a positive integer`);
          return n;
        });
      if (options.sizes.length === 0) usage('--sizes: give at least one size');
    } else if (arg === '--runs' || arg.startsWith('--runs=')) {
      options.runs = Number(value());
      if (!Number.isInteger(options.runs) || options.runs < 1) usage('--runs: give a positive integer');
    } else if (arg === '--phases') options.phases = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: npm run bench -- [--sizes 250,1000,2000] [--runs 3] [--phases] [--keep]');
      process.exit(0);
    } else usage(`unknown argument '${arg}'`);
  }
  return options;
}

function usage(message: string): never {
  console.error(`bench: ${message}\nusage: npm run bench -- [--sizes 250,1000,2000] [--runs 3] [--phases] [--keep]`);
  process.exit(2);
}

// ---------------------------------------------------------------------------
// Synthetic repository

interface Team {
  name: string;
  prodPrefix: string;
}

interface Context {
  teams: Team[];
  tiers: { name: string; batching: boolean; p99BudgetMs?: number }[];
  cpuPool: string;
  gpuPool: string;
  gpuMemoryGiB: number;
  /** format → image of the runtime that serves it */
  images: Record<string, string>;
  prodPolicy: { name: string; steps: number } | undefined;
}

async function benchContext(): Promise<Context> {
  const module = (await import(pathToFileURL(path.join(REPO, 'policies/platform.ts')).href)) as { default: PlatformDefinition };
  const platform = module.default;
  for (const env of ENVS) if (!platform.environments[env]) throw new Error(`policies/platform.ts has no environment '${env}'`);
  const teams = Object.keys(platform.teams).map((name): Team => {
    const prefix = platform.teams[name].artifactPrefixes.prod?.[0];
    if (!prefix) throw new Error(`policies/platform.ts: team '${name}' has no prod artifact prefix`);
    return { name, prodPrefix: prefix.endsWith('/') ? prefix : `${prefix}/` };
  });
  const pools = Object.entries(platform.nodePools);
  const pick = (preferred: string, kind: 'cpu' | 'gpu') => {
    if (platform.nodePools[preferred]?.kind === kind) return preferred;
    const found = pools.find(([, p]) => p.kind === kind);
    if (!found) throw new Error(`policies/platform.ts has no ${kind} node pool`);
    return found[0];
  };
  const gpuPool = pick('gpu-l4', 'gpu');
  const images: Record<string, string> = {};
  for (const format of ['xgboost', 'sklearn', 'lightgbm', 'pytorch']) {
    const runtime = Object.values(platform.runtimes).find((r) => r.formats.includes(format));
    if (!runtime) throw new Error(`policies/platform.ts has no runtime serving '${format}'`);
    images[format] = runtime.image;
  }
  const policyName = platform.environments.prod.defaultPolicy;
  const policyFile = policyName ? path.join(REPO, 'policies', `${policyName}.ts`) : undefined;
  let prodPolicy: Context['prodPolicy'];
  if (policyName && policyFile && existsSync(policyFile)) {
    const policy = ((await import(pathToFileURL(policyFile).href)) as { default: { steps: readonly unknown[] } }).default;
    if (policy.steps.length > 0) prodPolicy = { name: policyName, steps: policy.steps.length };
  }
  return {
    teams,
    tiers: Object.keys(platform.tiers).map((name) => ({ name, batching: platform.tiers[name].batching ?? true, p99BudgetMs: platform.tiers[name].p99BudgetMs })),
    cpuPool: pick('cpu-general', 'cpu'),
    gpuPool,
    gpuMemoryGiB: platform.nodePools[gpuPool].gpu?.memoryGiB ?? 24,
    images,
    prodPolicy,
  };
}

const FEATURE_TYPES = ['double', 'int', 'category', 'bool', 'float', 'long', 'string'] as const;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** `models/<id>.ts` of the i-th synthetic model (1-based), modelled on the reference models. */
export function modelSource(i: number, id: string, ctx: Context): string {
  const team = ctx.teams[i % ctx.teams.length];
  const tier = ctx.tiers[Math.floor(i / ctx.teams.length) % ctx.tiers.length];
  const gpu = i % 10 === 0;
  const format = gpu ? 'pytorch' : (['xgboost', 'sklearn', 'lightgbm'] as const)[i % 3];
  const pool = gpu ? ctx.gpuPool : ctx.cpuPool;
  const dataClass = (['internal', 'pii', 'public'] as const)[Math.floor(i / 7) % 3];
  const taskType = gpu ? 'vision' : i % 2 === 0 ? 'tabular-classification' : 'tabular-regression';
  const major = 1 + (i % 5);
  const versions = [`${major}.0.${i % 3}`, `${major}.1.0`];

  const featureCount = gpu ? 5 : 4 + (i % 12);
  const features: [string, string][] = gpu ? [['image', 'image']] : [];
  for (let k = features.length; k < featureCount; k++) features.push([`feature_${k}_${(i * 7 + k) % 97}`, FEATURE_TYPES[(i + k) % FEATURE_TYPES.length]]);
  const featureBlock = (indent: string) => features.map(([name, type]) => `${indent}${name}: '${type}',`).join('\n');

  const budget = tier.p99BudgetMs ?? 1000;
  const p99 = Math.max(1, Math.min(budget - 1, gpu ? 60 : 8 + (i % 30)));
  const maxRps = gpu ? 120 : 200 + ((i * 13) % 800);
  const version = (v: string, k: number) => {
    const digest = sha(`${id}@${v}`);
    return `    {
      version: ${q(v)},
      format: ${q(format)},
      artifact: {
        uri: ${q(`${team.prodPrefix}${id}/${v}/`)},
        sha256: ${q(digest)},
      },
      features: {
${featureBlock('        ')}
      },
      lineage: {
        dataset: ${q(`s3://acme-datasets/${team.name}/${id}@2026-0${7 + k}-01`)},
        featureCode: ${q(`github.com/acme/feature-store@${digest.slice(0, 12)}`)},
        trainingRun: ${q(`mlflow:runs/${digest.slice(32)}`)},
        image: ${q(ctx.images[format])},
      },
      evaluation: {
        metrics: { auc: ${(0.8 + ((i + k) % 19) / 100).toFixed(3)}, recall: ${(0.7 + ((i * 3 + k) % 23) / 100).toFixed(3)}, p99LatencyMs: ${p99} },
        artifactSha256: ${q(digest)},
      },
      approval: { by: 'bench-${team.name}@acme.com', at: '2026-0${7 + k}-15T10:00:00Z' },
      profile: { p99LatencyMs: ${p99}, maxRpsPerReplica: ${maxRps}, warmupSeconds: ${gpu ? 60 : 5 + (i % 20)}${gpu ? `, gpuMemoryGiB: ${Math.min(10, ctx.gpuMemoryGiB)}` : ''} },
    },`;
  };

  const resources = gpu ? '' : `\n      resources: { cpu: ${1 + (i % 4)}, memoryGiB: ${2 * (1 + (i % 4))} },`;
  const batching = gpu && tier.batching ? `\n      batching: { maxBatchSize: 16, maxLatencyMs: 20 },` : '';
  const canary = ctx.prodPolicy && i % 4 === 0 ? `\n      canary: { version: ${q(versions[1])}, policy: ${q(ctx.prodPolicy.name)}, step: ${i % ctx.prodPolicy.steps} },` : '';

  return `import { defineModel } from '../src/index.js';

// Synthetic model ${i} for the synth benchmark. Owned by ${team.name}.
export default defineModel({
  id: ${q(id)},
  owner: ${q(team.name)},
  description: ${q(`Synthetic ${taskType} model number ${i} of the benchmark.`)},
  taskType: ${q(taskType)},
  tier: ${q(tier.name)},
  dataClass: ${q(dataClass)},
  features: {
${featureBlock('    ')}
  },
  versions: [
${versions.map(version).join('\n')}
  ],
  deploy: {
    staging: {
      version: ${q(versions[1])},
      pool: ${q(pool)},${resources}
      traffic: { peakRps: ${5 + (i % 50)} },${batching}
    },
    prod: {
      version: ${q(versions[0])},${canary}
      pool: ${q(pool)},${resources}
      traffic: { peakRps: ${50 + ((i * 37) % 3000)} },${batching}
    },
  },
});
`;
}

/** policies/platform.ts with every `nodes: { env: n, ... }` count raised to BENCH_NODES. */
function scalePlatform(text: string): { text: string; pools: number } {
  let pools = 0;
  const scaled = text.replace(/(\bnodes\s*:\s*\{)([^}]*)(\})/g, (_all, open: string, body: string, close: string) => {
    pools++;
    return `${open}${body.replace(/:\s*[\d_]+/g, `: ${BENCH_NODES}`)}${close}`;
  });
  return { text: scaled, pools };
}

/**
 * The helper programs of the benchmark are modules under scripts/bench/,
 * type-checked with the rest of the repository. The hook and the floor are
 * transpiled to plain JavaScript (not timed), so the processes they measure
 * load no TypeScript loader; phases.ts runs under tsx, as the CLI does.
 */
const HELPERS = path.join(REPO, 'scripts/bench');

async function writeHelper(name: 'hook' | 'floor', tools: string): Promise<void> {
  const ts = (await import('typescript')).default;
  const source = await readFile(path.join(HELPERS, `${name}.ts`), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 }, fileName: `${name}.ts` });
  await writeFile(path.join(tools, `${name}.mjs`), outputText);
}

interface BenchRepo {
  dir: string;
  tools: string;
}

async function makeRepo(n: number, ctx: Context): Promise<BenchRepo> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `modelplane-bench-${n}-`));
  await symlink(path.join(REPO, 'src'), path.join(dir, 'src'), 'dir');
  await symlink(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // A definitions repository has these; tsx needs `"type": "module"` to map `../src/index.js` to the .ts file.
  for (const file of ['package.json', 'tsconfig.json']) await copyFile(path.join(REPO, file), path.join(dir, file));
  await mkdir(path.join(dir, 'policies'));
  for (const entry of await readdir(path.join(REPO, 'policies'), { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const from = path.join(REPO, 'policies', entry.name);
    const to = path.join(dir, 'policies', entry.name);
    if (entry.name === 'platform.ts') {
      const { text, pools } = scalePlatform(await readFile(from, 'utf8'));
      if (pools === 0) console.error('bench: warning: no `nodes: {...}` found in policies/platform.ts; pool sizes left as they are');
      await writeFile(to, text);
    } else await copyFile(from, to);
  }
  await mkdir(path.join(dir, 'models'));
  const width = Math.max(4, String(n).length);
  const ids = Array.from({ length: n }, (_, k) => `bench-m${String(k + 1).padStart(width, '0')}`);
  await Promise.all(ids.map((id, k) => writeFile(path.join(dir, 'models', `${id}.ts`), modelSource(k + 1, id, ctx))));
  const tools = path.join(dir, '.bench');
  await mkdir(tools);
  await writeHelper('hook', tools);
  await writeHelper('floor', tools);
  return { dir, tools };
}

// ---------------------------------------------------------------------------
// Child processes

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  maxRssKiB?: number;
  /** user + system CPU time of the whole process, all threads */
  cpuMs?: number;
}

async function runChild(repo: BenchRepo, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildResult> {
  const statsFile = path.join(repo.tools, `stats-${process.hrtime.bigint()}.json`);
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', pathToFileURL(path.join(repo.tools, 'hook.mjs')).href, ...args], {
    cwd: repo.dir,
    env: { ...process.env, ...env, BENCH_STATS_FILE: statsFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, s) => resolve([c, s]));
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  let maxRssKiB: number | undefined;
  let cpuMs: number | undefined;
  try {
    ({ maxRssKiB, cpuMs } = JSON.parse(await readFile(statsFile, 'utf8')) as ProcessStats);
    await rm(statsFile, { force: true });
  } catch {
    // the child died before its exit hook ran
  }
  return { code, signal, stdout, stderr, wallMs, maxRssKiB, cpuMs };
}

/** `invalid`: synth reports diagnostics (stop: the generator needs updating); `crash`: synth failed otherwise. */
class BenchFailure extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'crash',
  ) {
    super(message);
  }
}

interface SynthRun {
  wallMs: number;
  cpuMs?: number;
  inProcessMs?: number;
  maxRssKiB?: number;
  files: number;
  warnings: number;
}

async function runSynth(repo: BenchRepo, n: number, tsxCache: string): Promise<SynthRun> {
  await rm(path.join(repo.dir, 'generated'), { recursive: true, force: true });
  await rm(path.join(repo.dir, '.github'), { recursive: true, force: true });
  await mkdir(tsxCache, { recursive: true });
  // tsx keeps its transform cache in os.tmpdir(); TMPDIR chooses which one.
  const r = await runChild(repo, [path.join(REPO, 'bin/modelplane.js'), '--root', repo.dir, 'synth'], { TMPDIR: tsxCache, TMP: tsxCache, TEMP: tsxCache });
  if (r.code !== 0) {
    const lines = r.stderr.split('\n').filter((l) => l.trim());
    const diagnostics = lines.filter((l) => / (error|warning) MP\d+: /.test(l));
    const shown = (diagnostics.length > 0 ? diagnostics : lines).slice(0, 10);
    const invalid = diagnostics.some((l) => / error MP\d+: /.test(l));
    throw new BenchFailure(
      [
        invalid
          ? `synth of the synthetic repository with N = ${n} reports errors (exit ${r.code ?? r.signal}): the benchmark models or platform no longer pass validation; update modelSource() or the platform edit in scripts/bench.ts.`
          : `synth with N = ${n} failed (exit ${r.code ?? r.signal}) without a diagnostic: a crash or an I/O error in modelplane.`,
        diagnostics.length > 0 ? `First ${shown.length} of ${diagnostics.length} diagnostics:` : 'stderr (first 10 lines):',
        ...shown.map((l) => `  ${l}`),
        `(${repo.dir}; run with --keep to inspect it)`,
      ].join('\n'),
      invalid ? 'invalid' : 'crash',
    );
  }
  const wrote = /wrote (\d+) files .* in ([\d.]+) s/.exec(r.stdout);
  const warnings = r.stderr.split('\n').filter((l) => / warning MP\d+: /.test(l)).length;
  return { wallMs: r.wallMs, cpuMs: r.cpuMs, inProcessMs: wrote ? Number(wrote[2]) * 1000 : undefined, maxRssKiB: r.maxRssKiB, files: wrote ? Number(wrote[1]) : NaN, warnings };
}

/** Every file synth wrote, relative to the root. */
async function listTree(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const top of ['generated', '.github']) {
    const base = path.join(root, top);
    if (!existsSync(base)) continue;
    for (const e of await readdir(base, { recursive: true, withFileTypes: true })) {
      if (!e.isFile()) continue;
      const parent = e.parentPath ?? (e as unknown as { path: string }).path;
      out.push(path.relative(root, path.join(parent, e.name)).split(path.sep).join('/'));
    }
  }
  return out.sort();
}

/** Writes the documents synth wrote, as plain objects, one JSON per line (not timed). */
async function writeFloorInput(root: string, files: readonly string[], input: string): Promise<void> {
  const entry = async (file: string): Promise<FloorEntry> => {
    const content = await readFile(path.join(root, file), 'utf8');
    if (!file.endsWith('.yaml')) return { path: file, text: content };
    const lines = content.split('\n');
    let h = 0;
    while (h < lines.length && lines[h].startsWith('#')) h++;
    return { path: file, header: h > 0 ? lines.slice(0, h).join('\n') : undefined, doc: parse(content) };
  };
  const handle = await open(input, 'w');
  try {
    for (let i = 0; i < files.length; i += 64) {
      const batch = await Promise.all(files.slice(i, i + 64).map(entry));
      await handle.write(batch.map((e) => `${JSON.stringify(e)}\n`).join(''));
    }
  } finally {
    await handle.close();
  }
}

interface FloorRun {
  wallMs: number;
  cpuMs?: number;
  inProcessMs: number;
  maxRssKiB?: number;
}

async function runFloor(repo: BenchRepo, input: string, out: string): Promise<FloorRun> {
  await rm(out, { recursive: true, force: true });
  const r = await runChild(repo, [path.join(repo.tools, 'floor.mjs'), input, out, JSON.stringify(YAML_OPTIONS)]);
  if (r.code !== 0) throw new Error(`floor process failed (exit ${r.code ?? r.signal}):\n${r.stderr}`);
  const t = JSON.parse(r.stdout) as FloorTimes;
  return { wallMs: r.wallMs, cpuMs: r.cpuMs, inProcessMs: t.totalMs, maxRssKiB: r.maxRssKiB };
}

async function compareTrees(a: string, b: string, files: readonly string[]): Promise<string[]> {
  const differ: string[] = [];
  for (const f of files) {
    const [x, y] = await Promise.all([readFile(path.join(a, f), 'utf8'), readFile(path.join(b, f), 'utf8').catch(() => undefined)]);
    if (x !== y) differ.push(f);
  }
  return differ;
}

// ---------------------------------------------------------------------------
// Report

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const secs = (ms: number | undefined) => (ms === undefined || Number.isNaN(ms) ? '-' : (ms / 1000).toFixed(2));
const loadavg = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
const mib = (kib: number | undefined) => (kib === undefined ? '-' : (kib / 1024).toFixed(0));

interface Row {
  n: number;
  deployments: number;
  files: number;
  synthMs: number;
  synthRuns: number[];
  warmMs: number;
  synthInProcessMs?: number;
  synthCpuMs?: number;
  floorMs: number;
  floorCpuMs?: number;
  floorRuns: number[];
  floorInProcessMs: number;
  peakRssKiB?: number;
  floorRssKiB?: number;
  identical: string;
  warnings: number;
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function benchSize(n: number, ctx: Context, options: Options, dirs: string[]): Promise<Row> {
  const t0 = performance.now();
  const repo = await makeRepo(n, ctx);
  dirs.push(repo.dir);
  process.stderr.write(`N = ${n}: ${repo.dir}\n`);

  // Synth and floor runs alternate, so a change in background load hits both alike.
  const cold: SynthRun[] = [];
  const warm: SynthRun[] = [];
  const floor: FloorRun[] = [];
  const primed = path.join(repo.tools, 'tsx-cache-0');
  const input = path.join(repo.tools, 'floor-input.ndjson');
  const out = path.join(repo.tools, 'floor-out');
  let files: string[] = [];
  let differ: string[] = [];
  const cpu = (ms: number | undefined) => (ms === undefined ? '' : `, CPU ${secs(ms)} s`);
  for (let k = 0; k < options.runs; k++) {
    cold.push(await runSynth(repo, n, path.join(repo.tools, `tsx-cache-${k}`)));
    process.stderr.write(`  synth (empty tsx cache) run ${k + 1}: ${secs(cold[k].wallMs)} s${cpu(cold[k].cpuMs)}, ${mib(cold[k].maxRssKiB)} MiB\n`);
    if (k === 0) {
      // The floor's input: the documents synth wrote, as plain objects (not timed).
      files = await listTree(repo.dir);
      await writeFloorInput(repo.dir, files, input);
    }
    floor.push(await runFloor(repo, input, out));
    process.stderr.write(`  floor run ${k + 1}: ${secs(floor[k].wallMs)} s${cpu(floor[k].cpuMs)}\n`);
    if (k === 0) differ = await compareTrees(repo.dir, out, files);
  }
  for (let k = 0; k < options.runs; k++) {
    warm.push(await runSynth(repo, n, primed));
    process.stderr.write(`  synth (warm tsx cache) run ${k + 1}: ${secs(warm[k].wallMs)} s${cpu(warm[k].cpuMs)}, ${mib(warm[k].maxRssKiB)} MiB\n`);
  }
  const rssValues = [...cold, ...warm].map((r) => r.maxRssKiB).filter((x): x is number => x !== undefined);
  const floorRss = floor.map((r) => r.maxRssKiB).filter((x): x is number => x !== undefined);
  const inProc = cold.map((r) => r.inProcessMs).filter((x): x is number => x !== undefined);
  const defined = (xs: (number | undefined)[]) => xs.filter((x): x is number => x !== undefined);
  const synthCpu = defined(cold.map((r) => r.cpuMs));
  const floorCpu = defined(floor.map((r) => r.cpuMs));
  process.stderr.write(`  (${secs(performance.now() - t0)} s for this size)\n`);
  return {
    n,
    deployments: n * ENVS.length,
    files: files.length,
    synthMs: median(cold.map((r) => r.wallMs)),
    synthRuns: cold.map((r) => r.wallMs),
    warmMs: median(warm.map((r) => r.wallMs)),
    synthInProcessMs: inProc.length ? median(inProc) : undefined,
    synthCpuMs: synthCpu.length ? median(synthCpu) : undefined,
    floorCpuMs: floorCpu.length ? median(floorCpu) : undefined,
    floorMs: median(floor.map((r) => r.wallMs)),
    floorRuns: floor.map((r) => r.wallMs),
    floorInProcessMs: median(floor.map((r) => r.inProcessMs)),
    peakRssKiB: rssValues.length ? Math.max(...rssValues) : undefined,
    floorRssKiB: floorRss.length ? Math.max(...floorRss) : undefined,
    identical: differ.length === 0 ? 'yes' : `${differ.length} differ (e.g. ${differ[0]})`,
    warnings: Math.max(...cold.map((r) => r.warnings)),
  };
}

async function runPhases(n: number, ctx: Context, dirs: string[]): Promise<void> {
  const repo = await makeRepo(n, ctx);
  dirs.push(repo.dir);
  const cache = path.join(repo.tools, 'tsx-cache-phases');
  await mkdir(cache, { recursive: true });
  const r = await runChild(repo, ['--import', 'tsx', path.join(HELPERS, 'phases.ts'), repo.dir], { TMPDIR: cache, TMP: cache, TEMP: cache });
  let result: PhasesResult;
  try {
    result = JSON.parse(r.stdout) as typeof result;
  } catch {
    console.log(`\nPhase timing at N = ${n} failed (exit ${r.code ?? r.signal}):\n${r.stderr.slice(0, 4000)}`);
    return;
  }
  const total = result.rows.filter((x) => !x.subtotal).reduce((s, x) => s + x.ms, 0);
  console.log(`\nPhases at N = ${n}, in one process (node --import tsx, empty tsx cache; "startup" is the time from process start;`);
  console.log('render and write are interleaved as in synth: render = time inside the file generator, write = the rest):');
  console.log(
    table(
      ['phase', 'wall s', 'share', 'CPU s', 'RSS after MiB', 'heap used MiB'],
      result.rows.map((x) => [x.phase, secs(x.ms), `${((100 * x.ms) / total).toFixed(0)} %`, secs(x.cpuMs), x.rssMiB.toFixed(0), x.heapMiB.toFixed(0)]),
    ),
  );
  console.log(`total ${secs(total)} s, peak RSS ${result.maxRssMiB.toFixed(0)} MiB (child wall ${secs(r.wallMs)} s)`);
  if (result.failure) console.log(`phase timing stopped: ${result.failure.split('\n').slice(0, 4).join('\n  ')}`);
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const loadStart = loadavg();
  const ctx = await benchContext();
  const dirs: string[] = [];
  const cleanup = async () => {
    if (options.keep) {
      if (dirs.length) console.error(`kept: ${dirs.join(' ')}`);
      return;
    }
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  };
  process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  try {
    const rows: Row[] = [];
    const failed: number[] = [];
    for (const n of options.sizes) {
      try {
        rows.push(await benchSize(n, ctx, options, dirs));
      } catch (error) {
        if (!(error instanceof BenchFailure) || error.kind !== 'crash') throw error;
        console.error(`bench: ${error.message}`);
        failed.push(n);
      }
    }
    if (rows.length === 0) {
      console.log(`\nsynth FAILED at every size (${failed.join(', ')}); nothing to report.`);
      return 1;
    }
    if (options.phases) await runPhases(Math.max(...options.sizes), ctx, dirs);

    console.log(`\nmodelplane synth benchmark: ${ENVS.length} environments (${ENVS.join(', ')}), median of ${options.runs} runs, node ${process.version}, ${os.cpus().length} CPUs`);
    console.log(`load average at start ${loadStart}, at end ${loadavg()}${os.loadavg()[0] > os.cpus().length ? ' (busy machine: wall-clock times are noisy; the CPU columns are steadier)' : ''}`);
    console.log('synth = `node bin/modelplane.js --root <dir> synth`, wall clock of the child process incl. node startup and tsx, empty tsx cache each run.');
    console.log('floor = child process: for each document synth wrote, JSON.parse it as a plain object, yaml.stringify, mkdir, fs.writeFile (one at a time, 32 writes in flight); wall clock incl. node startup.');
    console.log('peak RSS = largest maxRSS of the synth process over its runs.\n');
    console.log(
      table(
        ['N', 'models×envs', 'files', 'synth s', 'floor s', 'ratio', 'peak RSS MiB'],
        rows.map((r) => [String(r.n), String(r.deployments), String(r.files), secs(r.synthMs), secs(r.floorMs), (r.synthMs / r.floorMs).toFixed(2), mib(r.peakRssKiB)]),
      ),
    );
    console.log('\nDetail. warm = synth rerun with the tsx cache the first run filled. in-proc = without startup: synth = the time the CLI reports');
    console.log('(compile + write), floor = read input + parse + stringify + write. CPU = user + system time of the child, all threads (median).\n');
    console.log(
      table(
        ['N', 'synth warm s', 'synth in-proc s', 'floor in-proc s', 'synth CPU s', 'floor CPU s', 'CPU ratio', 'floor RSS MiB'],
        rows.map((r) => [
          String(r.n),
          secs(r.warmMs),
          secs(r.synthInProcessMs),
          secs(r.floorInProcessMs),
          secs(r.synthCpuMs),
          secs(r.floorCpuMs),
          r.synthCpuMs !== undefined && r.floorCpuMs !== undefined ? (r.synthCpuMs / r.floorCpuMs).toFixed(2) : '-',
          mib(r.floorRssKiB),
        ]),
      ),
    );
    console.log('');
    for (const r of rows) {
      console.log(`N = ${r.n}: synth runs ${r.synthRuns.map(secs).join(', ')} s; floor runs ${r.floorRuns.map(secs).join(', ')} s; floor output identical to synth's: ${r.identical}${r.warnings ? `; ${r.warnings} warnings` : ''}`);
    }

    const at = (n: number) => rows.find((r) => r.n === n);
    const r1000 = at(1000);
    const r2000 = at(2000);
    const growth = r1000 && r2000 ? r2000.synthMs / r1000.synthMs : undefined;
    if (r1000 && r2000) {
      const cpuGrowth = (a?: number, b?: number) => (a !== undefined && b !== undefined ? (b / a).toFixed(2) : '-');
      console.log(
        `\ngrowth 2000/1000 (synth): ${growth!.toFixed(2)} (warm tsx cache: ${(r2000.warmMs / r1000.warmMs).toFixed(2)}; floor: ${(r2000.floorMs / r1000.floorMs).toFixed(2)}; ` +
          `synth CPU: ${cpuGrowth(r1000.synthCpuMs, r2000.synthCpuMs)}; floor CPU: ${cpuGrowth(r1000.floorCpuMs, r2000.floorCpuMs)})`,
      );
    }

    const peak = Math.max(...rows.map((r) => r.peakRssKiB ?? 0)) / 1024;
    const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a ' : ok ? 'PASS' : 'FAIL');
    console.log('\nTargets:');
    console.log(`  ${verdict(r1000 && r1000.synthMs / r1000.floorMs <= TARGETS.ratioAt1000)}  synth/floor ratio at N = 1000 ≤ ${TARGETS.ratioAt1000}: ${r1000 ? (r1000.synthMs / r1000.floorMs).toFixed(2) : 'N = 1000 not measured'}`);
    console.log(`  ${verdict(growth === undefined ? undefined : growth <= TARGETS.growth)}  growth 2000/1000 ≤ ${TARGETS.growth}: ${growth === undefined ? 'N = 1000 and 2000 not both measured' : growth.toFixed(2)}`);
    console.log(`  ${verdict(rows.some((r) => r.peakRssKiB !== undefined) ? peak < TARGETS.peakRssMiB : undefined)}  peak RSS < 1 GiB: ${peak.toFixed(0)} MiB (largest over all sizes and runs)`);
    if (failed.length > 0) {
      console.log(`\nsynth FAILED at N = ${failed.join(', ')} (see the error above); those sizes are missing from the table.`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof BenchFailure) {
      console.error(`bench: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await cleanup();
  }
}

process.exitCode = await main();
