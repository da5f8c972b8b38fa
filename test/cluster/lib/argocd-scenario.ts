// `npm run cluster -- argocd [--root DIR] [--env E] [--json]`: generated/<env>/ of DIR, committed to a
// Git repository on this machine, delivered by the real Argo CD (application controller + repo
// server) bootstrapped with `kubectl apply -n argocd -f generated/_bootstrap/` as the README says; then the suite's usual checks
// of what the controllers made of it, and Argo CD's own account: Applications Synced/Healthy,
// sync waves, Degraded/OutOfSync resources with Argo CD's messages.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { readManifests, wave, type ApplyResult, type Manifest, type Rejection, type Rewrite } from './apply.js';
import { startArgoCd, describe, stateOf, GitRepo, ARGOCD_NAMESPACE, type AppState, type ArgoCd } from './argocd.js';
import type { BuildResult } from './build.js';
import { runCluster, type RunResult } from './cluster.js';
import type { ControlPlane } from './controlplane.js';
import type { KubeObject } from './kube.js';
import { readPlatform } from './platform.js';
import { sleep, type Processes } from './proc.js';
import { toJson, toText, verifyChecks, type Check } from './report.js';

export const IN_CLUSTER = 'https://kubernetes.default.svc';

export interface WaveCheck {
  readonly app: string;
  /** Per wave: when its first and last object was created (ISO seconds) and how many are missing. */
  readonly waves: { wave: number; objects: number; missing: number; firstCreated?: string; lastCreated?: string; lastHealthy?: string }[];
  readonly honoured: boolean;
  readonly detail: string;
  readonly notes: string[];
}

export interface ArgoCdReport {
  readonly env: string;
  readonly argocdVersion: string;
  readonly repoURL: string;
  readonly revision: string;
  readonly healthCustomizations: string[];
  /** Health of the resources whose kinds the generated argocd-cm customizes, in Argo CD's words. */
  readonly healthSeen: string[];
  readonly bootstrap: {
    /** Every bootstrap Application of this environment (and the shared one) started a sync with no help. */
    readonly asReadme: boolean;
    readonly command: string;
    /** The files applied, in name order. */
    readonly files: string[];
    readonly applications: {
      readonly name: string;
      readonly startedSync: boolean;
      /** Argo CD's first words on the Application right after it was applied. */
      readonly controllerSaid: string;
      readonly secondsToSynced?: number;
    }[];
    /** Root Applications of environments this run did not commit, in Argo CD's words. */
    readonly otherEnvironments: string[];
  };
  readonly apps: AppState[];
  readonly waves: WaveCheck[];
  readonly notApplied: { kind: string; namespace?: string; name: string; file: string; app?: string }[];
  readonly rewrites: Rewrite[];
  readonly seconds: { argocdStart: number; bootstrap: number; settle: number };
}

const rel = (file: string) => file.split('/')[0];

/** Points the Applications and AppProjects at the suite's repository and (destination) cluster; every change is recorded. */
export function rewriteForSuite(objects: readonly Manifest[], repoURL: string, rewrites: Rewrite[]): Manifest[] {
  const repos = new Set<string>();
  for (const { object } of objects) {
    const spec = object.spec as any;
    if (object.kind === 'Application') for (const s of [spec?.source, ...(spec?.sources ?? [])]) if (s?.repoURL) repos.add(s.repoURL);
  }
  return objects.map((m) => {
    const copy = structuredClone(m.object);
    const spec = copy.spec as any;
    const where = { kind: copy.kind, namespace: copy.metadata.namespace, name: copy.metadata.name };
    const change = (field: string, from: string, to: string) => rewrites.push({ ...where, field, from, to });
    if (copy.kind === 'Application') {
      if (spec.source?.repoURL) (change('spec.source.repoURL', spec.source.repoURL, repoURL), (spec.source.repoURL = repoURL));
      (spec.sources ?? []).forEach((s: any, i: number) => s.repoURL && (change(`spec.sources[${i}].repoURL`, s.repoURL, repoURL), (s.repoURL = repoURL)));
      const server = spec.destination?.server;
      if (server && server !== IN_CLUSTER) (change('spec.destination.server', server, IN_CLUSTER), (spec.destination.server = IN_CLUSTER));
    }
    if (copy.kind === 'AppProject') {
      (spec.sourceRepos ?? []).forEach((r: string, i: number) => repos.has(r) && (change(`spec.sourceRepos[${i}]`, r, repoURL), (spec.sourceRepos[i] = repoURL)));
      (spec.destinations ?? []).forEach((d: any, i: number) => d.server && d.server !== '*' && d.server !== IN_CLUSTER && (change(`spec.destinations[${i}].server`, d.server, IN_CLUSTER), (d.server = IN_CLUSTER)));
    }
    return { file: m.file, object: copy };
  });
}

