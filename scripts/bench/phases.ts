/**
 * Phase timing of synth in one process (`node --import tsx phases.ts <root>`):
 * the same `compile` the CLI runs (load → validate → locate → resolve), then
 * render and write streamed as `synth` does them. Prints `PhasesResult` as JSON.
 */
import { compile } from '../../src/cli/compile.js';
import { hasErrors } from '../../src/diagnostics/index.js';
import { renderFiles, writeGenerated, type GeneratedFile } from '../../src/synth/index.js';

export interface PhaseRow {
  readonly phase: string;
  readonly ms: number;
  readonly cpuMs?: number;
  readonly rssMiB: number;
  readonly heapMiB: number;
  readonly subtotal?: boolean;
}

export interface PhasesResult {
  readonly rows: readonly PhaseRow[];
  readonly maxRssMiB: number;
  readonly failure?: string;
}

const [root] = process.argv.slice(2);
const rows: PhaseRow[] = [];
let last = 0; // performance.now() counts from process start
let lastCpu = { user: 0, system: 0 };
const memory = () => ({ rssMiB: process.memoryUsage().rss / 2 ** 20, heapMiB: process.memoryUsage().heapUsed / 2 ** 20 });

function mark(phase: string): void {
  const now = performance.now();
  const cpu = process.cpuUsage();
  rows.push({ phase, ms: now - last, cpuMs: (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000, ...memory() });
  last = now;
  lastCpu = cpu;
}

/** The generator's own time is render; the rest of writeGenerated is writing. */
function* timed(source: Iterable<GeneratedFile>, totals: { renderMs: number; count: number }): Generator<GeneratedFile> {
  const it = source[Symbol.iterator]();
  for (;;) {
    const a = performance.now();
    const r = it.next();
    totals.renderMs += performance.now() - a;
    if (r.done) return;
    totals.count++;
    yield r.value;
  }
}

mark('startup + import compiler');
let failure: string | undefined;
try {
  const compilation = await compile(root, { render: false });
  mark(`compile: load ${compilation.definitions.models.length} models, validate, locate ${compilation.diagnostics.length} diagnostics, resolve`);
  if (hasErrors(compilation.diagnostics) || !compilation.platform) throw new Error('synth reports errors');
  const totals = { renderMs: 0, count: 0 };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await writeGenerated(root, timed(renderFiles(compilation.platform), totals));
  const total = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const after = memory();
  rows.push({ phase: `render (${totals.count} files)`, ms: totals.renderMs, ...after });
  rows.push({ phase: 'write', ms: total - totals.renderMs, ...after });
  rows.push({ phase: '  = render + write, streamed', ms: total, cpuMs: (cpu.user + cpu.system) / 1000, ...after, subtotal: true });
  last = performance.now();
  lastCpu = process.cpuUsage();
} catch (error) {
  failure = String((error as Error)?.stack ?? error);
  mark('(failed here)');
}
const result: PhasesResult = { rows, maxRssMiB: process.resourceUsage().maxRSS / 1024, failure };
process.stdout.write(JSON.stringify(result));
