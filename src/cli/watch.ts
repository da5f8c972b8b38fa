import type { KubeConfig } from '@kubernetes/client-node';
import { currentBranch, git, isRepository } from '../git/git.js';
import { names } from '../resolve/index.js';
import { parseAnalysisRuns, type AnalysisRunStatus, type Delivery } from '../rollout/index.js';
import { compile } from './compile.js';
import { loadKubeConfig } from './kube.js';
import { ExitCode, UserFacingError, type Output } from './output.js';
import { promoteCommand } from './promote.js';

export interface WatchOptions {
  readonly root: string;
  readonly env: string;
  readonly model?: string;
  readonly delivery: Delivery;
  /** `git pull --ff-only` before each decision, so the checkout sees merged changes. */
  readonly pull?: boolean;
  /** Stops the watch (SIGTERM in the CLI). */
  readonly signal: AbortSignal;
  /** Kubeconfig of Argo CD's cluster, for the refresh after a pushed rollback. */
  readonly refreshKubeconfig?: string;
  /** @default loadKubeConfig() */
  readonly kubeConfig?: KubeConfig;
}

const FINISHED = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);
const MAX_BACKOFF_MS = 30_000;

/**
 * `modelplane promote --watch --env E`: one promote pass at start, then a
 * watch of the AnalysisRuns in the namespaces of E's canaries; the moment the
 * run of a current step finishes, the same decision as the scheduled promote
 * (src/rollout/decide.ts) is made and delivered for that model. Deliveries are
 * idempotent (deterministic branches), so the scheduled job can run alongside.
 * A watch that ends or fails is re-opened after a pass over the listed runs
 * (what finished meanwhile is not missed), with a backoff of 1 s doubling to 30 s.
 * Ends with exit 0 when `signal` aborts.
 */