/** The manifests as files under `folder` of the repository (one document per object, in file order). */
function asFiles(folder: string, manifests: readonly Manifest[]): { path: string; content: string }[] {
  const byFile = new Map<string, KubeObject[]>();
  for (const m of manifests) byFile.set(m.file, [...(byFile.get(m.file) ?? []), m.object]);
  return [...byFile].map(([file, objects]) => ({ path: `${folder}/${file}`, content: objects.map((o) => stringify(o)).join('---\n') }));
}

const key = (o: { kind: string; namespace?: string; name: string }) => `${o.kind}/${o.namespace ?? ''}/${o.name}`;

async function live(cp: ControlPlane, o: KubeObject): Promise<any | undefined> {
  try {
    return await cp.kube.get(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name);
  } catch {
    return undefined;
  }
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

/**
 * Created-before order of each Application's waves (wave N+1's first object no earlier than wave N's
 * last), each wave applied; the InferenceServices' last Ready transition against the next wave as a note.
 */
async function checkWaves(cp: ControlPlane, app: string, manifests: readonly Manifest[], skip: Set<string>): Promise<WaveCheck> {
  const byWave = new Map<number, Manifest[]>();
  for (const m of manifests) if (!skip.has(key({ kind: m.object.kind, namespace: m.object.metadata.namespace, name: m.object.metadata.name }))) byWave.set(wave(m.object), [...(byWave.get(wave(m.object)) ?? []), m]);
  const waves: WaveCheck['waves'] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  let prev: { wave: number; last: number; healthy: number } | undefined;
  for (const w of [...byWave.keys()].sort((a, b) => a - b)) {
    const created: number[] = [];
    const healthy: number[] = [];
    let missing = 0;
    for (const m of byWave.get(w)!) {
      const got = await live(cp, m.object);
      if (!got) {
        missing++;
        continue;
      }
      created.push(Date.parse(got.metadata.creationTimestamp));
      const ready = got.status?.conditions?.find((c: any) => c.type === 'Ready' && c.status === 'True');
      if (m.object.kind === 'InferenceService' && ready) healthy.push(Date.parse(ready.lastTransitionTime));
    }
    const first = created.length ? Math.min(...created) : undefined;
    const last = created.length ? Math.max(...created) : undefined;
    waves.push({ wave: w, objects: byWave.get(w)!.length, missing, firstCreated: first === undefined ? undefined : iso(first), lastCreated: last === undefined ? undefined : iso(last), lastHealthy: healthy.length ? iso(Math.max(...healthy)) : undefined });
    if (prev && first !== undefined) {
      if (first < prev.last) problems.push(`wave ${w} began at ${iso(first)}, before wave ${prev.wave} ended at ${iso(prev.last)}`);
      // Only the last transition of Ready is visible afterwards: a note, not a verdict (Ready may have flapped).
      if (prev.healthy && first < prev.healthy) notes.push(`wave ${w} began at ${iso(first)}; the last Ready transition of wave ${prev.wave}'s InferenceServices is ${iso(prev.healthy)}`);
    }
    if (last !== undefined) prev = { wave: w, last, healthy: healthy.length ? Math.max(...healthy) : 0 };
  }
  const unapplied = waves.filter((w) => w.missing > 0).map((w) => `wave ${w.wave}: ${w.missing} of ${w.objects} not applied`);
  return { app, waves, honoured: problems.length === 0, detail: [...problems, ...unapplied].join('; ') || 'in order', notes };
}

function argocdVersion(bin: string): string {
  try {
    return execFileSync(bin, ['version', '--client', '--short'], { encoding: 'utf8', env: { ...process.env, ARGOCD_BINARY_NAME: 'argocd' } }).trim();
  } catch {
    return 'unknown';
  }
}

interface DeliverOptions {
  readonly root: string;
  readonly env: string;
  readonly bin: Record<string, string>;
  readonly log: (l: string) => void;
  readonly settleMs: number;
  readonly resyncSeconds: number;
  readonly report: (r: ArgoCdReport) => void;
}

/** runCluster's `deliver`: commit, start Argo CD, bootstrap as the README says, wait for the Applications to settle. */
function deliverWithArgoCd(o: DeliverOptions) {
  return async ({ cp, dir, procs, manifests }: { cp: ControlPlane; dir: string; procs: Processes; manifests: readonly Manifest[] }): Promise<ApplyResult> => {
    const { env, log } = o;
    const t0 = Date.now();
    const repo = new GitRepo(join(dir, 'git'));
    const rewrites: Rewrite[] = [];
    // The README's bootstrap: `kubectl apply -n argocd -f generated/_bootstrap/` (files in name order), whose
    // Applications sync generated/_argocd/ (once per Argo CD) and generated/<env>/_argocd/.
    const bootstrapFiles = readManifests(join(o.root, 'generated', '_bootstrap'));
    const sharedFiles = readManifests(join(o.root, 'generated', '_argocd'));
    if (bootstrapFiles.length === 0) throw new Error(`generated/_bootstrap/ of ${o.root} is empty or missing: nothing to bootstrap Argo CD from`);
    // One rewrite over all three folders, so the bootstrap project may read the same (rewritten) repository.
    const all = rewriteForSuite([...manifests, ...sharedFiles, ...bootstrapFiles], repo.url, rewrites);
    const inRepo = all.slice(0, manifests.length);
    const shared = all.slice(manifests.length, manifests.length + sharedFiles.length);
    const bootstrap = all.slice(manifests.length + sharedFiles.length);
    const revision = repo.commit([...asFiles(`generated/${env}`, inRepo), ...asFiles('generated/_argocd', shared), ...asFiles('generated/_bootstrap', bootstrap)], `generated/${env}, generated/_argocd, generated/_bootstrap`);
    log(`argocd: committed generated/${env}/ (${inRepo.length} objects), generated/_argocd/ (${shared.length}), generated/_bootstrap/ (${bootstrap.length}) to ${repo.url} at ${revision.slice(0, 12)}`);

    // argocd-cm: the scenario installs one (as an installation has) and merges in the data keys of the
    // generated generated/_argocd/configmap-argocd-cm.yaml, so the controller reads the generated health
    // customizations from its start; modelplane-argocd then syncs the same keys over it.
    const shipped = shared.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.name === 'argocd-cm');
    const config = ((shipped?.object as any)?.data ?? {}) as Record<string, string>;
    const healthCustomizations = Object.keys(config).filter((k) => k.startsWith('resource.customizations'));
    // No `default` project: the README says nothing depends on it (only argocd-server creates it).
    const argo = await startArgoCd({ dir, cp, bin: o.bin, procs, repositories: [repo.url], config, defaultProject: false, resyncSeconds: o.resyncSeconds, log });
    const tStarted = Date.now();

    const bySuite = new Set<string>();
    for (const m of bootstrap) {
      const object = structuredClone(m.object);
      object.metadata.namespace ??= ARGOCD_NAMESPACE; // kubectl apply -n argocd
      await cp.kube.apply(object);
      log(`argocd: applied generated/_bootstrap/${m.file} (${object.kind} ${object.metadata.name})`);
    }
    const roots = bootstrap.filter((m) => m.object.kind === 'Application');
    const forEnv = (m: Manifest) => {
      const l = m.object.metadata.labels ?? {};
      return l['modelplane.io/component'] !== 'root' || l['modelplane.io/environment'] === env;
    };
    const mine = roots.filter(forEnv).map((m) => m.object.metadata.name);
    const otherEnvironments = roots.filter((m) => !forEnv(m)).map((m) => m.object.metadata.name);
    const firstSaid = new Map<string, any>();
    await Promise.all(mine.map(async (n) => firstSaid.set(n, await firstWords(argo, n, procs))));
    const bootstrapApps: ArgoCdReport['bootstrap']['applications'] = [];
    for (const n of mine) {
      const first = firstSaid.get(n);
      const controllerSaid = first ? describe(stateOf(first)) : `no status on ${n} within 90 s`;
      log(`argocd: ${controllerSaid}`);
      const synced = await argo.waitForApp(n, { sync: 'Synced' }, 180_000, procs).then(
        () => Date.now(),
        (e) => (log(`argocd: ${(e as Error).message}`), undefined),
      );
      bootstrapApps.push({ name: n, startedSync: !!first?.status?.operationState, controllerSaid, secondsToSynced: synced && round((synced - tStarted) / 1000) });
    }
    const tBootstrap = Date.now();

    // Wait for every Application of the environment (and the shared one) to be Synced and Healthy (or the deadline).
    const expected = [...mine, ...inRepo.filter((m) => m.object.kind === 'Application').map((m) => m.object.metadata.name)];
    const deadline = Date.now() + o.settleMs;
    let states: AppState[] = [];
    let raw: any[] = [];
    let line = '';
    for (;;) {
      procs.assertRunning();
      raw = await argo.apps();
      states = expected.map((n) => raw.find((a) => a.metadata.name === n)).map((a, i) => (a ? stateOf(a) : missingApp(expected[i])));
      const synced = states.filter((s) => s.sync === 'Synced').length;
      const healthy = states.filter((s) => healthyButAnalysing(s, states)).length;
      const running = states.filter((s) => s.operation?.phase === 'Running').length;
      const now = `argocd: Applications ${states.length - states.filter((s) => s.sync === 'absent').length}/${expected.length} present, Synced ${synced}, Healthy (or analysing) ${healthy}, syncing ${running}`;
      if (now !== line) log(now);
      line = now;
      if ((synced === expected.length && healthy === expected.length && running === 0) || Date.now() > deadline) break;
      await sleep(3000);
    }
    for (const s of states.filter((x) => x.sync !== 'Synced' || !healthyButAnalysing(x, states))) log(`argocd: ${describe(s)}`);
    const others = otherEnvironments.map((n) => raw.find((a) => a.metadata.name === n)).map((a, i) => (a ? describe(stateOf(a)) : `${otherEnvironments[i]}: absent`));
    // The health Argo CD gave the kinds the generated argocd-cm customizes (its messages show whose check ran).
    const customized = new Set(healthCustomizations.filter((k) => k.startsWith('resource.customizations.health.')).map((k) => k.slice('resource.customizations.health.'.length)));
    const healthSeen: string[] = [];
    for (const a of raw)
      for (const r of a.status?.resources ?? [])
        if (customized.has(`${r.group ? `${r.group}_` : ''}${r.kind}`)) healthSeen.push(`${a.metadata.name}: ${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${r.health?.status ?? 'no health'}${r.health?.message ? ` (${r.health.message})` : ''}`);

    // What Argo CD applied: each object of the repository that exists; failures as Argo CD quoted them.
    const applied: Manifest[] = [];
    const notApplied: ArgoCdReport['notApplied'] = [];
    const appOfPath = new Map<string, string>();
    for (const m of [...inRepo, ...bootstrap].filter((x) => x.object.kind === 'Application')) {
      const path = String((m.object.spec as any)?.source?.path ?? '');
      if (path.startsWith(`generated/${env}/`)) appOfPath.set(path.slice(`generated/${env}/`.length), m.object.metadata.name);
    }
    for (const m of manifests) {
      const inGit = inRepo[manifests.indexOf(m)];
      if (await live(cp, inGit.object)) applied.push(m);
      else notApplied.push({ kind: m.object.kind, namespace: m.object.metadata.namespace, name: m.object.metadata.name, file: m.file, app: appOfPath.get(rel(m.file)) });
    }
    const sharedApp = bootstrap.find((m) => m.object.kind === 'Application' && (m.object.spec as any)?.source?.path === 'generated/_argocd')?.object.metadata.name;
    for (const m of shared) if (!(await live(cp, m.object))) notApplied.push({ kind: m.object.kind, namespace: m.object.metadata.namespace, name: m.object.metadata.name, file: `../_argocd/${m.file}`, app: sharedApp });
    const rejected: Rejection[] = [];
    for (const s of states)
      for (const f of s.syncFailures) {
        const m = manifests.find((x) => key({ kind: x.object.kind, namespace: x.object.metadata.namespace, name: x.object.metadata.name }) === key(f));
        rejected.push({ kind: f.kind, namespace: f.namespace, name: f.name, file: m?.file ?? `(Application ${s.name})`, message: `Argo CD (${s.name}): ${f.message ?? f.status}` });
      }
    const waves: WaveCheck[] = [];
    for (const [path, app] of appOfPath) waves.push(await checkWaves(cp, app, inRepo.filter((m) => rel(m.file) === path), bySuite));

    o.report({
      env,
      argocdVersion: argocdVersion(o.bin.argocd),
      repoURL: repo.url,
      revision,
      healthCustomizations,
      healthSeen,
      bootstrap: {
        asReadme: bootstrapApps.length > 0 && bootstrapApps.every((b) => b.startedSync),
        command: 'kubectl apply -n argocd -f generated/_bootstrap/',
        files: bootstrapFiles.map((m) => `generated/_bootstrap/${m.file}`),
        applications: bootstrapApps,
        otherEnvironments: others,
      },
      apps: states,
      waves,
      notApplied,
      rewrites,
      seconds: { argocdStart: round((tStarted - t0) / 1000), bootstrap: round((tBootstrap - tStarted) / 1000), settle: round((Date.now() - tBootstrap) / 1000) },
    });
    return { applied, rejected };
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

const missingApp = (name: string): AppState => ({ name, project: '', sync: 'absent', health: 'absent', conditions: [], problems: [], syncFailures: [] });

/** The root Application once the controller has said something about it: an operation started, or a condition. */
async function firstWords(argo: ArgoCd, name: string, procs: Processes): Promise<any | undefined> {
  const deadline = Date.now() + 90_000;
  let app: any;
  while (Date.now() < deadline) {
    procs.assertRunning();
    app = await argo.app(name);
    if (app?.status?.operationState || app?.status?.conditions?.length) return app;
    await sleep(1000);
  }
  return app?.status ? app : undefined;
}

/**
 * Healthy, or Progressing only because a canary step's AnalysisRun is still running (Argo CD's built-in
 * AnalysisRun health: Progressing until it finishes, which is a whole step) or because such an Application
 * is one of its resources.
 */
export function healthyButAnalysing(s: AppState, all: readonly AppState[], seen: ReadonlySet<string> = new Set()): boolean {
  if (s.health === 'Healthy') return true;
  if (s.health !== 'Progressing' || s.sync !== 'Synced' || seen.has(s.name)) return false;
  const unhealthy = s.problems.filter((p) => p.health !== 'Healthy' || p.status !== 'Synced');
  return (
    unhealthy.length > 0 &&
    unhealthy.every((p) => {
      if (p.kind === 'AnalysisRun') return p.status === 'Synced' && p.health === 'Progressing';
      const child = p.kind === 'Application' ? all.find((x) => x.name === p.name) : undefined;
      return !!child && p.status === 'Synced' && healthyButAnalysing(child, all, new Set([...seen, s.name]));
    })
  );
}

export function argocdChecks(a: ArgoCdReport): Check[] {
  const analysing = a.apps.filter((s) => s.health !== 'Healthy' && healthyButAnalysing(s, a.apps));
  const bad = a.apps.filter((s) => s.sync !== 'Synced' || !healthyButAnalysing(s, a.apps));
  const problems = a.apps.flatMap((s) => s.problems.filter((p) => p.status === 'OutOfSync' || p.health === 'Degraded').map((p) => `${s.name}: ${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name} ${p.status}/${p.health ?? '-'}${p.message ? `: ${p.message}` : ''}`));
  return [
    { name: `bootstrap with \`${a.bootstrap.command}\` alone, as the README says`, ok: a.bootstrap.asReadme, detail: a.bootstrap.asReadme ? undefined : a.bootstrap.applications.filter((b) => !b.startedSync).map((b) => `Argo CD: ${b.controllerSaid}`).join(' | ') || 'no bootstrap Application' },
    { name: 'every Application Synced', ok: a.apps.length > 0 && a.apps.every((s) => s.sync === 'Synced'), detail: `${a.apps.filter((s) => s.sync === 'Synced').length}/${a.apps.length}` },
    {
      name: "every Application Healthy (or Progressing only on a canary step's running AnalysisRun)",
      ok: a.apps.length > 0 && a.apps.every((s) => healthyButAnalysing(s, a.apps)),
      detail: `${a.apps.filter((s) => s.health === 'Healthy').length}/${a.apps.length} Healthy${analysing.length ? `, ${analysing.map((s) => s.name).join(', ')} Progressing on a running AnalysisRun` : ''}${bad.length ? `; ${bad.slice(0, 3).map((s) => describe(s)).join(' | ')}` : ''}`,
    },
    { name: 'sync waves in order (creation times) and every wave applied', ok: a.waves.every((w) => w.honoured) && a.notApplied.length === 0, detail: a.waves.filter((w) => w.detail !== 'in order').map((w) => `${w.app}: ${w.detail}`).slice(0, 4).join(' | ') || undefined },
    { name: 'no Degraded or OutOfSync resource', ok: problems.length === 0, detail: problems.slice(0, 4).join(' | ') || undefined },
  ];
}

export function argocdText(a: ArgoCdReport): string {
  const out: string[] = [`== Argo CD: ${a.env} (${a.argocdVersion}) from ${a.repoURL} at ${a.revision.slice(0, 12)} ==`];
  out.push(`bootstrap: ${a.bootstrap.command} (${a.bootstrap.files.join(', ')})`);
  for (const b of a.bootstrap.applications) out.push(`  ${b.name}: ${b.startedSync ? 'started a sync' : 'did not start a sync'}${b.secondsToSynced !== undefined ? `, Synced ${b.secondsToSynced} s after Argo CD started` : ''}; Argo CD: ${b.controllerSaid}`);
  for (const x of a.bootstrap.otherEnvironments) out.push(`  other environment (not committed): ${x}`);
  out.push(`health customizations shipped in argocd-cm: ${a.healthCustomizations.length ? a.healthCustomizations.join(', ') : 'none (Argo CD built-in checks only)'}`);
  if (a.healthSeen.length) out.push(`health of the customized kinds: ${a.healthSeen.slice(0, 8).join(' | ')}${a.healthSeen.length > 8 ? ` (+${a.healthSeen.length - 8})` : ''}`);
  out.push('');
  for (const s of a.apps) {
    out.push(`  ${s.name.padEnd(36)} ${s.sync.padEnd(10)} ${s.health.padEnd(12)} ${s.revision?.slice(0, 12) ?? ''}`);
    if (s.operation && (s.operation.phase !== 'Succeeded' || s.sync !== 'Synced')) out.push(`      operation ${s.operation.phase}: ${s.operation.message ?? ''}`);
    for (const c of s.conditions) out.push(`      ${c.type}: ${c.message}`);
    for (const p of s.problems) out.push(`      ${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}: ${p.status}, ${p.health ?? 'no health'}${p.message ? ` (${p.message})` : ''}`);
    for (const f of s.syncFailures) out.push(`      sync failed: ${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}: ${f.message ?? f.status}`);
  }
  out.push('\nsync waves (objects created per wave):');
  for (const w of a.waves) out.push(`  ${w.app}: ${w.waves.map((x) => `${x.wave}: ${x.objects - x.missing}/${x.objects}${x.firstCreated ? ` ${x.firstCreated.slice(11, 19)}..${x.lastCreated!.slice(11, 19)}` : ''}${x.lastHealthy ? ` Ready ${x.lastHealthy.slice(11, 19)}` : ''}`).join(', ')} -> ${w.detail}${w.notes.length ? ` (note: ${w.notes.join('; ')})` : ''}`);
  if (a.rewrites.length) out.push(`\nrewritten for the suite in ${a.rewrites.length} fields: ${[...new Set(a.rewrites.map((r) => `${r.field}: ${r.from} -> ${r.to}`))].slice(0, 6).join('; ')}`);
  out.push(`seconds: Argo CD start ${a.seconds.argocdStart}, bootstrap ${a.seconds.bootstrap}, settle ${a.seconds.settle}`);
  return out.join('\n');
}

export interface ArgoCdScenarioOptions {
  readonly root: string;
  readonly env: string;
  readonly json: boolean;
  readonly settleMs?: number;
  readonly log: (l: string) => void;
}

export async function runArgoCdScenario(o: ArgoCdScenarioOptions, built: BuildResult): Promise<number> {
  const platform = await readPlatform(o.root);
  let report: ArgoCdReport | undefined;
  const result: RunResult = await runCluster({
    root: o.root,
    env: o.env,
    platform,
    bin: built.bin,
    analysis: true,
    faultyCopy: false,
    readyTimeoutMs: 120_000,
    log: o.log,
    deliver: deliverWithArgoCd({ root: o.root, env: o.env, bin: built.bin, log: o.log, settleMs: o.settleMs ?? 420_000, resyncSeconds: 10, report: (r) => (report = r) }),
  });
  if (!report) throw new Error('Argo CD delivered nothing (no report)');
  // The analysis checks only when Argo CD applied an AnalysisRun (a wave it never reached is reported by argocdChecks).
  const checks = [...argocdChecks(report), ...verifyChecks(result, result.analysis.length > 0)];
  const cluster = toJson(result, checks, built.seconds);
  if (o.json) console.log(JSON.stringify({ argocd: report, cluster }, null, 2));
  else console.log(`${argocdText(report)}\n\n${toText({ ...cluster, env: `${o.env} (delivered by Argo CD)` })}`);
  return cluster.ok ? 0 : 1;
}
