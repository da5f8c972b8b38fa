/**
 * Diagnostics point at the field they are about: a model file with a known
 * layout is written into a temporary repository, broken in one place, and
 * compiled in-process.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/cli/compile.js';
import { formatPath } from '../../src/diagnostics/index.js';
import { positionOf } from '../support/definitions.js';
import { makeRepo } from '../support/repo.js';

const FILE = 'models/locate-probe.ts';
const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
const IMAGE = 'docker.io/kserve/xgbserver@sha256:32c7f16214d99be8057203b561a5d69e53da4a7c27b2504f1a6d4428a3584f58';

const version = (v: string, sha: string) => `    {
      version: '${v}',
      format: 'xgboost',
      artifact: {
        uri: 's3://acme-ml-prod/risk/locate-probe/${v}/',
        sha256: '${sha}',
      },
      features: { amount: 'double', country: 'category' },
      lineage: {
        dataset: 's3://acme-datasets/risk/probe@2026-01-01',
        featureCode: 'github.com/acme/feature-store@0123456789ab',
        trainingRun: 'mlflow:runs/${sha.slice(0, 32)}',
        image: '${IMAGE}',
      },
      evaluation: { metrics: { auc: 0.9, p99LatencyMs: 10 }, artifactSha256: '${sha}' },
      approval: { by: 'maria.chen@acme.com', at: '2026-01-02T10:00:00Z' },
      profile: { p99LatencyMs: 10, maxRpsPerReplica: 100, warmupSeconds: 10 },
    },`;

/** A valid model; every case changes one piece of it. */
const TEMPLATE = `import { defineModel } from '../src/index.js';

const onGeneralPool = { pool: 'cpu-general' } as const;

export default defineModel({
  id: 'locate-probe',
  owner: 'risk',
  taskType: 'tabular-classification',
  tier: 'standard',
  dataClass: 'internal',
  features: { amount: 'double', country: 'category' },
  versions: [
${version('1.0.0', SHA_A)}
${version('1.1.0', SHA_B)}
  ],
  deploy: {
    staging: { version: '1.1.0', ...onGeneralPool },
    prod: {
      version: '1.0.0',
      pool: 'cpu-general',
      traffic: { peakRps: 50 },
      replicas: { min: 2, max: 4 },
      tenants: { 'tenant-a': '1.1.0' },
    },
  },
});
`;

