// Argo CD's application controller and repo server (one argo-cd binary, dispatched by
// ARGOCD_BINARY_NAME) and Redis from Debian, on 127.0.0.1, pointed at the suite's kube-apiserver
// and at a Git repository on this machine (file:// URL).
//
// Outside a cluster there is no argocd-server, so what it would create at start can be created here:
// the `default` AppProject (optional: modelplane's bootstrap must not need it). The rest is what an installation has: argocd-cm, argocd-secret,
// argocd-rbac-cm, the repository Secret and the CRDs of the pinned argo-cd module.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { moduleDir } from './build.js';
import type { ControlPlane } from './controlplane.js';
import type { Kube, KubeObject } from './kube.js';
import { freePort, waitFor, type Processes } from './proc.js';

export const ARGOCD_NAMESPACE = 'argocd';
const APP = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;
const MODULE = 'github.com/argoproj/argo-cd/v3';

export interface ArgoCdOptions {
  readonly dir: string;
  readonly cp: ControlPlane;
  readonly bin: Record<string, string>;
  readonly procs: Processes;
  /** URLs of the Git repositories Argo CD may read (one repository Secret each). */
  readonly repositories: readonly string[];
  /** The repositories serve HTTPS with a self-signed certificate (the repository Secret's `insecure: "true"`). */
  readonly insecureRepositories?: boolean;
  /** Extra argocd-cm data (health customizations and other settings). */
  readonly config?: Readonly<Record<string, string>>;
  /** Create the `default` AppProject as argocd-server would (default true); false checks that nothing needs it. */
  readonly defaultProject?: boolean;
  /** --app-resync seconds (jitter 0); Argo CD's default is 120 s plus up to 60 s jitter. */
  readonly resyncSeconds?: number;
  readonly log: (line: string) => void;
}

export interface WantedState {
  readonly sync?: 'Synced' | 'OutOfSync' | 'Unknown';
  readonly health?: 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
}

/** An Application's state in Argo CD's own words. */
export interface AppState {
  readonly name: string;
  readonly project: string;
  readonly sync: string;
  readonly health: string;
  readonly healthMessage?: string;
  readonly revision?: string;
  readonly operation?: { readonly phase: string; readonly message?: string };
  readonly conditions: readonly { readonly type: string; readonly message: string }[];
  /** Resources that are not Synced or not Healthy, with Argo CD's message. */
  readonly problems: readonly ResourceProblem[];
  /** Resources the last sync reported as failed, with the message it quoted. */
  readonly syncFailures: readonly ResourceProblem[];
}

export interface ResourceProblem {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly status: string;
  readonly health?: string;
  readonly message?: string;
}

export function stateOf(app: any): AppState {
  const status = app?.status ?? {};
  const op = status.operationState;
  return {
    name: app?.metadata?.name,
    project: app?.spec?.project,
    sync: status.sync?.status ?? 'no status',
    health: status.health?.status ?? 'no status',
    healthMessage: status.health?.message || undefined,
    revision: status.sync?.revision,
    operation: op ? { phase: op.phase, message: op.message || undefined } : undefined,
    conditions: (status.conditions ?? []).map((c: any) => ({ type: c.type, message: c.message })),
    problems: (status.resources ?? [])
      .filter((r: any) => r.status !== 'Synced' || (r.health && r.health.status !== 'Healthy'))
      .map((r: any) => ({ kind: r.kind, namespace: r.namespace || undefined, name: r.name, status: r.status, health: r.health?.status, message: r.health?.message || undefined })),
    syncFailures: (op?.syncResult?.resources ?? [])
      .filter((r: any) => r.status === 'SyncFailed' || r.hookPhase === 'Failed')
      .map((r: any) => ({ kind: r.kind, namespace: r.namespace || undefined, name: r.name, status: r.status, message: r.message || undefined })),
  };
}

export function describe(s: AppState): string {
  const parts = [`${s.name}: sync ${s.sync}, health ${s.health}${s.healthMessage ? ` (${s.healthMessage})` : ''}`];
  if (s.operation) parts.push(`operation ${s.operation.phase}${s.operation.message ? `: ${s.operation.message}` : ''}`);
  for (const c of s.conditions) parts.push(`${c.type}: ${c.message}`);
  return parts.join('; ');
}

export class ArgoCd {
  constructor(
    readonly kube: Kube,
    readonly namespace = ARGOCD_NAMESPACE,
  ) {}

  async app(name: string): Promise<any | undefined> {
    return this.kube.get(APP.apiVersion, APP.kind, this.namespace, name);
  }

