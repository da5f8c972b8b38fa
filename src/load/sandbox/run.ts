import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));

/** How long one definition file may take to import and be read before it is abandoned. */
export const DEFAULT_IMPORT_TIMEOUT_MS = 30_000;

/** What the sandbox answers for one file (see child.mjs). */
export interface ChildResult {
  readonly value?: unknown;
  readonly shape?: string;
  readonly kind?: string;
  readonly site?: { readonly file: string; readonly line: number; readonly column: number };
  readonly problems?: readonly { readonly code: string; readonly path: readonly (string | number)[]; readonly message: string }[];
  readonly error?: { readonly message: string; readonly stack: string; readonly exit?: boolean };
}

/** Something a file did besides being imported: ended the process, threw later, hung. */
export interface SandboxEvent {
  readonly kind: 'exit' | 'uncaught' | 'crash' | 'timeout' | 'forged';
  /** Index of the file being loaded when it happened (-1: between files). */
  readonly index: number;
  readonly message: string;
  readonly stack: string;
  /** Set when the culprit is uncertain: the file at `index` loads fine on its own, and `previous` loaded before it in the process that ended. */
  readonly previous?: number;
}

export interface SandboxRun {
  /** One entry per bundle, in order; undefined when the file never answered. */
  readonly results: readonly (ChildResult | undefined)[];
  readonly events: readonly SandboxEvent[];
}

export interface SandboxOptions {
  /** Directories (absolute, real paths) the sandbox may read. */
  readonly readable: readonly string[];
  /** @default DEFAULT_IMPORT_TIMEOUT_MS, or MODELPLANE_IMPORT_TIMEOUT_MS from the environment */
  readonly timeoutMs?: number;
}

/**
 * The bundles to import, in order, as they become ready: the bundler pushes
 * each chunk it finishes, and the sandbox imports what is there while the rest
 * is bundled.
 */
export class BundleQueue {
  private readonly items: string[] = [];
  private closed = false;
  private readonly listeners = new Set<() => void>();

  static of(bundles: readonly string[]): BundleQueue {
    const queue = new BundleQueue();
    queue.push(bundles);
    queue.end();
    return queue;
  }

  /** Appends bundles (absolute paths) after those already pushed. */
  push(bundles: readonly string[]): void {
    if (this.closed) throw new Error('internal error: bundles pushed after the end');
    if (bundles.length === 0) return;
    this.items.push(...bundles);
    this.emit();
  }

