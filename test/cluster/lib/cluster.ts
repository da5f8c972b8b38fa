// One run of the suite on one environment: start everything, apply, wait, observe, stop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyAll, parseManifests, readManifests, rewritePrometheus, type ApplyResult, type Manifest, type Rejection, type Rewrite } from './apply.js';
import { startKeda, startKServe, startRollouts } from './controllers.js';
import { startControlPlane, type ControlPlane } from './controlplane.js';
import { crdSources, installCrds, sharedCrdDir } from './crds.js';
import type { KubeObject } from './kube.js';
import { startGateway, type GatewayRef } from './gateway.js';
import { Exporter, startPrometheus } from './metrics.js';
import { createNodes, nodeObjects, startKwok } from './nodes.js';
import { observe, type Observation } from './observe.js';
import type { PlatformView } from './platform.js';
import { onInterrupt, Processes, sleep, tail } from './proc.js';

export interface AnalysisVerdict {
  name: string;
  namespace: string;
  /** What the run's Prometheus served: healthy series, or errors switched on at `errorsFrom`. */
  series: 'healthy' | 'errors';
  phase: string;
  seconds: number;
  /** With errors: seconds from the errors' start to the terminal phase. */
  secondsFromErrors?: number;
  message?: string;
  measurements: Record<string, string[]>;
}

export interface RunOptions {
  readonly root: string;
  readonly env: string;
  readonly platform: PlatformView;
  readonly bin: Record<string, string>;
  /** Files to apply instead of generated/<env>/ (repository-relative paths, as `synth` writes them). */
  readonly files?: readonly { path: string; content: string }[];
  /** Wait for AnalysisRuns to finish (they run interval × count). */
  readonly analysis: boolean;
  /** Also run a copy of each AnalysisRun against series with errors (acceptance 4). */
  readonly faultyCopy: boolean;
  /** Deadline for InferenceServices and pods. */
  readonly readyTimeoutMs: number;
  readonly log: (line: string) => void;
  /** Called once the cluster is up and the objects are applied (the test runs other scenarios meanwhile). */
  readonly onApplied?: () => void;
  /** Delivers the objects instead of applying them directly (Argo CD syncing them from Git: lib/argocd.ts). */
  readonly deliver?: (ctx: { cp: ControlPlane; dir: string; procs: Processes; manifests: readonly Manifest[] }) => Promise<ApplyResult>;
}

export interface RunResult {
  env: string;
  nodes: Record<string, number>;
  applied: number;
  appliedByKind: Record<string, number>;
  rejected: Rejection[];
  rewrites: Rewrite[];
  observation: Observation;
  analysis: AnalysisVerdict[];
  seconds: { start: number; apply: number; reconcile: number; analysis: number; total: number };
  processes: { name: string; pid: number }[];
  /** A process that died during the run, with its last log lines. */
  crashed: string[];
}

const TERMINAL = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