export async function watchCommand(o: WatchOptions, output: Output): Promise<number> {
  const config = o.kubeConfig ?? (await loadKubeConfig());
  const k8s = await import('@kubernetes/client-node');
  const api = config.makeApiClient(k8s.CustomObjectsApi);
  let queue: Promise<unknown> = Promise.resolve();
  const handled = new Set<string>();
  /** Runs one decision at a time, in order of arrival. */
  const enqueue = (task: () => Promise<void>) =>
    (queue = queue.then(task).catch((error: unknown) => output.err(`promote --watch: ${(error as Error).message}; the next event or the scheduled promote tries again`)));

  const refresh = async () => {
    if (o.pull && (await isRepository(o.root))) await git(o.root, ['pull', '--ff-only', '--quiet']).catch((error: Error) => output.err(`promote --watch: git pull failed: ${error.message}`));
  };
  const current = async () => {
    const compiled = await compile(o.root, { render: false });
    const env = compiled.platform?.environments.find((e) => e.name === o.env);
    if (!env) throw new UserFacingError(compiled.platform ? `environment '${o.env}' does not exist` : 'the definitions have errors; fix them before promoting', ExitCode.failed);
    return env.models.filter((m) => (!o.model || m.id === o.model) && m.canary);
  };
  const decideFor = async (model: string | undefined, statuses: ReadonlyMap<string, AnalysisRunStatus>) => {
    await refresh();
    await promoteCommand({ root: o.root, env: o.env, model, delivery, statuses, refreshKubeconfig: o.refreshKubeconfig }, output);
  };
  /** The runs of each namespace and the list's resourceVersion, which the watch starts from (nothing between the two is missed). */
  const listAll = async (namespaces: readonly string[]) => {
    const items: unknown[] = [];
    const versions = new Map<string, string | undefined>();
    for (const namespace of namespaces) {
      const list = (await api.listNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', namespace, plural: 'analysisruns' })) as { items?: unknown[]; metadata?: { resourceVersion?: string } };
      items.push(...(list.items ?? []));
      versions.set(namespace, list.metadata?.resourceVersion);
    }
    return { statuses: new Map(parseAnalysisRuns({ items }).map((r) => [r.name, r])), versions };
  };

  // Local commits (--no-pr) of every decision start from the branch the watch started on.
  const delivery: Delivery = { ...o.delivery, from: o.delivery.from ?? (await currentBranch(o.root)) };
  let backoff = 1000;
  while (!o.signal.aborted) {
    let namespaces: string[];
    let versions: ReadonlyMap<string, string | undefined>;
    try {
      await refresh();
      namespaces = [...new Set((await current()).map((m) => m.namespace))].sort();
      const listed = await listAll(namespaces);
      versions = listed.versions;
      await enqueue(() => decideFor(o.model, listed.statuses));
      backoff = 1000;
    } catch (error) {
      if (error instanceof UserFacingError && error.exitCode === ExitCode.failed) throw error;
      output.err(`promote --watch: cannot list AnalysisRuns: ${(error as Error).message}; retrying in ${backoff / 1000} s`);
      await sleep(backoff, o.signal);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      continue;
    }
    output.out(`promote --watch: watching AnalysisRuns in ${namespaces.join(', ') || '(no namespace: no canary in flight)'} for ${o.env}`);
    const ended = await watchNamespaces(config, versions, o.signal, (type, object) => {
      if (type !== 'ADDED' && type !== 'MODIFIED') return;
      const [run] = parseAnalysisRuns(object);
      if (!run || !FINISHED.has(run.phase) || handled.has(`${run.name}/${run.phase}`)) return;
      handled.add(`${run.name}/${run.phase}`);
      output.out(`promote --watch: AnalysisRun ${run.name} ${run.phase}`);
      void enqueue(async () => {
        // The run may be of a step merged since the last pull (an auto-merged promotion): pull first.
        await refresh();
        const models = await current();
        const model = models.find((m) => names.analysisRunName(m.id, m.canary!.version, m.canary!.step) === run.name);
        if (!model) return output.out(`promote --watch: ${run.name} is not the run of a current canary step in ${o.env}; nothing to do`);
        await decideFor(model.id, new Map([[run.name, run]]));
      });
    });
    if (o.signal.aborted) break;
    output.err(`promote --watch: the watch ended${ended ? ` (${ended})` : ''}; reconnecting in ${backoff / 1000} s`);
    await sleep(backoff, o.signal);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
  await queue;
  output.out('promote --watch: stopped');
  return ExitCode.ok;
}

/**
 * Watches every namespace (from the resourceVersion of its list) until one watch ends, the API server
 * sends an ERROR event (e.g. 410 Gone: the version expired), or `signal` aborts; resolves with the reason.
 */
async function watchNamespaces(
  config: KubeConfig,
  versions: ReadonlyMap<string, string | undefined>,
  signal: AbortSignal,
  onEvent: (type: string, object: unknown) => void,
): Promise<string | undefined> {
  const k8s = await import('@kubernetes/client-node');
  const watch = new k8s.Watch(config);
  const controllers: AbortController[] = [];
  const namespaces = [...versions.keys()];
  const result = await new Promise<string | undefined>((resolve) => {
    if (namespaces.length === 0) {
      // Nothing to watch: wait for a stop, re-checking the definitions now and then.
      const timer = setTimeout(() => resolve(undefined), MAX_BACKOFF_MS);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)), { once: true });
      return;
    }
    signal.addEventListener('abort', () => resolve(undefined), { once: true });
    for (const namespace of namespaces) {
      const resourceVersion = versions.get(namespace);
      const handle = (type: string, object: unknown) => {
        if (type !== 'ERROR') return onEvent(type, object);
        const status = object as { code?: number; message?: string } | undefined;
        resolve(`${namespace}: the API server answered ${status?.code ?? 'an error'}: ${status?.message ?? JSON.stringify(object)}`);
      };
      watch
        .watch(`/apis/argoproj.io/v1alpha1/namespaces/${namespace}/analysisruns`, { allowWatchBookmarks: true, ...(resourceVersion ? { resourceVersion } : {}) }, handle, (error: unknown) =>
          resolve(error ? `${namespace}: ${(error as Error).message ?? String(error)}` : `${namespace}: closed by the server`),
        )
        .then((c) => controllers.push(c), (error: Error) => resolve(`${namespace}: ${error.message}`));
    }
  });
  for (const c of controllers) c.abort();
  return result;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