  /** No more bundles will come. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit();
  }

  get length(): number {
    return this.items.length;
  }

  get ended(): boolean {
    return this.closed;
  }

  slice(start: number, end?: number): string[] {
    return this.items.slice(start, end);
  }

  /** Calls `listener` after every push and at the end; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when `index` exists or the queue has ended. */
  async waitFor(index: number): Promise<void> {
    while (index >= this.items.length && !this.closed) {
      await new Promise<void>((resolve) => {
        const off = this.subscribe(() => {
          off();
          resolve();
        });
      });
    }
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/**
 * Imports `bundles` (absolute paths of plain ES modules) one at a time, in
 * order, in one sandboxed child process: empty environment, Node permission
 * model (reads only under `readable`, no writes, no child processes, no
 * workers, no addons), frozen intrinsics. Each file is imported under a URL
 * with a random query, so no file can import the instance another file was
 * loaded as. A file that hangs is abandoned after the deadline; a process that
 * ends early is replaced and loading goes on with the next file. `bundles` may
 * still be growing (a {@link BundleQueue}): the child waits, without a
 * deadline, for the next bundle.
 */
export async function runSandbox(bundles: readonly string[] | BundleQueue, options: SandboxOptions): Promise<SandboxRun> {
  const queue = bundles instanceof BundleQueue ? bundles : BundleQueue.of(bundles);
  const timeoutMs = options.timeoutMs ?? timeoutFromEnvironment();
  const results: (ChildResult | undefined)[] = [];
  const events: SandboxEvent[] = [];
  let start = 0;
  /** Set after a process ended while a file that was not its first was loading: that file is retried first. */
  let retry: { index: number; previous: number; event: Omit<SandboxEvent, 'index' | 'previous'> } | undefined;
  for (;;) {
    await queue.waitFor(start);
    if (start >= queue.length) break;
    const outcome = await runChild(queue, start, options.readable, timeoutMs, results, events);
    if (retry && outcome.failedAt !== retry.index) {
      // The file that seemed to end the process loads on its own: an earlier one did it.
      events.push({ ...retry.event, index: retry.index, previous: retry.previous });
    }
    const wasRetry = retry?.index === outcome.failedAt;
    retry = undefined;
    if (outcome.failedAt === undefined) break;
    const failed = outcome.failedAt;
    if (failed === start || wasRetry) {
      events.push({ ...outcome.event!, index: failed });
      start = failed + 1;
    } else {
      retry = { index: failed, previous: failed - 1, event: outcome.event! };
      start = failed;
    }
  }
  return { results: Array.from({ length: queue.length }, (_, i) => results[i]), events };
}

function timeoutFromEnvironment(): number {
  const raw = Number(process.env.MODELPLANE_IMPORT_TIMEOUT_MS);
  return Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_IMPORT_TIMEOUT_MS;
}

interface ChildOutcome {
  /** The file being loaded when the process ended or hung; undefined when every file answered. */
  readonly failedAt?: number;
  readonly event?: Omit<SandboxEvent, 'index' | 'previous'>;
}

const alive = new Set<ChildProcess>();
let exitHook = false;

function runChild(
  bundles: BundleQueue,
  start: number,
  readable: readonly string[],
  timeoutMs: number,
  results: (ChildResult | undefined)[],
  events: SandboxEvent[],
): Promise<ChildOutcome> {
  const nonce = randomBytes(16).toString('hex');
  const child = fork(CHILD, [], {
    env: {},
    execPath: process.execPath,
    execArgv: [
      '--experimental-permission',
      ...[CHILD, ...readable].map((p) => `--allow-fs-read=${p}`),
      '--frozen-intrinsics',
      '--disable-warning=ExperimentalWarning',
      '--max-old-space-size=1536',
    ],
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  alive.add(child);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const c of alive) c.kill('SIGKILL');
    });
  }
  // What a definition prints goes to our stderr (bounded), never to stdout, and
  // every line is prefixed: it can neither fake the CLI's report nor start a
  // GitHub Actions workflow command (`::error ...`, `::add-mask::`).
  let forwarded = 0;
  const forward = (stream: NodeJS.ReadableStream) => {
    let partial = '';
    const write = (line: string) => {
      if (forwarded > 64 * 1024) return;
      forwarded += line.length;
      process.stderr.write(`[definition output] ${line}\n`);
    };
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      if (partial.length > 4096) partial = partial.slice(0, 4096);
      for (const line of parts) write(line);
    });
    stream.on('end', () => partial && write(partial));
  };
  forward(child.stdout!);
  forward(child.stderr!);

  return new Promise<ChildOutcome>((resolve) => {
    let next = start;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: ChildOutcome) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      child.kill('SIGKILL');
      alive.delete(child);
      resolve(outcome);
    };
    // The deadline runs while a file is loading (or the last answer is awaited), not while the child waits for the next bundle.
    const arm = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (next >= bundles.length && !bundles.ended) return;
      timer = setTimeout(
        () => finish({ failedAt: next, event: { kind: 'timeout', message: `did not finish loading within ${Math.round(timeoutMs / 100) / 10} s`, stack: '' } }),
        timeoutMs,
      );
    };
    child.on('message', (raw: unknown) => {
      const message = raw as { nonce?: unknown; index?: number; result?: ChildResult; done?: boolean; event?: 'exit' | 'uncaught'; how?: string; message?: string; stack?: string };
      if (settled) return;
      if (message?.nonce !== nonce) {
        events.push({ kind: 'forged', index: next < bundles.length ? next : -1, message: 'sent a message on the loader\'s channel', stack: '' });
        return;
      }
      if (message.done) return finish({});
      if (message.event) {
        const index = typeof message.index === 'number' && message.index >= 0 ? start + message.index : -1;
        events.push({ kind: message.event, index, message: message.event === 'exit' ? `called ${message.how}` : `threw after it was imported: ${message.message}`, stack: String(message.stack ?? '') });
        return;
      }
      if (typeof message.index === 'number' && start + message.index === next && next < sent) {
        results[next] = message.result;
        next++;
        arm();
      }
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      // Ended while waiting for the next bundle: that bundle is loaded by a new process, and blamed only if it ends that one too.
      finish({ failedAt: next < bundles.length || !bundles.ended ? next : undefined, event: { kind: 'crash', message: `ended the loading process (${how})`, stack: '' } });
    });
    child.on('error', () => finish({ failedAt: next, event: { kind: 'crash', message: 'could not start the loading process', stack: '' } }));
    const files = (from: number, to: number) => bundles.slice(from, to).map((b) => ({ url: `${pathToFileURL(b).href}?${randomBytes(16).toString('hex')}` }));
    let sent = bundles.length;
    const ended = bundles.ended;
    child.send({ nonce, files: files(start, sent), end: ended });
    if (!ended) {
      const off = bundles.subscribe(() => {
        if (settled || !child.connected) return off();
        const idle = next >= sent;
        if (bundles.length > sent) {
          child.send({ nonce, files: files(sent, bundles.length) });
          sent = bundles.length;
        }
        if (bundles.ended) {
          child.send({ nonce, end: true });
          off();
        }
        if (idle) arm();
      });
      child.once('close', off);
    }
    arm();
  });
}
