// `npm run cluster -- drill [--root DIR] [--env E] [--model M] [--healthy] [--json]`: the whole GitOps loop
// of one canary on the real controllers, timed. A copy of DIR becomes a Git repository on this machine that
// Argo CD (bootstrapped from generated/_bootstrap/) syncs; the model starts on its stable version only; the
// canary is released by a commit; the AnalysisRun reads Prometheus; then either errors start on the canary
// (default) and `modelplane promote --watch` (a separate process, as in production) pushes the rollback
// through the GitHub API (a local stand-in backed by the same repository) and refreshes the Application,
// or the series stay healthy and the watcher's auto-merged pull requests promote it through every step.
// Every stage's seconds are printed; `plan`'s worst case for the model's tier is printed beside them.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readManifests, type Manifest } from './apply.js';
import { ARGOCD_NAMESPACE, describe, startArgoCd, stateOf, type ArgoCd } from './argocd.js';
import type { BuildResult } from './build.js';
import { deploymentModeOf, queries, startCluster } from './cluster.js';
import type { ControlPlane } from './controlplane.js';
import { routeStatuses } from './gateway.js';
import { LocalGitHub } from './github.js';
import { serveGit } from './githttp.js';
import type { KubeObject } from './kube.js';
import { Exporter, startPrometheus } from './metrics.js';
import { pointPlatformAt, readDrillView, readPlatform, withoutCanary, type DrillModel } from './platform.js';
import { onInterrupt, Processes, sleep, tail } from './proc.js';
import type { Check } from './report.js';

const OWN_CLI = new URL('../../../bin/modelplane.js', import.meta.url).pathname;

/**
 * The modelplane a checkout runs: its own `bin/modelplane.js` (this project's tree), else the one it depends
 * on (`node_modules/modelplane`), else the suite's. Each copy runs its own, so the drill measures the tree under
 * test and a change to this checkout during a drill does not reach the running watcher.
 */
function cliOf(checkout: string): string {
  for (const candidate of [join(checkout, 'bin', 'modelplane.js'), join(checkout, 'node_modules', 'modelplane', 'bin', 'modelplane.js')]) if (existsSync(candidate)) return candidate;
  return OWN_CLI;
}
const IN_CLUSTER = 'https://kubernetes.default.svc';
/** Argo CD's default reconciliation (timeout.reconciliation 120 s; its jitter is set to 0 here): the drill must not depend on the poll. */
const ARGOCD_POLL_SECONDS = 120;
const POLL_MS = 250;

export interface DrillOptions {
  readonly root: string;
  readonly env?: string;
  readonly model?: string;
  /** Healthy series: the canary is promoted through every step instead of rolled back. */
  readonly healthy: boolean;
  readonly json: boolean;
  readonly log: (line: string) => void;
}

export interface DrillStage {
  readonly stage: string;
  /** When the stage ended (ISO, ms). */
  readonly at: string;
  /** Seconds since the previous stage ended. */
  readonly seconds: number;
  /** What `plan` declares for this part of the path, if it declares one. */
  readonly declaredSeconds?: number;
  readonly detail?: string;
}

export interface DrillReport {
  readonly model: string;
  readonly env: string;
  readonly tier: string;
  readonly policy: string;
  readonly stable: string;
  readonly canary: string;
  readonly series: 'errors' | 'healthy';
  /** Setting the loop up: the release commit to the AnalysisRun running (not part of the total). */
  readonly setup: DrillStage[];
  /** From the first bad sample (errors) or the first AnalysisRun (healthy) to traffic where it belongs. */
  readonly stages: DrillStage[];
  readonly totalSeconds?: number;
  readonly plan?: { readonly detectionSeconds?: number; readonly detectionMarginalSeconds?: number; readonly pathSeconds: number; readonly worstCaseSeconds?: number; readonly objectiveSeconds: number };
  readonly commits: { readonly release?: string; readonly rollback?: string; readonly promotions: string[] };
  readonly settings: Record<string, string>;
  readonly checks: Check[];
  readonly seconds: { readonly start: number; readonly bootstrap: number; readonly total: number; readonly build: Record<string, number> };
  readonly ok: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();
const round = (n: number) => Math.round(n * 10) / 10;

const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'modelplane drill',
  GIT_AUTHOR_EMAIL: 'drill@modelplane.invalid',
  GIT_COMMITTER_NAME: 'modelplane drill',
  GIT_COMMITTER_EMAIL: 'drill@modelplane.invalid',
};