function replaceOnce(text: string, from: string, to: string, occurrence = 0): string {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(from, at + 1);
    if (at < 0) throw new Error(`test setup: ${JSON.stringify(from)} not found`);
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

interface Case {
  readonly title: string;
  /** Changes the template into the broken file. */
  readonly change: (template: string) => string;
  readonly code: string;
  readonly path: string;
  /** Text the diagnostic must point at the start of (in the broken file), and which occurrence. */
  readonly at: string;
  readonly occurrence?: number;
  /** Characters after the start of `at` where the diagnostic points. @default 0 */
  readonly skip?: number;
}

const CASES: Case[] = [
  {
    title: 'a wrong type in a one-line object points at its key (deploy.prod.replicas.min)',
    change: (t) => replaceOnce(t, 'replicas: { min: 2, max: 4 }', "replicas: { min: 'two', max: 4 }"),
    code: 'MP2002',
    path: 'deploy.prod.replicas.min',
    at: "min: 'two'",
  },
  {
    title: 'a field of the second array element points into that element (versions[1].artifact.sha256)',
    change: (t) => replaceOnce(t, `sha256: '${SHA_B}'`, "sha256: 'not-a-sha'"),
    code: 'MP2004',
    path: 'versions[1].artifact.sha256',
    at: "sha256: 'not-a-sha'",
  },
  {
    title: 'a non-finite number points at its field (versions[1].profile.maxRpsPerReplica)',
    change: (t) => replaceOnce(t, 'maxRpsPerReplica: 100', 'maxRpsPerReplica: Number.NaN', 1),
    code: 'MP1007',
    path: 'versions[1].profile.maxRpsPerReplica',
    at: 'maxRpsPerReplica: Number.NaN',
  },
  {
    title: 'a missing required field points at the enclosing object (versions[0].lineage.image)',
    change: (t) => replaceOnce(t, `        image: '${IMAGE}',\n`, ''),
    code: 'MP2003',
    path: 'versions[0].lineage.image',
    at: 'lineage: {',
  },
  {
    title: 'a missing top-level field points at the object passed to defineModel',
    change: (t) => replaceOnce(t, "  taskType: 'tabular-classification',\n", ''),
    code: 'MP2003',
    path: 'taskType',
    at: 'defineModel({',
    skip: 'defineModel('.length,
  },
  {
    title: 'an unknown field points at its key (deploy.prod.gpuType)',
    change: (t) => replaceOnce(t, "      pool: 'cpu-general',\n      traffic", "      pool: 'cpu-general',\n      gpuType: 'a100',\n      traffic"),
    code: 'MP2001',
    path: 'deploy.prod.gpuType',
    at: "gpuType: 'a100'",
  },
  {
    title: 'a quoted key is found like any other (deploy.prod.tenants["tenant-a"])',
    change: (t) => replaceOnce(t, "'tenant-a': '1.1.0'", "'tenant-a': '9.9.9'"),
    code: 'MP3006',
    path: 'deploy.prod.tenants["tenant-a"]',
    at: "'tenant-a'",
  },
  {
    title: 'a field that comes from a spread points at the nearest field written literally (deploy.staging.pool)',
    change: (t) => replaceOnce(t, "{ pool: 'cpu-general' } as const", "{ pool: 'gpu-h100' } as const"),
    code: 'MP3003',
    path: 'deploy.staging.pool',
    at: 'staging: {',
  },
  {
    title: 'a field under `satisfies` and `as const` is found through them (deploy.prod.replicas.min)',
    change: (t) =>
      replaceOnce(
        replaceOnce(t, 'replicas: { min: 2, max: 4 }', "replicas: ({ min: 'two', max: 4 } as const)"),
        "      tenants: { 'tenant-a': '1.1.0' },\n    },",
        "      tenants: { 'tenant-a': '1.1.0' },\n    } satisfies Record<string, unknown>,",
      ),
    code: 'MP2002',
    path: 'deploy.prod.replicas.min',
    at: "min: 'two'",
  },
  {
    title: 'the object passed to defineModel is found through `satisfies` (taskType)',
    change: (t) => replaceOnce(replaceOnce(replaceOnce(t, "  taskType: 'tabular-classification',\n", ''), 'defineModel({', 'defineModel(({'), '\n});\n', '\n}) satisfies object);\n'),
    code: 'MP2003',
    path: 'taskType',
    at: 'defineModel(({',
    skip: 'defineModel(('.length,
  },
];

/**
 * Compiles `text` as the only model of a fresh temporary repository. A fresh
 * directory per load: under vitest, re-importing an edited file at the same
 * path returns the first version (the loader's `?v=` query does not bust
 * vitest's module cache).
 */
async function compileModel(text: string) {
  const repo = await makeRepo({ platform: 'fixture', models: [] });
  try {
    await repo.write(FILE, text);
    return await compile(repo.root, { render: false });
  } finally {
    await repo.cleanup();
  }
}

describe('locateDiagnostics', () => {
  it('finds nothing wrong in the unchanged probe model', async () => {
    expect((await compileModel(TEMPLATE)).diagnostics).toEqual([]);
  });

  for (const { title, change, code, path, at, occurrence, skip = 0 } of CASES) {
    it(title, async () => {
      const text = change(TEMPLATE);
      const result = await compileModel(text);
      const found = result.diagnostics.map((d) => ({ file: d.file, code: d.code, path: formatPath(d.path), line: d.line, column: d.column }));
      const position = positionOf(text, at, occurrence);
      expect(found).toEqual([{ file: FILE, code, path, line: position.line, column: position.column + skip }]);
    });
  }
});
