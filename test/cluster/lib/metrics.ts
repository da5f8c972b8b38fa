// A synthetic exporter serving the series that the emitted analysis and scaler queries read,
// and Prometheus 2.42 (Debian) scraping it on 127.0.0.1.
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { freePort, waitFor, type Processes } from './proc.js';

/** One series family the queries select: metric name and its label matchers. */
export interface Selector {
  readonly metric: string;
  readonly labels: readonly { readonly name: string; readonly op: string; readonly value: string }[];
}

/** Every `metric{labels}` selector in a PromQL expression. */
export function selectors(query: string): Selector[] {
  const out: Selector[] = [];
  for (const m of query.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)) {
    const labels = [...m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)].map((l) => ({ name: l[1], op: l[2], value: l[3] }));
    out.push({ metric: m[1], labels });
  }
  return out;
}

/** A label value that a regex matcher accepts: `.*`/`.+` become `0`, a lone `.` becomes `0` (so `5..` is `500`). */
export function materialise(regex: string): string {
  return regex.replace(/\.\*|\.\+/g, '0').replace(/\\(.)/g, '$1').replace(/\./g, '0');
}

const isError = (s: Selector) => s.labels.some((l) => l.op === '=~' && /^5/.test(l.value) && /code|status/.test(l.name));

/** Healthy shape of the synthetic traffic: the numbers the emitted gates are checked against. */
export const TRAFFIC = {
  rps: 50,
  /** Share of errors once errors are switched on. */
  errorShare: 0.05,
  /** Cumulative share of requests at or under each latency bucket (ms): p99 is about 49 ms. */
  latency: [
    [5, 0.05],
    [10, 0.2],
    [25, 0.6],
    [50, 0.995],
    [100, 1],
    [250, 1],
    [500, 1],
    [1000, 1],
  ] as const,
  approveShare: 0.95,
  gauge: 0.05,
};

export class Exporter {
  private readonly series = new Map<string, { metric: string; labels: Record<string, string>; kind: 'ok' | 'error' | 'bucket' | 'gauge' | 'counter' }>();
  private readonly started = Date.now();
  /** Epoch ms when errors started (undefined: healthy). */
  errorsFrom?: number;
  /** With errors: only the series that carry this label value err (e.g. the canary's workload); undefined: all. */
  private errorsOnly?: { readonly label: string; readonly value: string };
  private server?: Server;
  port = 0;

  add(query: string): void {
    for (const s of selectors(query)) {
      const labels: Record<string, string> = {};
      for (const l of s.labels) if (l.op === '=' || l.op === '=~') labels[l.name] = l.op === '=' ? l.value : materialise(l.value);
      const error = isError(s);
      let kind: 'ok' | 'error' | 'bucket' | 'gauge' | 'counter' = 'gauge';
      if (s.metric.endsWith('_bucket')) kind = 'bucket';
      else if (error) kind = 'error';
      else if (s.metric.endsWith('_total') && /requests/.test(s.metric)) {
        kind = 'ok';
        labels.response_code ??= '200';
      } else if (s.metric.endsWith('_total')) kind = 'counter';
      delete labels.le;
      const key = `${s.metric}${JSON.stringify(Object.entries(labels).sort())}`;
      this.series.set(key, { metric: s.metric, labels, kind });
    }
  }

  /** Starts errors now (the faulty exporter's switch), on every series or only those with `only`'s label value; returns the instant. */
  startErrors(only?: { readonly label: string; readonly value: string }): number {
    this.errorsOnly = only;
    this.errorsFrom = Date.now();
    return this.errorsFrom;
  }

  render(now = Date.now()): string {
    const seconds = (now - this.started) / 1000;
    const errorSeconds = this.errorsFrom ? Math.max(0, (now - this.errorsFrom) / 1000) : 0;
    const total = TRAFFIC.rps * seconds;
    const allErrors = TRAFFIC.rps * TRAFFIC.errorShare * errorSeconds;
    const errorsOf = (labels: Record<string, string>) => (!this.errorsOnly || labels[this.errorsOnly.label] === this.errorsOnly.value ? allErrors : 0);
    const lines: string[] = [];
    const fmt = (labels: Record<string, string>) =>
      Object.entries(labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
        .join(',');
    const all = [...this.series.values()].sort((a, b) => (a.metric < b.metric ? -1 : 1));
    // A counter selected with and without an outcome label (decision="approve" and all decisions) is one
    // family: the narrower selector's series carries the healthy share, a complement series the rest.
    const wider = (a: (typeof all)[number], b: (typeof all)[number]) =>
      a !== b && a.metric === b.metric && Object.entries(a.labels).every(([k, v]) => b.labels[k] === v) && Object.keys(b.labels).length > Object.keys(a.labels).length;
    const counters = all.filter((s) => s.kind === 'counter');
    for (const s of all) {
      if (s.kind === 'counter' && counters.some((b) => wider(s, b))) continue;
      if (s.kind === 'counter') {
        const narrowed = counters.find((a) => wider(a, s));
        if (narrowed) {
          const other = { ...s.labels };
          for (const k of Object.keys(s.labels)) if (!(k in narrowed.labels)) other[k] = 'other';
          lines.push(`${s.metric}{${fmt(other)}} ${(total * (1 - TRAFFIC.approveShare)).toFixed(3)}`);
        }
      }
      if (s.kind === 'bucket') {
        for (const [le, share] of TRAFFIC.latency) lines.push(`${s.metric}{${fmt({ ...s.labels, le: String(le) })}} ${(total * share).toFixed(3)}`);
        lines.push(`${s.metric}{${fmt({ ...s.labels, le: '+Inf' })}} ${total.toFixed(3)}`);
      } else if (s.kind === 'ok') lines.push(`${s.metric}{${fmt(s.labels)}} ${(total - errorsOf(s.labels)).toFixed(3)}`);
      else if (s.kind === 'error') lines.push(`${s.metric}{${fmt(s.labels)}} ${errorsOf(s.labels).toFixed(3)}`);
      else if (s.kind === 'counter') {
        // Outcome counters (e.g. decisions): the selected outcome is the healthy majority.
        lines.push(`${s.metric}{${fmt(s.labels)}} ${(total * TRAFFIC.approveShare).toFixed(3)}`);
      } else lines.push(`${s.metric}{${fmt(s.labels)}} ${TRAFFIC.gauge}`);
    }
    return lines.join('\n') + '\n';
  }

  async listen(): Promise<number> {
    this.port = await freePort();
    this.server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(this.render());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    return this.port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/** Debian's Prometheus (2.42) on 127.0.0.1, scraping one exporter every second. */
export async function startPrometheus(name: string, dir: string, exporterPort: number, procs: Processes): Promise<string> {
  const port = await freePort();
  const config = join(dir, `${name}.yml`);
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: synthetic',
      '    honor_labels: true',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${exporterPort}']`,
      '',
    ].join('\n'),
  );
  procs.start(name, 'prometheus', [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, `${name}-data`)}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--storage.tsdb.retention.time=1h',
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${name} to be ready`, async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), 60_000, procs);
  return url;
}