function run(cwd: string, command: string, args: readonly string[], env: Record<string, string> = {}): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; status?: number };
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${e.status}:\n${`${e.stdout ?? ''}${e.stderr ?? ''}`.trim().slice(-3000)}`);
  }
}
const git = (cwd: string, ...args: string[]) => run(cwd, 'git', args).trim();
const modelplane = (cwd: string, ...args: string[]) => run(cwd, process.execPath, [cliOf(cwd), '--root', cwd, ...args]);

/** The files of the tree at `root` a clone would have (tracked and untracked, not ignored), or the whole tree without node_modules and .git. */
function copyTree(root: string, to: string): void {
  mkdirSync(to, { recursive: true });
  let files: string[] | undefined;
  try {
    files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\0').filter(Boolean);
  } catch {
    files = undefined;
  }
  if (files) {
    for (const f of files) {
      if (!existsSync(join(root, f))) continue; // deleted in the work tree
      if (f === 'node_modules' || f.startsWith('node_modules/')) continue; // a node_modules symlink is not matched by `node_modules/`
      mkdirSync(dirname(join(to, f)), { recursive: true });
      cpSync(join(root, f), join(to, f), { verbatimSymlinks: true });
    }
  } else cpSync(root, to, { recursive: true, verbatimSymlinks: true, filter: (src) => !/\/(node_modules|\.git)(\/|$)/.test(src.slice(root.length)) });
  // The definitions import the packages of the tree under test.
  if (existsSync(join(root, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(to, 'node_modules'), 'dir');
}

/** The file under policies/ that calls definePlatform. */
function platformFile(root: string): string {
  const dir = join(root, 'policies');
  const found = readdirSync(dir).filter((f) => /\.(ts|mts)$/.test(f)).find((f) => /\bdefinePlatform\s*\(/.test(readFileSync(join(dir, f), 'utf8')));
  if (!found) throw new Error(`no file under ${dir} calls definePlatform(...)`);
  return join('policies', found);
}

function pickModel(canaries: readonly DrillModel[], o: Pick<DrillOptions, 'env' | 'model'>): DrillModel {
  const fits = canaries.filter((c) => (!o.env || c.env === o.env) && (!o.model || c.id === o.model));
  if (fits.length === 0) {
    const have = canaries.map((c) => `${c.id} ${c.canary.version} in ${c.env}`).join(', ') || 'none';
    throw new DrillError(`no canary in flight${o.model ? ` for ${o.model}` : ''}${o.env ? ` in ${o.env}` : ''}: the drill releases a canary that the tree declares (canaries in the tree: ${have})`);
  }
  // The strictest tier first (the one with the tightest objective), then by name.
  return [...fits].sort((a, b) => b.tierPriority - a.tierPriority || a.env.localeCompare(b.env) || a.id.localeCompare(b.id))[0];
}

/** A usage problem: the CLI prints it and exits 2. */
export class DrillError extends Error {}

/** True when some rule of the route still sends traffic (weight > 0) to the canary's Service. */
function sendsToCanary(route: any, canaryService: string): boolean {
  return (route?.spec?.rules ?? []).some((r: any) => (r.backendRefs ?? []).some((b: any) => b.name === canaryService && (b.weight ?? 1) > 0));
}

/** The weight the route's default (header-less) rules give the canary's Service, in percent. */
function canaryWeight(route: any, canaryService: string): number {
  const rules = (route?.spec?.rules ?? []).filter((r: any) => (r.matches ?? []).every((m: any) => !(m.headers ?? []).length));
  for (const r of rules) {
    const refs = r.backendRefs ?? [];
    const total = refs.reduce((s: number, b: any) => s + (b.weight ?? 1), 0);
    const canary = refs.find((b: any) => b.name === canaryService);
    if (canary && total > 0) return round((100 * (canary.weight ?? 1)) / total);
  }
  return 0;
}

export async function runDrill(o: DrillOptions, built: BuildResult): Promise<number> {
  const report = await drillReport(o, built);
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else console.log(drillText(report));
  return report.ok ? 0 : 1;
}

/** Runs the drill and returns its report (the scenarios of `npm run cluster -- test` print it with theirs). */
export async function drillReport(o: Omit<DrillOptions, 'json'>, built: BuildResult): Promise<DrillReport> {
  const t0 = Date.now();
  const view = await readDrillView(o.root);
  if (view.errors.length) throw new DrillError(`the tree at ${o.root} does not validate: ${view.errors.slice(0, 3).join('; ')}`);
  const target = pickModel(view.canaries, o);
  const platform = await readPlatform(o.root);
  const env = target.env;
  o.log(`drill: ${target.id} (${target.tier}) in ${env}: stable ${target.stable}, canary ${target.canary.version} under ${target.canary.policy}; series ${o.healthy ? 'healthy' : 'with errors on the canary'}`);

  const dir = mkdtempSync(join(tmpdir(), 'modelplane-drill-'));
  const procs = new Processes(dir);
  const exporter = new Exporter();
  const bare = join(dir, 'platform.git');
  const github = new LocalGitHub(bare);
  const unregister = onInterrupt(() => {
    void exporter.close();
    void github.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let report: DrillReport | undefined;
  const closers: (() => Promise<void>)[] = [];
  try {
    report = await drill(o, built, target, platform, dir, procs, exporter, github, t0, view.argocdNamespace, closers);
  } catch (error) {
    if (!(error instanceof DrillError)) {
      const logs = procs.list().map((p) => `--- ${p.name} (pid ${p.pid}) ${p.log}\n${tail(p.log, 15)}`).join('\n');
      (error as Error).message += `\n${logs}`;
    }
    throw error;
  } finally {
    unregister();
    await procs.stopAll();
    await exporter.close();
    await github.close();
    for (const close of closers) await close();
    if (process.env.MODELPLANE_CLUSTER_KEEP) o.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

async function drill(
  o: Omit<DrillOptions, 'json'>,
  built: BuildResult,
  target: DrillModel,
  platform: Awaited<ReturnType<typeof readPlatform>>,
  dir: string,
  procs: Processes,
  exporter: Exporter,
  github: LocalGitHub,
  t0: number,
  argocdNamespace: string,
  closers: (() => Promise<void>)[],
): Promise<DrillReport> {
  const { log } = o;
  const env = target.env;
  const checks: Check[] = [];
  const bare = github.bare;

  // 1. The repository: a copy of the tree, pointed at the suite, with the model on its stable version only.
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  const gitServer = await serveGit(bare, join(dir, 'git-tls'));
  closers.push(() => gitServer.close());
  const url = gitServer.url;
  const work = join(dir, 'drill');
  copyTree(o.root, work);
  const prometheus = await startPrometheus('prometheus', dir, await exporter.listen(), procs);
  const settings = { repoURL: url, cluster: IN_CLUSTER, prometheus, rollbackDelivery: 'push' as const };
  const platformPath = platformFile(work);
  writeFileSync(join(work, platformPath), pointPlatformAt(readFileSync(join(work, platformPath), 'utf8'), env, settings));
  writeFileSync(join(work, target.file), withoutCanary(readFileSync(join(work, target.file), 'utf8'), env));
  modelplane(work, 'synth');
  git(work, 'init', '--quiet', '--initial-branch=main');
  // The node_modules symlink is the tree's, not the repository's (a `node_modules/` ignore line does not match a symlink).
  writeFileSync(join(work, '.git', 'info', 'exclude'), '/node_modules\n');
  git(work, 'remote', 'add', 'origin', bare);
  git(work, 'add', '--all');
  git(work, 'commit', '--quiet', '-m', `drill: ${target.id} on ${target.stable} only in ${env}; ${env} pointed at the suite (repository, cluster, Prometheus, rollbackDelivery push)`);
  git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  log(`drill: ${platformPath}: repoURL ${url}, environments.${env}.cluster ${IN_CLUSTER}, metricSources.prometheus.address ${prometheus}, environments.${env}.rollbackDelivery 'push'`);

  const manifests = readManifests(join(work, 'generated', env));
  const addQueries = (ms: readonly Manifest[]) => {
    for (const { object } of ms) for (const q of queries(object)) exporter.add(q);
  };
  addQueries(manifests);

  // 2. The cluster and Argo CD, bootstrapped as the README says.
  const { cp } = await startCluster({ dir, procs, bin: built.bin, root: o.root, env, pools: platform.pools[env], gateway: platform.gateways[env], deploymentMode: deploymentModeOf(manifests), log });
  const tStarted = Date.now();
  const argocdCm = parseAllDocuments(readFileSync(join(work, 'generated', '_argocd', 'configmap-argocd-cm.yaml'), 'utf8')).map((d) => d.toJS() as KubeObject)[0];
  const argo = await startArgoCd({ dir, cp, bin: built.bin, procs, repositories: [url], insecureRepositories: true, config: (argocdCm?.data ?? {}) as Record<string, string>, defaultProject: false, resyncSeconds: ARGOCD_POLL_SECONDS, log });
  for (const m of readManifests(join(work, 'generated', '_bootstrap'))) {
    const object = structuredClone(m.object);
    object.metadata.namespace ??= ARGOCD_NAMESPACE;
    await cp.kube.apply(object);
  }
  log('drill: applied generated/_bootstrap/; waiting for the model Application to be Synced and Healthy');
  await bootstrapped(argo, target.application, procs, platform.environments.filter((e) => e !== env));
  const tBootstrapped = Date.now();
  log(`drill: ${target.application} Synced and Healthy ${round((tBootstrapped - tStarted) / 1000)} s after the cluster was up`);

  // 3. The promoter, as the in-cluster Deployment runs it: a clone, `promote --watch --pull`, the GitHub API.
  await github.listen();
  const promoterClone = join(dir, 'promoter');
  git(dir, 'clone', '--quiet', bare, promoterClone);
  if (existsSync(join(o.root, 'node_modules'))) {
    symlinkSync(join(o.root, 'node_modules'), join(promoterClone, 'node_modules'), 'dir');
    writeFileSync(join(promoterClone, '.git', 'info', 'exclude'), '/node_modules\n');
  }
  procs.start(
    'promoter',
    process.execPath,
    [cliOf(promoterClone), '--root', promoterClone, 'promote', '--watch', '--env', env, '--model', target.id, '--pull', '--base', 'main', '--refresh-kubeconfig', cp.kubeconfig, ...(o.healthy ? ['--auto-merge'] : [])],
    { cwd: promoterClone, env: { ...GIT_ENV, ...github.env(), KUBECONFIG: cp.kubeconfig } },
  );

  // 4. Release the canary: a commit on main (the merged release pull request), then the refresh a Git webhook sends.
  const setup: DrillStage[] = [];
  let last = Date.now();
  const mark = (list: DrillStage[], stage: string, at: number, detail?: string, declaredSeconds?: number) => {
    list.push({ stage, at: iso(at), seconds: round((at - last) / 1000), declaredSeconds, detail });
    log(`drill: ${stage} (+${round((at - last) / 1000)} s)${detail ? `: ${detail}` : ''}`);
    last = at;
  };
  modelplane(work, 'release', target.id, target.canary.version, '--env', env, '--no-pr');
  const releaseBranch = git(work, 'rev-parse', '--abbrev-ref', 'HEAD');
  git(work, 'checkout', '--quiet', 'main');
  git(work, 'merge', '--quiet', '--ff-only', releaseBranch);
  git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  const release = git(work, 'rev-parse', 'HEAD');
  mark(setup, 'release committed', Date.now(), `${release.slice(0, 12)} on main (${releaseBranch} merged)`);
  addQueries(readManifests(join(work, 'generated', env)));
  await argo.refresh(target.application);

  const canaryService = target.workloads.canary;
  const analysisRun0 = analysisRunOf(readManifests(join(work, target.generatedPath)));
  if (!analysisRun0) throw new Error(`the release emitted no AnalysisRun in ${target.generatedPath}`);
  await atRevision(cp, procs, argo, target.application, release);
  mark(setup, 'Argo CD synced the release', Date.now(), `${target.application} Synced at ${release.slice(0, 12)}`);
  const route0 = await waitUntil(cp, procs, 'the HTTPRoute to send traffic to the canary', 300_000, async () => {
    const r = await cp.kube.get('gateway.networking.k8s.io/v1', 'HTTPRoute', target.namespace, target.route);
    return sendsToCanary(r, canaryService) ? r : undefined;
  });
  mark(setup, 'HTTPRoute sends to the canary', Date.now(), `${canaryWeight(route0, canaryService)} % of default traffic to ${canaryService}`);
  await waitUntil(cp, procs, `AnalysisRun ${analysisRun0} to take a measurement`, 300_000, async () => {
    const run = (await cp.kube.get('argoproj.io/v1alpha1', 'AnalysisRun', target.namespace, analysisRun0)) as any;
    return (run?.status?.metricResults ?? []).some((m: any) => (m.measurements ?? []).some((x: any) => x.phase === 'Successful')) ? run : undefined;
  });
  mark(setup, 'AnalysisRun measuring', Date.now(), `${analysisRun0}: first measurement Successful`);

  const b = target.budget;
  const plan = b && { detectionSeconds: b.detectionSevereSeconds, detectionMarginalSeconds: b.detectionMarginalSeconds, pathSeconds: b.pathSeconds, worstCaseSeconds: b.totalSeconds, objectiveSeconds: b.objectiveSeconds };
  const declared = (...names: string[]) => b && names.reduce((s, n) => s + (b.stages.find((x) => x.stage === n)?.seconds ?? 0), 0);
  const stages: DrillStage[] = [];
  const commits: { release?: string; rollback?: string; promotions: string[] } = { release, promotions: [] };
  let totalSeconds: number | undefined;

  if (!o.healthy) {
    // 5. Errors on the canary only; then every stage of the way back, as the cluster and the repository show it.
    const errorsFrom = exporter.startErrors({ label: 'destination_workload', value: canaryService });
    last = errorsFrom;
    log(`drill: ${Math.round(100 * 0.05)} % errors on ${canaryService} from ${iso(errorsFrom)}`);
    const failed = await waitUntil(cp, procs, `AnalysisRun ${analysisRun0} to fail`, 600_000, async () => {
      const run = (await cp.kube.get('argoproj.io/v1alpha1', 'AnalysisRun', target.namespace, analysisRun0)) as any;
      return ['Failed', 'Error', 'Inconclusive', 'Successful'].includes(run?.status?.phase) ? run : undefined;
    });
    mark(stages, 'AnalysisRun finished', Date.now(), `${failed.status.phase}${failed.status.message ? `: ${failed.status.message}` : ''}`, declared('detection'));
    checks.push({ name: 'the AnalysisRun failed on the errors', ok: failed.status.phase === 'Failed', detail: `${analysisRun0}: ${failed.status.phase}` });

    const pushed = await waitUntil(cp, procs, 'the promoter to push the rollback onto main', 300_000, async () => github.events.find((e) => e.what === 'ref-updated' && e.ref === 'refs/heads/main' && e.time >= errorsFrom));
    commits.rollback = pushed.sha;
    const message = git(bare, 'log', '-1', '--format=%B', pushed.sha!);
    mark(stages, 'rollback pushed by the promoter', pushed.time, `${pushed.sha!.slice(0, 12)} ${message.split('\n')[0]}`, declared('promoter', 'check', 'merge'));

    let route: any;
    let contourAt = 0;
    let routeAt = 0;
    let syncedAt = 0;
    await waitUntil(cp, procs, `${target.application} to sync the rollback and the HTTPRoute to leave the canary`, 600_000, async () => {
      const now = Date.now();
      if (!syncedAt) {
        const app = await argo.app(target.application);
        if (app?.status?.sync?.revision === pushed.sha && app?.status?.sync?.status === 'Synced') syncedAt = now;
      }
      if (!routeAt) {
        route = await cp.kube.get('gateway.networking.k8s.io/v1', 'HTTPRoute', target.namespace, target.route);
        if (route && !sendsToCanary(route, canaryService)) routeAt = now;
      }
      if (routeAt && !contourAt) {
        // routeStatuses counts only conditions observed at the route's current generation.
        const status = (await routeStatuses(cp, platform.gateways[env])).find((r) => r.namespace === target.namespace && r.name === target.route);
        if (status?.accepted && status.resolvedRefs) contourAt = now;
      }
      return syncedAt && routeAt && contourAt ? true : undefined;
    });
    const refreshed = readFileSync(join(dir, 'promoter.log'), 'utf8').includes(`asked Argo CD to refresh Application ${argocdNamespace}/${target.application}`);
    mark(stages, 'HTTPRoute sends 100 % to stable', routeAt, `${target.namespace}/${target.route} has no backend ${canaryService}${refreshed ? '; the promoter asked Argo CD to refresh the Application' : ''}`, declared('refresh', 'sync'));
    mark(stages, 'Contour accepted the route', Math.max(contourAt, routeAt), 'Accepted and ResolvedRefs at the route\'s new generation');
    if (syncedAt > routeAt) mark(stages, 'Argo CD sync of the rollback finished', syncedAt, `Synced at ${pushed.sha!.slice(0, 12)}`);
    totalSeconds = round((Math.max(contourAt, routeAt) - errorsFrom) / 1000);

    // 6. Git is the truth: the Application Synced and Healthy at the rollback commit; `git revert` of it restores the release.
    const settled = await argo.waitForApp(target.application, { sync: 'Synced', health: 'Healthy' }, 300_000, procs).catch((e: Error) => e);
    const settledOk = !(settled instanceof Error) && settled.status?.sync?.revision === pushed.sha;
    checks.push({
      name: 'the Application is Synced and Healthy at the rollback commit',
      ok: settledOk,
      detail: settled instanceof Error ? settled.message : `${describe(stateOf(settled))} at ${String(settled.status?.sync?.revision).slice(0, 12)}`,
    });
    const scratch = join(dir, 'revert');
    git(dir, 'clone', '--quiet', bare, scratch);
    git(scratch, 'revert', '--no-edit', pushed.sha!);
    const diff = git(scratch, 'diff', '--stat', release, 'HEAD');
    checks.push({ name: '`git revert` of the rollback commit restores the release (the canary would run again)', ok: diff === '', detail: diff ? `differs from the release: ${diff.split('\n').slice(-1)[0]}` : `revert of ${pushed.sha!.slice(0, 12)} = tree of ${release.slice(0, 12)}` });
    const messageOk = message.includes(target.id) && message.includes(target.canary.version);
    checks.push({ name: 'the rollback commit names the model and version', ok: messageOk, detail: message.split('\n')[0] });
  } else {
    // 5'. Healthy series: each step's AnalysisRun passes, the watcher opens an auto-merge pull request,
    // GitHub would merge it once its checks pass (here: at once), a webhook refreshes the Application.
    last = Date.now();
    const deadline = Date.now() + 6 * 3_600_000;
    for (;;) {
      const pr = await waitUntil(cp, procs, 'the promoter to open the next pull request', Math.max(0, deadline - Date.now()), async () => github.pulls.find((p) => p.state === 'open' && p.autoMerge));
      mark(stages, `pull request #${pr.number} opened`, pr.createdAt, pr.title);
      const merged = github.merge(pr);
      commits.promotions.push(merged);
      mark(stages, `#${pr.number} merged`, Date.now(), `${merged.slice(0, 12)} on main`);
      await argo.refresh(target.application);
      await atRevision(cp, procs, argo, target.application, merged);
      const route = await cp.kube.get('gateway.networking.k8s.io/v1', 'HTTPRoute', target.namespace, target.route);
      mark(stages, 'Argo CD synced it', Date.now(), `default traffic to ${canaryService}: ${canaryWeight(route, canaryService)} %`);
      if (/^promote /.test(pr.title)) break;
    }
    totalSeconds = round((Date.now() - Date.parse(setup[setup.length - 1].at)) / 1000);
    const route = await cp.kube.get('gateway.networking.k8s.io/v1', 'HTTPRoute', target.namespace, target.route);
    checks.push({ name: `promoted through every step: default traffic 100 % to ${target.canary.version}`, ok: canaryWeight(route, canaryService) === 100, detail: `${canaryWeight(route, canaryService)} % to ${canaryService}` });
    const settled = await argo.waitForApp(target.application, { sync: 'Synced', health: 'Healthy' }, 300_000, procs).catch((e: Error) => e);
    checks.push({ name: 'the Application is Synced and Healthy at the promotion commit', ok: !(settled instanceof Error) && settled.status?.sync?.revision === commits.promotions[commits.promotions.length - 1], detail: settled instanceof Error ? settled.message : describe(stateOf(settled)) });
  }

  if (!o.healthy && plan) {
    checks.push({ name: `measured total within the tier's objective (${plan.objectiveSeconds} s)`, ok: totalSeconds !== undefined && totalSeconds <= plan.objectiveSeconds, detail: `${totalSeconds} s` });
    checks.push({
      name: "measured total within plan's worst case",
      ok: totalSeconds !== undefined && plan.worstCaseSeconds !== undefined && totalSeconds <= plan.worstCaseSeconds,
      detail: `${totalSeconds} s measured, ${plan.worstCaseSeconds} s worst case (detection ${plan.detectionSeconds} s + path ${plan.pathSeconds} s)`,
    });
  }
  const crashed = procs.list().filter((p) => p.exited);
  checks.push({ name: 'no component crashed', ok: crashed.length === 0, detail: crashed.map((p) => `${p.name} exited ${p.exited!.code ?? p.exited!.signal}`).join('; ') || undefined });
  const now = Date.now();
  return {
    model: target.id,
    env,
    tier: target.tier,
    policy: target.canary.policy,
    stable: target.stable,
    canary: target.canary.version,
    series: o.healthy ? 'healthy' : 'errors',
    setup,
    stages,
    totalSeconds,
    plan,
    commits,
    settings: { [`${platformPath}: repoURL`]: url, [`environments.${env}.cluster`]: IN_CLUSTER, 'metricSources.prometheus.address': prometheus, [`environments.${env}.rollbackDelivery`]: 'push' },
    checks,
    seconds: { start: round((tStarted - t0) / 1000), bootstrap: round((tBootstrapped - tStarted) / 1000), total: round((now - t0) / 1000), build: built.seconds },
    ok: checks.every((c) => c.ok),
  };
}

