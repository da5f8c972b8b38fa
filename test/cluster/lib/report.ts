// The suite's report: a table for people, JSON for machines, and the verdict (exit code).
import type { RunResult } from './cluster.js';

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

export interface JsonReport {
  env: string;
  ok: boolean;
  applied: number;
  appliedByKind: Record<string, number>;
  rejected: { kind: string; namespace?: string; name: string; file: string; message: string }[];
  inferenceServices: { total: number; ready: number; notReady: { namespace: string; name: string; reason: string }[] };
  pods: RunResult['observation']['pods'];
  nodes: Record<string, number>;
  unresolved: string[];
  podsRefused: RunResult['observation']['podsRefused'];
  hpas: RunResult['observation']['hpas'];
  routes: RunResult['observation']['routes'];
  analysis: { name: string; namespace: string; series: string; verdict: string; seconds: number; secondsFromErrors?: number; message?: string }[];
  prometheusRewrites: RunResult['rewrites'];
  checks: Check[];
  seconds: RunResult['seconds'] & { build: Record<string, number> };
  crashed: string[];
}

/** What `verify` requires of one environment (acceptance 1, 2, 4 on healthy series, 5). */
export function verifyChecks(r: RunResult, analysisWaited: boolean): Check[] {
  const o = r.observation;
  const checks: Check[] = [
    { name: 'no object rejected by the API server', ok: r.rejected.length === 0, detail: r.rejected.length ? `${r.rejected.length} rejected` : undefined },
    { name: 'every InferenceService Ready', ok: o.inferenceServices.total > 0 && o.inferenceServices.ready === o.inferenceServices.total, detail: `${o.inferenceServices.ready}/${o.inferenceServices.total}` },
    {
      name: 'every warm pool up: minReplicas pods Ready per InferenceService pool, each on a node of its pool',
      ok: o.pods.total > 0 && o.pods.pending === 0 && Object.values(o.pods.byPool).every((p) => p.misplaced === 0 && p.ready >= p.expected),
      detail: `${o.pods.ready} Ready of ${Object.values(o.pods.byPool).reduce((s, p) => s + p.expected, 0)} warm-pool pods, ${o.pods.pending} Pending`,
    },
    { name: 'no pod refused by admission (ResourceQuota, PodSecurity, webhooks)', ok: o.podsRefused.length === 0, detail: o.podsRefused.length ? `${o.podsRefused.length} ReplicaSets` : undefined },
    { name: 'every reference resolves (backendRefs, scale targets, PodMonitor selectors, analysis selectors)', ok: o.unresolved.length === 0, detail: o.unresolved.length ? `${o.unresolved.length} unresolved` : undefined },
    {
      name: 'every HTTPRoute Accepted by the Gateway (Contour) with its backends resolved',
      ok: o.routes.every((x) => x.accepted && x.resolvedRefs),
      detail: `${o.routes.filter((x) => x.accepted && x.resolvedRefs).length}/${o.routes.length}${o.routes.filter((x) => !(x.accepted && x.resolvedRefs)).slice(0, 3).map((x) => `; ${x.namespace}/${x.name}: ${x.message}`).join('')}`,
    },
    { name: 'KEDA made an HPA with the emitted behaviour per ScaledObject', ok: o.hpas.every((h) => h.behaviourMatches), detail: `${o.hpas.filter((h) => h.behaviourMatches).length}/${o.hpas.length}` },
    { name: 'no component crashed', ok: r.crashed.length === 0, detail: r.crashed.map((c) => c.split('\n')[0]).join('; ') || undefined },
  ];
  if (analysisWaited) {
    const healthy = r.analysis.filter((a) => a.series === 'healthy');
    checks.push({ name: 'AnalysisRuns Successful on healthy series', ok: healthy.every((a) => a.phase === 'Successful'), detail: healthy.map((a) => `${a.name}: ${a.phase}`).join(', ') || 'none emitted' });
    const faulty = r.analysis.filter((a) => a.series === 'errors');
    if (faulty.length)
      checks.push({ name: 'AnalysisRuns Failed with 5 % errors', ok: faulty.every((a) => a.phase === 'Failed'), detail: faulty.map((a) => `${a.name}: ${a.phase} ${a.secondsFromErrors ?? '?'} s after the errors started`).join(', ') });
  }
  return checks;
}