export async function runCluster(options: RunOptions): Promise<RunResult> {
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'modelplane-cluster-'));
  const procs = new Processes(dir);
  const exporters: Exporter[] = [];
  const stop = async () => {
    await procs.stopAll();
    await Promise.all(exporters.map((e) => e.close()));
  };
  const unregister = onInterrupt(() => {
    for (const e of exporters) void e.close();
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    return await run(options, dir, procs, exporters, t0);
  } catch (error) {
    const logs = procs
      .list()
      .map((p) => `--- ${p.name} (pid ${p.pid}) ${p.log}\n${tail(p.log, 15)}`)
      .join('\n');
    (error as Error).message += `\n${logs}`;
    throw error;
  } finally {
    unregister();
    await stop();
    if (process.env.MODELPLANE_CLUSTER_KEEP) options.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function run(options: RunOptions, dir: string, procs: Processes, exporters: Exporter[], t0: number): Promise<RunResult> {
  const { log, env, platform } = options;
  const pools = platform.pools[env];
  if (!pools) throw new Error(`environment '${env}' is not declared (declared: ${platform.environments.join(', ')})`);
  const manifests: Manifest[] = options.files
    ? options.files.filter((f) => f.path.startsWith(`generated/${env}/`) && f.path.endsWith('.yaml')).flatMap((f) => parseManifests(f.path.slice(`generated/${env}/`.length), f.content))
    : readManifests(join(options.root, 'generated', env));
  if (manifests.length === 0) throw new Error(`nothing to apply: generated/${env}/ of ${options.root} is empty`);

  // Series the emitted queries read, healthy and (for the faulty copy) with errors.
  const healthy = new Exporter();
  const faulty = new Exporter();
  exporters.push(healthy, faulty);
  for (const { object } of manifests) for (const q of queries(object)) (healthy.add(q), faulty.add(q));
  const healthyUrl = await startPrometheus('prometheus-healthy', dir, await healthy.listen(), procs);
  const faultyUrl = options.faultyCopy ? await startPrometheus('prometheus-errors', dir, await faulty.listen(), procs) : undefined;

  const gateway = platform.gateways[env];
  const { cp, nodeCount } = await startCluster({ dir, procs, bin: options.bin, root: options.root, env, pools, gateway, deploymentMode: deploymentModeOf(manifests), log });
  const tStarted = Date.now();

  const rewrites: Rewrite[] = [];
  const toApply = manifests.map((m) => ({ file: m.file, object: rewritePrometheus(m.object, healthyUrl, rewrites) }));
  const { applied, rejected } = options.deliver ? await options.deliver({ cp, dir, procs, manifests: toApply }) : await applyAll(cp, toApply);
  const appliedAt = Date.now();
  log(`${env}: applied ${applied.length}, rejected ${rejected.length}`);
  const faultyRuns: { object: KubeObject; errorsFrom: number }[] = [];
  if (faultyUrl) {
    for (const m of applied.filter((a) => a.object.kind === 'AnalysisRun')) {
      const copy = rewritePrometheus(m.object, faultyUrl, []);
      const spec = copy.spec as any;
      for (const metric of spec.metrics) if (metric.provider?.prometheus) metric.provider.prometheus.address = faultyUrl;
      copy.metadata = { ...copy.metadata, name: `${copy.metadata.name}-errors` };
      const errorsFrom = faulty.startErrors();
      await cp.kube.apply(copy);
      faultyRuns.push({ object: copy, errorsFrom });
      log(`${env}: ${copy.metadata.namespace}/${copy.metadata.name} against ${Math.round(100 * 0.05)} % errors from ${new Date(errorsFrom).toISOString()}`);
    }
  }
  options.onApplied?.();

  const observation = await waitReconciled(cp, applied, pools, gateway, options.readyTimeoutMs, procs, log, env);
  const tReconciled = Date.now();

  const analysis: AnalysisVerdict[] = [];
  const runs = [
    ...applied.filter((a) => a.object.kind === 'AnalysisRun').map((a) => ({ object: a.object, series: 'healthy' as const, from: appliedAt, errorsFrom: undefined as number | undefined })),
    ...faultyRuns.map((f) => ({ object: f.object, series: 'errors' as const, from: f.errorsFrom, errorsFrom: f.errorsFrom })),
  ];
  if (options.analysis && runs.length) {
    log(`${env}: waiting for ${runs.length} AnalysisRun(s) to finish`);
    const pending = new Set(runs.map((r) => r.object.metadata.name));
    const deadline = Date.now() + Math.max(...runs.map((r) => analysisBudgetMs(r.object)));
    while (pending.size && Date.now() < deadline) {
      procs.assertRunning();
      for (const r of runs) {
        if (!pending.has(r.object.metadata.name)) continue;
        const got = (await cp.kube.get('argoproj.io/v1alpha1', 'AnalysisRun', r.object.metadata.namespace, r.object.metadata.name)) as any;
        const phase = got?.status?.phase;
        if (phase && TERMINAL.has(phase)) {
          pending.delete(r.object.metadata.name);
          analysis.push(verdict(got, r.series, (Date.now() - r.from) / 1000, r.errorsFrom));
          log(`${env}: AnalysisRun ${r.object.metadata.name} (${r.series}) ${phase} after ${Math.round((Date.now() - r.from) / 1000)} s`);
        }
      }
      await sleep(2000);
    }
    for (const r of runs.filter((x) => pending.has(x.object.metadata.name))) {
      const got = (await cp.kube.get('argoproj.io/v1alpha1', 'AnalysisRun', r.object.metadata.namespace, r.object.metadata.name)) as any;
      analysis.push({ ...verdict(got, r.series, (Date.now() - r.from) / 1000, r.errorsFrom), phase: `not finished (${got?.status?.phase ?? 'no status'})` });
    }
  }
  const crashed = procs
    .list()
    .filter((p) => p.exited)
    .map((p) => `${p.name} (pid ${p.pid}) exited with ${p.exited!.code ?? p.exited!.signal}:\n${tail(p.log, 15)}`);
  const appliedByKind: Record<string, number> = {};
  for (const a of applied) appliedByKind[a.object.kind] = (appliedByKind[a.object.kind] ?? 0) + 1;
  const now = Date.now();
  return {
    env,
    nodes: nodeCount,
    applied: applied.length,
    appliedByKind,
    rejected,
    rewrites,
    observation,
    analysis,
    seconds: {
      start: round((tStarted - t0) / 1000),
      apply: round((appliedAt - tStarted) / 1000),
      reconcile: round((tReconciled - appliedAt) / 1000),
      analysis: round((now - tReconciled) / 1000),
      total: round((now - t0) / 1000),
    },
    processes: procs.list().map((p) => ({ name: p.name, pid: p.pid })),
    crashed,
  };
}

export interface StartOptions {
  readonly dir: string;
  readonly procs: Processes;
  readonly bin: Record<string, string>;
  readonly root: string;
  readonly env: string;
  readonly pools: PlatformView['pools'][string];
  readonly gateway: GatewayRef;
  readonly deploymentMode: string;
  readonly log: (line: string) => void;
}

/** The control plane, the CRDs, kwok nodes for the environment's pools, and the controllers (KServe, KEDA, Argo Rollouts, Contour). */
export async function startCluster(o: StartOptions): Promise<{ cp: ControlPlane; nodeCount: Record<string, number> }> {
  const { env, log, procs } = o;
  log(`${env}: starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler`);
  const cp = await startControlPlane(o.dir, o.bin, procs);
  const crds = await installCrds(cp, crdSources(sharedCrdDir(o.root)));
  log(`${env}: ${crds.length} CRDs established`);
  await startKwok(o.dir, cp, o.bin, procs);
  const nodes = nodeObjects(o.pools);
  await createNodes(cp, nodes);
  await waitNodesReady(cp, nodes.length, procs);
  const nodeCount: Record<string, number> = {};
  for (const p of o.pools) nodeCount[p.name] = p.nodes;
  log(`${env}: ${nodes.length} kwok nodes Ready (${Object.entries(nodeCount).map(([k, v]) => `${k}: ${v}`).join(', ')})`);
  await startKServe(o.dir, cp, o.bin, procs, o.deploymentMode);
  await startKeda(o.dir, cp, o.bin, procs);
  await startRollouts(cp, o.bin, procs);
  await startGateway(o.dir, cp, o.bin, procs, o.gateway);
  log(`${env}: Contour serves Gateway ${o.gateway.namespace}/${o.gateway.name}`);
  // Argo CD's own namespace belongs to the Argo CD installation, not to the generated output.
  await cp.kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } });
  await sleep(3000); // let the controllers' informers sync before the first objects arrive
  procs.assertRunning();
  return { cp, nodeCount };
}

