// Starts the suite's processes, keeps their PIDs and stops exactly those (also on SIGINT/SIGTERM).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface Started {
  readonly name: string;
  readonly pid: number;
  readonly log: string;
  readonly child: ChildProcess;
  exited?: { code: number | null; signal: string | null };
}

const live = new Set<Processes>();
const cleanups = new Set<() => void>();
let handlersInstalled = false;

/** On SIGINT/SIGTERM: stop every process of every live group by PID, run the cleanups, exit 130. */
function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const onSignal = (sig: NodeJS.Signals) => {
    console.error(`cluster: ${sig}: stopping ${[...live].reduce((n, g) => n + g.list().filter((p) => !p.exited).length, 0)} processes`);
    void Promise.all([...live].map((g) => g.stopAll())).then(() => {
      for (const c of cleanups) c();
      process.exit(130);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Runs `fn` when the suite is interrupted (temporary directories). Returns the unregister function. */
export function onInterrupt(fn: () => void): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

export class Processes {
  private readonly started: Started[] = [];
  private stopping = false;

  constructor(private readonly logDir: string) {
    installSignalHandlers();
    live.add(this);
  }

  start(name: string, command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Started {
    const log = join(this.logDir, `${name}.log`);
    const fd = openSync(log, 'a');
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    const entry: Started = { name, pid: child.pid, log, child };
    child.on('exit', (code, signal) => {
      entry.exited = { code, signal };
    });
    child.on('error', () => {
      entry.exited = { code: -1, signal: null };
    });
    this.started.push(entry);
    return entry;
  }

  /** Throws when a started process has exited, naming it and quoting its log's last lines. */
  assertRunning(): void {
    for (const p of this.started) {
      if (p.exited && !this.stopping) {
        throw new Error(`${p.name} (pid ${p.pid}) exited (code ${p.exited.code}, signal ${p.exited.signal}); last lines of ${p.log}:\n${tail(p.log, 25)}`);
      }
    }
  }

  list(): readonly Started[] {
    return this.started;
  }

  /** SIGTERM to every started PID in reverse order, SIGKILL after a grace period. */
  async stopAll(graceMs = 8000): Promise<void> {
    this.stopping = true;
    const alive = [...this.started].reverse().filter((p) => !p.exited);
    for (const p of alive) signal(p.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (alive.some((p) => !p.exited) && Date.now() < deadline) await sleep(100);
    for (const p of alive) if (!p.exited) signal(p.pid, 'SIGKILL');
    while (alive.some((p) => !p.exited) && Date.now() < deadline + 3000) await sleep(50);
    live.delete(this);
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, processes?: Processes, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    processes?.assertRunning();
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${last ? `: ${String((last as Error).message ?? last)}` : ''}`);
    }
    await sleep(everyMs);
  }
}