export function toJson(r: RunResult, checks: readonly Check[], build: Record<string, number>): JsonReport {
  return {
    env: r.env,
    ok: checks.every((c) => c.ok),
    applied: r.applied,
    appliedByKind: r.appliedByKind,
    rejected: r.rejected,
    inferenceServices: r.observation.inferenceServices,
    pods: r.observation.pods,
    nodes: r.nodes,
    unresolved: r.observation.unresolved,
    podsRefused: r.observation.podsRefused,
    hpas: r.observation.hpas,
    routes: r.observation.routes,
    analysis: r.analysis.map((a) => ({ name: a.name, namespace: a.namespace, series: a.series, verdict: a.phase, seconds: a.seconds, secondsFromErrors: a.secondsFromErrors, message: a.message })),
    prometheusRewrites: r.rewrites,
    checks: [...checks],
    seconds: { ...r.seconds, build },
    crashed: r.crashed,
  };
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r, j) => r.map((c, i) => pad(c, widths[i])).join('  ').trimEnd() + (j === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : '')).join('\n');
}

export function toText(j: JsonReport): string {
  const out: string[] = [];
  out.push(`== cluster report: ${j.env} (${j.ok ? 'OK' : 'FAILED'}) ==`);
  out.push(table([['objects', 'count'], ['applied', String(j.applied)], ['rejected', String(j.rejected.length)], ...Object.entries(j.appliedByKind).sort().map(([k, v]) => [`  ${k}`, String(v)])]));
  if (j.rejected.length) {
    out.push('\nrejected by the API server:');
    for (const r of j.rejected) out.push(`  ${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} (${r.file}): ${r.message}`);
  }
  out.push('');
  out.push(table([['pool', 'nodes', 'warm pool', 'pods', 'Ready', 'Pending', 'misplaced'], ...Object.entries(j.pods.byPool).sort().map(([p, v]) => [p, String(j.nodes[p] ?? 0), String(v.expected), String(v.total), String(v.ready), String(v.pending), String(v.misplaced)])]));
  for (const p of j.pods.pendingPods.slice(0, 20)) out.push(`  Pending ${p.namespace}/${p.name} (${p.pool}): ${p.reason}`);
  if (j.pods.pendingPods.length > 20) out.push(`  ... and ${j.pods.pendingPods.length - 20} more Pending`);
  if (j.podsRefused.length) {
    out.push('\npods refused by the API server:');
    for (const p of j.podsRefused) out.push(`  ReplicaSet ${p.replicaSet}: ${p.message}`);
  }
  out.push(`\nInferenceServices Ready: ${j.inferenceServices.ready}/${j.inferenceServices.total}`);
  for (const n of j.inferenceServices.notReady) out.push(`  not Ready ${n.namespace}/${n.name}: ${n.reason}`);
  if (j.unresolved.length) {
    out.push('\nunresolved references:');
    for (const u of j.unresolved) out.push(`  ${u}`);
  }
  const refused = j.routes.filter((x) => !(x.accepted && x.resolvedRefs));
  out.push(`\nHTTPRoutes Accepted with backends resolved by Contour: ${j.routes.length - refused.length}/${j.routes.length}`);
  for (const x of refused) out.push(`  ${x.namespace}/${x.name}: ${x.message}`);
  if (j.hpas.length) {
    out.push('');
    out.push(table([['ScaledObject', 'HPA', 'behaviour'], ...j.hpas.map((h) => [h.scaledObject, h.hpa ?? '-', h.behaviourMatches ? 'as emitted' : `differs: ${h.detail}`])]));
  }
  if (j.analysis.length) {
    out.push('');
    out.push(table([['AnalysisRun', 'series', 'verdict', 'seconds', 'from errors to verdict'], ...j.analysis.map((a) => [`${a.namespace}/${a.name}`, a.series, a.verdict, String(a.seconds), a.secondsFromErrors === undefined ? '-' : `${a.secondsFromErrors} s`])]));
    for (const a of j.analysis.filter((x) => x.message)) out.push(`  ${a.name}: ${a.message}`);
  }
  if (j.prometheusRewrites.length) {
    const targets = [...new Set(j.prometheusRewrites.map((r) => `${r.from} -> ${r.to}`))];
    out.push(`\nPrometheus address rewritten at apply time in ${j.prometheusRewrites.length} fields (in-cluster address does not resolve here): ${targets.join(', ')}`);
  }
  out.push('');
  const build = Object.entries(j.seconds.build).map(([k, v]) => `${k} ${v} s`).join(', ');
  out.push(`seconds: build ${build || 'cached'}; start ${j.seconds.start}, apply ${j.seconds.apply}, reconcile ${j.seconds.reconcile}, analysis ${j.seconds.analysis}, total ${j.seconds.total}`);
  out.push('');
  for (const c of j.checks) out.push(`${c.ok ? 'PASS' : 'FAIL'} ${c.name}${c.detail ? ` (${c.detail})` : ''}`);
  for (const c of j.crashed) out.push(`crashed: ${c}`);
  return out.join('\n');
}