const round = (n: number) => Math.round(n * 10) / 10;

export function queries(o: KubeObject): string[] {
  const spec = o.spec as any;
  if (o.kind === 'AnalysisRun') return (spec?.metrics ?? []).map((m: any) => m.provider?.prometheus?.query).filter(Boolean);
  if (o.kind === 'ScaledObject') return (spec?.triggers ?? []).filter((t: any) => t.type === 'prometheus').map((t: any) => t.metadata?.query).filter(Boolean);
  return [];
}

export function deploymentModeOf(manifests: readonly Manifest[]): string {
  const modes = manifests.map((m) => m.object.metadata.annotations?.['serving.kserve.io/deploymentMode']).filter(Boolean);
  return modes[0] ?? 'Standard';
}

const durationMs = (d: string | undefined) => {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(d ?? '');
  if (!m) return 0;
  return Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000);
};

/** initialDelay + interval × count of the slowest metric, plus 4 minutes. */
function analysisBudgetMs(run: KubeObject): number {
  const metrics = ((run.spec as any)?.metrics ?? []) as any[];
  return Math.max(0, ...metrics.map((m) => durationMs(m.initialDelay) + durationMs(m.interval) * (m.count ?? 1))) + 240_000;
}

function verdict(run: any, series: 'healthy' | 'errors', seconds: number, errorsFrom?: number): AnalysisVerdict {
  const measurements: Record<string, string[]> = {};
  for (const m of run?.status?.metricResults ?? []) measurements[m.name] = (m.measurements ?? []).map((x: any) => `${x.phase}${x.value ? ` ${x.value}` : ''}`);
  const finishedAt = (run?.status?.metricResults ?? [])
    .flatMap((m: any) => m.measurements ?? [])
    .map((x: any) => Date.parse(x.finishedAt))
    .filter((x: number) => !Number.isNaN(x));
  return {
    name: run?.metadata?.name,
    namespace: run?.metadata?.namespace,
    series,
    phase: run?.status?.phase ?? 'no status',
    seconds: round(seconds),
    secondsFromErrors: errorsFrom !== undefined && finishedAt.length ? round((Math.max(...finishedAt) - errorsFrom) / 1000) : undefined,
    message: run?.status?.message,
    measurements,
  };
}