  async apps(): Promise<any[]> {
    return this.kube.list(APP.apiVersion, APP.kind, this.namespace);
  }

  /**
   * Waits until the Application reports the wanted sync and health status (and no sync is
   * running); on timeout the error quotes Argo CD's status of the Application.
   */
  async waitForApp(name: string, want: WantedState, timeoutMs = 300_000, procs?: Processes): Promise<any> {
    let last: any;
    try {
      return await waitFor(
        `Application ${name} to be ${[want.sync, want.health].filter(Boolean).join(' and ')}`,
        async () => {
          last = await this.app(name);
          const s = last?.status;
          if (!s) return undefined;
          if (want.sync && s.sync?.status !== want.sync) return undefined;
          if (want.health && s.health?.status !== want.health) return undefined;
          if (s.operationState?.phase === 'Running') return undefined;
          return last;
        },
        timeoutMs,
        procs,
        1000,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}; Argo CD says: ${last ? describe(stateOf(last)) : `no Application ${name}`}`);
    }
  }

  /** Asks the controller to refresh the Application now (the annotation it removes once done). */
  async refresh(name: string, type: 'normal' | 'hard' = 'normal'): Promise<void> {
    const path = await this.kube.path(APP.apiVersion, APP.kind, this.namespace, name);
    await this.kube.ok('PATCH', path, { metadata: { annotations: { 'argocd.argoproj.io/refresh': type } } }, 'application/merge-patch+json');
  }

  /** The Git revision the Application is compared with (status.sync.revision). */
  async currentRevision(name: string): Promise<string | undefined> {
    return (await this.app(name))?.status?.sync?.revision;
  }
}

/** The CRDs of the pinned argo-cd module (the controller's own version of the schema). */
export function argocdCrds(): KubeObject[] {
  const dir = join(moduleDir('argocd', MODULE), 'manifests', 'crds');
  return ['application-crd.yaml', 'appproject-crd.yaml'].flatMap((f) =>
    parseAllDocuments(readFileSync(join(dir, f), 'utf8'))
      .map((d) => d.toJS() as KubeObject | null)
      .filter((o): o is KubeObject => !!o?.kind),
  );
}

/** The built-in `default` project, as argocd-server creates it at start. */
export const defaultProject = (namespace = ARGOCD_NAMESPACE): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name: 'default', namespace },
  spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] },
});

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Installs the settings Argo CD reads and starts redis-server, the repo server and the application controller. */
export async function startArgoCd(o: ArgoCdOptions): Promise<ArgoCd> {
  const { cp, procs, dir, log } = o;
  const kube = cp.kube;
  const ns = ARGOCD_NAMESPACE;
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const crd of argocdCrds()) {
    delete (crd as Record<string, unknown>).status;
    await kube.apply(crd);
  }
  kube.forget('argoproj.io/v1alpha1');
  await waitFor(
    'the Application and AppProject CRDs to be Established',
    async () => {
      const crds = await kube.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
      const ok = (n: string) => crds.some((c: any) => c.metadata.name === n && c.status?.conditions?.some((x: any) => x.type === 'Established' && x.status === 'True'));
      return ok('applications.argoproj.io') && ok('appprojects.argoproj.io') ? true : undefined;
    },
    60_000,
  );
  const labels = { 'app.kubernetes.io/part-of': 'argocd' };
  await kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: ns, labels: { ...labels, 'app.kubernetes.io/name': 'argocd-cm' } }, data: { ...o.config } });
  await kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm', namespace: ns, labels: { ...labels, 'app.kubernetes.io/name': 'argocd-rbac-cm' } }, data: {} });
  await kube.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'argocd-secret', namespace: ns, labels: { ...labels, 'app.kubernetes.io/name': 'argocd-secret' } },
    type: 'Opaque',
    data: { 'server.secretkey': b64(randomBytes(32).toString('hex')) },
  });
  for (const [i, url] of o.repositories.entries()) {
    await kube.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `repo-suite-${i}`, namespace: ns, labels: { 'argocd.argoproj.io/secret-type': 'repository' } },
      type: 'Opaque',
      data: { type: b64('git'), url: b64(url), ...(o.insecureRepositories ? { insecure: b64('true') } : {}) },
    });
  }
  if (o.defaultProject ?? true) await kube.apply(defaultProject(ns));

  const home = join(dir, 'argocd');
  const paths = { tls: join(home, 'tls'), ssh: join(home, 'ssh'), gpgHome: join(home, 'gpg', 'keys'), gpgData: join(home, 'gpg', 'source'), tmp: join(home, 'tmp') };
  for (const p of Object.values(paths)) mkdirSync(p, { recursive: true, mode: 0o700 });
  const common = {
    HOME: home,
    TMPDIR: paths.tmp,
    TZ: 'UTC',
    ARGOCD_TLS_DATA_PATH: paths.tls,
    ARGOCD_SSH_DATA_PATH: paths.ssh,
    GIT_CONFIG_NOSYSTEM: '1',
  };

  const redisPort = await freePort();
  procs.start('redis', 'redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', home, '--protected-mode', 'no'], { cwd: home });
  await waitFor('redis-server', async () => ((await tcpOpen(redisPort)) ? true : undefined), 30_000, procs, 200);
  const redis = `127.0.0.1:${redisPort}`;

  const repoPort = await freePort();
  procs.start(
    'argocd-repo-server',
    o.bin.argocd,
    ['--address', '127.0.0.1', '--port', String(repoPort), '--metrics-address', '127.0.0.1', '--metrics-port', String(await freePort()), '--redis', redis, '--disable-tls', '--loglevel', 'info', '--logformat', 'text'],
    { cwd: home, env: { ...common, ARGOCD_BINARY_NAME: 'argocd-repo-server', ARGOCD_GPG_ENABLED: 'false', ARGOCD_GNUPGHOME: paths.gpgHome, ARGOCD_GPG_DATA_PATH: paths.gpgData } },
  );
  await waitFor('the Argo CD repo server', async () => ((await tcpOpen(repoPort)) ? true : undefined), 120_000, procs, 500);

  const resync = o.resyncSeconds ?? 10;
  const metricsPort = await freePort();
  procs.start(
    'argocd-application-controller',
    o.bin.argocd,
    [
      `--kubeconfig=${cp.kubeconfig}`,
      `--namespace=${ns}`,
      `--redis=${redis}`,
      `--repo-server=127.0.0.1:${repoPort}`,
      '--repo-server-plaintext',
      `--app-resync=${resync}`,
      '--app-resync-jitter=0',
      `--metrics-port=${metricsPort}`,
      // Keep each resource's health in the Application's status (v3 keeps it only in Redis by default).
      '--persist-resource-health',
      '--loglevel=info',
      '--logformat=text',
    ],
    { cwd: home, env: { ...common, ARGOCD_BINARY_NAME: 'argocd-application-controller', ARGOCD_FAKE_IN_CLUSTER: 'true', KUBECONFIG: cp.kubeconfig } },
  );
  await waitFor('the Argo CD application controller', async () => ((await tcpOpen(metricsPort)) ? true : undefined), 120_000, procs, 500);
  log(`argocd: redis ${redis}, repo server 127.0.0.1:${repoPort}, application controller (metrics :${metricsPort}), resync ${resync} s`);
  return new ArgoCd(kube, ns);
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** A bare Git repository on this machine (branch `branch`) and a work tree that commits to it. */
export class GitRepo {
  readonly bare: string;
  readonly work: string;
  readonly url: string;

  constructor(
    dir: string,
    readonly branch = 'main',
  ) {
    this.bare = join(dir, 'platform.git');
    this.work = join(dir, 'work');
    this.url = `file://${this.bare}`;
    mkdirSync(this.work, { recursive: true });
    this.git(dir, 'init', '--quiet', '--bare', `--initial-branch=${branch}`, this.bare);
    this.git(this.work, 'init', '--quiet', `--initial-branch=${branch}`);
    this.git(this.work, 'remote', 'add', 'origin', this.bare);
  }

  /** Writes the files (paths relative to the repository), commits them, pushes; returns the commit. */
  commit(files: readonly { path: string; content: string }[], message: string): string {
    for (const f of files) {
      const p = join(this.work, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.content);
    }
    this.git(this.work, 'add', '--all');
    this.git(this.work, 'commit', '--quiet', '-m', message);
    this.git(this.work, 'push', '--quiet', 'origin', `HEAD:${this.branch}`);
    return this.git(this.work, 'rev-parse', 'HEAD').trim();
  }

  private git(cwd: string, ...args: string[]): string {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'modelplane cluster suite',
        GIT_AUTHOR_EMAIL: 'suite@modelplane.invalid',
        GIT_COMMITTER_NAME: 'modelplane cluster suite',
        GIT_COMMITTER_EMAIL: 'suite@modelplane.invalid',
      },
    });
  }
}
