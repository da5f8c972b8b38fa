// `npm run cluster -- test`: the acceptance scenarios on a tree (the reference platform by default).
//  - verify every environment (objects accepted, reconciled, Ready, references resolve, KEDA HPAs);
//  - the canary's AnalysisRun: Successful on healthy series, Failed on a copy with 5 % errors;
//  - a platform one GPU node short: `validate` refuses it, and forced into the cluster exactly
//    the pods that do not fit stay Pending;
//  - the drill (lib/drill.ts): a canary released through Argo CD, errors, the watcher's rollback, timed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifests } from './apply.js';
import type { BuildResult } from './build.js';
import { runCluster, type RunResult } from './cluster.js';
import { drillReport, drillText } from './drill.js';
import type { Pool } from './platform.js';
import { readPlatform } from './platform.js';
import { toJson, toText, verifyChecks, type Check } from './report.js';

interface Outcome {
  readonly scenario: string;
  readonly checks: Check[];
}

export async function runScenarios(root: string, built: BuildResult, log: (l: string) => void): Promise<number> {
  const platform = await readPlatform(root);
  const outcomes: Outcome[] = [];
  const record = (scenario: string, result: RunResult, checks: Check[]) => {
    console.log(toText({ ...toJson(result, checks, built.seconds), env: `${scenario}` }) + '\n');
    outcomes.push({ scenario, checks });
  };
  if (platform.errors.length) {
    outcomes.push({ scenario: 'reference validates', checks: [{ name: 'validate has no errors', ok: false, detail: platform.errors.slice(0, 5).join(' | ') }] });
  }
  const withAnalysis = platform.environments.filter((e) => readManifests(join(root, 'generated', e)).some((m) => m.object.kind === 'AnalysisRun'));
  const first = withAnalysis[0] ?? platform.environments[0];
  const others = platform.environments.filter((e) => e !== first);

  // The canary's analysis takes interval × count; the other scenarios run while it does.
  let appliedFirst: () => void = () => {};
  const firstApplied = new Promise<void>((r) => (appliedFirst = r));
  const base = { root, platform, bin: built.bin, log, readyTimeoutMs: 480_000 };
  const main = runCluster({ ...base, env: first, analysis: true, faultyCopy: withAnalysis.length > 0, onApplied: () => appliedFirst() }).then(
    (r) => record(`${first} (verify + analysis)`, r, verifyChecks(r, true)),
    (e) => {
      appliedFirst();
      outcomes.push({ scenario: `${first} (verify + analysis)`, checks: [{ name: 'cluster run', ok: false, detail: (e as Error).message }] });
    },
  );
  const rest = (async () => {
    await firstApplied;
    for (const env of others) {
      try {
        const r = await runCluster({ ...base, env, analysis: true, faultyCopy: false });
        record(`${env} (verify)`, r, verifyChecks(r, true));
      } catch (e) {
        outcomes.push({ scenario: `${env} (verify)`, checks: [{ name: 'cluster run', ok: false, detail: (e as Error).message }] });
      }
    }
    try {
      await gpuShort(root, built, log, record, outcomes);
    } catch (e) {
      outcomes.push({ scenario: 'one GPU node short', checks: [{ name: 'scenario run', ok: false, detail: (e as Error).message }] });
    }
  })();
  await Promise.all([main, rest]);
  // The rollback loop on Argo CD, when the tree has a canary in flight: after the others, so that no second
  // cluster's load (a whole environment synced by Argo CD) falls on the canary analysis of the first.
  if (platform.environments.some((e) => readManifests(join(root, 'generated', e)).some((m) => m.object.kind === 'AnalysisRun'))) {
    try {
      const report = await drillReport({ root, healthy: false, log }, built);
      console.log(drillText(report) + '\n');
      outcomes.push({ scenario: `drill: ${report.model} in ${report.env}`, checks: [...report.checks, { name: 'rollback total (first bad sample to the HTTPRoute on stable)', ok: report.totalSeconds !== undefined, detail: `${report.totalSeconds} s` }] });
    } catch (e) {
      outcomes.push({ scenario: 'drill', checks: [{ name: 'drill run', ok: false, detail: (e as Error).message.split('\n').slice(0, 6).join(' | ') }] });
    }
  }

  let passed = 0;
  let failed = 0;
  console.log('== cluster acceptance ==');
  for (const o of outcomes)
    for (const c of o.checks) {
      if (c.ok) passed++;
      else failed++;
      console.log(`${c.ok ? 'PASS' : 'FAIL'} [${o.scenario}] ${c.name}${c.detail ? ` (${c.detail})` : ''}`);
    }
  console.log(`cluster: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/** GPUs the warm pools of each GPU pool need, from the emitted InferenceServices (minReplicas × GPUs per replica). */
function gpuDemand(root: string, env: string, pools: readonly Pool[]) {
  const demand: Record<string, { gpus: number; pods: number; perPod: Set<number> }> = {};
  for (const { object } of readManifests(join(root, 'generated', env))) {
    if (object.kind !== 'InferenceService') continue;
    const p = (object.spec as any).predictor;
    const sel = p.nodeSelector ?? {};
    const pool = pools.find((x) => x.gpu && Object.entries(x.nodeSelector).every(([k, v]) => sel[k] === v));
    if (!pool?.gpu) continue;
    const g = Number(p.model?.resources?.limits?.[pool.gpu.resourceName] ?? p.model?.resources?.requests?.[pool.gpu.resourceName] ?? 0);
    const d = (demand[pool.name] ??= { gpus: 0, pods: 0, perPod: new Set() });
    d.gpus += (p.minReplicas ?? 1) * g;
    d.pods += p.minReplicas ?? 1;
    d.perPod.add(g);
  }
  return demand;
}

async function gpuShort(root: string, built: BuildResult, log: (l: string) => void, record: (s: string, r: RunResult, c: Check[]) => void, outcomes: Outcome[]): Promise<void> {
  const reference = await readPlatform(root);
  // The GPU pool whose warm pools need the most nodes, in the environment where that is largest.
  let pick: { env: string; pool: Pool; needed: number; nodesNeeded: number; perPod: number[]; pods: number } | undefined;
  for (const env of reference.environments) {
    const pools = reference.pools[env];
    for (const [name, d] of Object.entries(gpuDemand(root, env, pools))) {
      const pool = pools.find((p) => p.name === name)!;
      const nodesNeeded = Math.ceil(d.gpus / pool.gpu!.perNode);
      if (nodesNeeded >= 1 && (!pick || nodesNeeded > pick.nodesNeeded)) pick = { env, pool, needed: d.gpus, nodesNeeded, perPod: [...d.perPod], pods: d.pods };
    }
  }
  const scenario = 'one GPU node short';
  if (!pick) {
    outcomes.push({ scenario, checks: [{ name: 'a GPU pool with warm pools exists', ok: false }] });
    return;
  }
  const short = pick.nodesNeeded - 1;
  const tree = mkdtempSync(join(tmpdir(), 'modelplane-short-'));
  try {
    for (const entry of ['src', 'node_modules', 'package.json', 'tsconfig.json', 'bin', 'schemas']) if (existsSync(join(root, entry))) symlinkSync(join(root, entry), join(tree, entry));
    // Definitions must be the tree's own files (the loader refuses models/ that resolves outside it).
    cpSync(join(root, 'models'), join(tree, 'models'), { recursive: true });
    cpSync(join(root, 'policies'), join(tree, 'policies'), { recursive: true });
    const file = join(tree, 'policies', 'platform.ts');
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf(`'${pick.pool.name}'`);
    const nodesAt = text.indexOf('nodes:', at);
    const end = text.indexOf('}', nodesAt);
    const block = text.slice(nodesAt, end);
    const edited = block.replace(new RegExp(`(\\b${pick.env}:\\s*)\\d+`), `$1${short}`);
    if (at < 0 || nodesAt < 0 || edited === block) throw new Error(`could not set nodePools.${pick.pool.name}.nodes.${pick.env} in ${file}`);
    writeFileSync(file, text.slice(0, nodesAt) + edited + text.slice(end));
    log(`${scenario}: nodePools.${pick.pool.name}.nodes.${pick.env} = ${short} (warm pools need ${pick.needed} GPUs = ${pick.nodesNeeded} nodes of ${pick.pool.gpu!.perNode})`);

    const checks: Check[] = [];
    let status = 0;
    let output = '';
    try {
      // Asynchronous: the exporter of the run beside this one keeps serving Prometheus meanwhile.
      const out = await promisify(execFile)('node', [join(root, 'bin', 'modelplane.js'), 'validate'], { cwd: tree, encoding: 'utf8', maxBuffer: 16 << 20 });
      output = `${out.stdout}${out.stderr}`;
    } catch (e: any) {
      status = typeof e.code === 'number' ? e.code : -1;
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    const diag = output.split('\n').find((l) => l.includes('MP6001') && l.includes(`nodePools.${pick!.pool.name}`));
    checks.push({ name: '`validate` refuses the platform (exit 1, MP6001 on the pool)', ok: status === 1 && !!diag, detail: `exit ${status}: ${(diag ?? output.trim().split('\n')[0] ?? '').trim()}` });

    const forced = await readPlatform(tree);
    const r = await runCluster({ root, env: pick.env, platform: forced, bin: built.bin, files: forced.files, analysis: false, faultyCopy: false, readyTimeoutMs: 480_000, log });
    const o = r.observation;
    const poolPods = o.pods.byPool[pick.pool.name] ?? { expected: 0, total: 0, ready: 0, pending: 0, misplaced: 0 };
    const uniform = pick.perPod.length === 1 && pick.pool.gpu!.perNode % pick.perPod[0] === 0;
    const fits = uniform ? short * (pick.pool.gpu!.perNode / pick.perPod[0]) : undefined;
    const expectedPending = fits === undefined ? undefined : pick.pods - fits;
    const pendingElsewhere = o.pods.pendingPods.filter((p) => p.pool !== pick!.pool.name);
    const insufficient = o.pods.pendingPods.filter((p) => p.pool === pick!.pool.name && p.reason.includes(`Insufficient ${pick!.pool.gpu!.resourceName}`));
    checks.push({
      name: `the pods that do not fit stay Pending (${expectedPending ?? 'GPU shortfall'} on ${pick.pool.name}), for want of ${pick.pool.gpu!.resourceName}`,
      ok:
        (expectedPending === undefined ? poolPods.pending > 0 : poolPods.pending === expectedPending) &&
        insufficient.length === poolPods.pending &&
        poolPods.ready === poolPods.total - poolPods.pending,
      detail: `${poolPods.pending} Pending, ${poolPods.ready} Ready of ${poolPods.total} on ${pick.pool.name}${insufficient[0] ? `; scheduler: ${insufficient[0].reason}` : ''}`,
    });
    checks.push({ name: 'every pod of the other pools Ready', ok: pendingElsewhere.length === 0 && Object.entries(o.pods.byPool).every(([p, v]) => p === pick!.pool.name || v.ready === v.total), detail: pendingElsewhere.length ? `${pendingElsewhere.length} Pending elsewhere` : undefined });
    checks.push({ name: 'no object rejected', ok: r.rejected.length === 0, detail: r.rejected.length ? `${r.rejected.length} rejected` : undefined });
    record(`${scenario}: ${pick.env} ${pick.pool.name} ${short}/${pick.nodesNeeded} nodes`, r, checks);
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}