async function waitNodesReady(cp: ControlPlane, count: number, procs: Processes): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    procs.assertRunning();
    const nodes = await cp.kube.list('v1', 'Node');
    const ready = nodes.filter((n: any) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length;
    if (ready >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${ready} of ${count} kwok nodes became Ready in 120 s`);
    await sleep(1000);
  }
}

/**
 * Waits until every InferenceService is Ready, every pod is Ready or cannot be scheduled, and KEDA made an
 * HPA per ScaledObject, or the deadline passes; then observes once more.
 */
async function waitReconciled(cp: ControlPlane, applied: readonly Manifest[], pools: PlatformView['pools'][string], gateway: GatewayRef, timeoutMs: number, procs: Processes, log: (l: string) => void, env: string): Promise<Observation> {
  const deadline = Date.now() + timeoutMs;
  const scaled = applied.filter((a) => a.object.kind === 'ScaledObject').length;
  let last = '';
  let changedAt = Date.now();
  for (;;) {
    procs.assertRunning();
    const isvcs = await cp.kube.list('serving.kserve.io/v1beta1', 'InferenceService');
    const pods = (await cp.kube.list('v1', 'Pod', undefined, 'labelSelector=serving.kserve.io%2Finferenceservice')) as any[];
    const hpas = (await cp.kube.list('autoscaling/v2', 'HorizontalPodAutoscaler')).filter((h) => h.metadata.name.startsWith('keda-hpa-')).length;
    const readyIsvc = isvcs.filter((i: any) => i.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length;
    const readyPods = pods.filter((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length;
    const unschedulable = pods.filter((p) => p.status?.conditions?.some((c: any) => c.type === 'PodScheduled' && c.reason === 'Unschedulable')).length;
    // The warm pools: minReplicas of every InferenceService (the autoscalers scale the Deployments up to it).
    const wanted = isvcs.reduce((s, i: any) => s + (i.spec?.predictor?.minReplicas ?? 1), 0);
    const line = `${env}: InferenceServices Ready ${readyIsvc}/${isvcs.length}, pods Ready ${readyPods}/${wanted} (${unschedulable} unschedulable), HPAs ${hpas}/${scaled}`;
    if (line !== last) {
      log(line);
      changedAt = Date.now();
    }
    last = line;
    // Nothing moved for two minutes: what is not there by now is stuck (the report says why).
    const stuck = Date.now() - changedAt > 120_000;
    const settled = isvcs.length > 0 && pods.length >= wanted && readyPods + unschedulable >= wanted && hpas >= scaled;
    const waited = Date.now() - (deadline - timeoutMs);
    // With unschedulable pods, wait a minute more so that nothing else is still on its way.
    if ((settled && unschedulable === 0 && readyIsvc === isvcs.length) || (settled && unschedulable > 0 && waited > 60_000) || stuck || Date.now() > deadline) break;
    await sleep(3000);
  }
  return observe(cp, applied, pools, gateway);
}