/** Waits for the Application to be Synced and Healthy; an Application of the bootstrap that keeps a ComparisonError for a minute fails the drill in Argo CD's words. */
async function bootstrapped(argo: ArgoCd, application: string, procs: Processes, otherEnvironments: readonly string[]): Promise<void> {
  const deadline = Date.now() + 600_000;
  const erring = new Map<string, number>();
  for (;;) {
    procs.assertRunning();
    for (const a of await argo.apps()) {
      const s = stateOf(a);
      if (s.name === application && s.sync === 'Synced' && s.health === 'Healthy' && s.operation?.phase !== 'Running') return;
      // Other environments' Applications point at clusters the suite does not have: not the drill's concern.
      const broken = !otherEnvironments.some((e) => s.name.endsWith(`-${e}`)) && s.conditions.find((c) => /Error$/.test(c.type));
      if (!broken) erring.delete(s.name);
      else if (!erring.has(s.name)) erring.set(s.name, Date.now());
      else if (Date.now() - erring.get(s.name)! > 60_000) throw new Error(`drill: bootstrap failed: ${describe(s)}`);
    }
    if (Date.now() > deadline) throw new Error(`drill: ${application} not Synced and Healthy within 600 s: ${describe(stateOf(await argo.app(application)))}`);
    await sleep(1000);
  }
}

/**
 * Waits until the Application is Synced at `revision`: Argo CD applied that commit. Its sync operation may
 * still be Running: in a sync with waves, Argo CD waits for every resource of the last wave to be Healthy,
 * and a canary step's AnalysisRun is Progressing until the step's analysis ends.
 */
function atRevision(cp: ControlPlane, procs: Processes, argo: ArgoCd, application: string, revision: string): Promise<true> {
  return waitUntil(cp, procs, `${application} to be Synced at ${revision.slice(0, 12)}`, 300_000, async () => {
    const s = (await argo.app(application))?.status;
    return s?.sync?.revision === revision && s?.sync?.status === 'Synced' ? true : undefined;
  });
}

function analysisRunOf(ms: readonly Manifest[]): string | undefined {
  return ms.find((m) => m.object.kind === 'AnalysisRun')?.object.metadata.name;
}

/** Polls `probe` every 250 ms until it returns a value; the error names what did not happen. */
async function waitUntil<T>(cp: ControlPlane, procs: Processes, what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    procs.assertRunning();
    const got = await probe().catch(() => undefined);
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`drill: ${what} did not happen within ${Math.round(timeoutMs / 1000)} s (API server ${cp.kubeconfig})`);
    await sleep(POLL_MS);
  }
}

export function drillText(r: DrillReport): string {
  const out = [`== drill: ${r.model} ${r.canary} (stable ${r.stable}) in ${r.env}, tier ${r.tier}, policy ${r.policy}, series ${r.series} ==`, ''];
  const rows = (list: readonly DrillStage[]) => list.map((s) => `  ${s.at.slice(11, 23)}  +${String(s.seconds).padStart(6)} s  ${s.stage}${s.declaredSeconds !== undefined ? ` (plan: ${s.declaredSeconds} s)` : ''}${s.detail ? `: ${s.detail}` : ''}`);
  out.push('setup:', ...rows(r.setup), '', r.series === 'errors' ? 'from the first bad sample:' : 'promotion:', ...rows(r.stages), '');
  if (r.totalSeconds !== undefined) out.push(`total: ${r.totalSeconds} s${r.plan ? `; plan: worst case ${r.plan.worstCaseSeconds} s (detection ${r.plan.detectionSeconds} s, marginal ${r.plan.detectionMarginalSeconds} s; path ${r.plan.pathSeconds} s), objective ${r.plan.objectiveSeconds} s` : ''}`);
  out.push(`settings of the copy: ${Object.entries(r.settings).map(([k, v]) => `${k} = ${v}`).join('; ')}`);
  out.push('', ...r.checks.map((c) => `${c.ok ? 'PASS' : 'FAIL'} ${c.name}${c.detail ? ` (${c.detail})` : ''}`));
  out.push('', `seconds: build ${Object.entries(r.seconds.build).map(([k, v]) => `${k} ${v}`).join(', ')}; start ${r.seconds.start}, bootstrap ${r.seconds.bootstrap}, total ${r.seconds.total}`);
  return out.join('\n');
}
