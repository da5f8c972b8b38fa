import { analysisChecks, canaryBinding, evaluateCheck, formatNumber, type AnalysisCheck } from '../metrics/index.js';
import { hasErrors } from '../diagnostics/index.js';
import { compile } from './compile.js';
import { ExitCode, printDiagnostics, UserFacingError, type Output } from './output.js';

export interface AnalyzeOptions {
  readonly root: string;
  readonly model: string;
  readonly env: string;
  readonly prometheus: string;
  readonly timeoutMs?: number;
}

type Row = { check: AnalysisCheck; value?: number; verdict: 'pass' | 'fail' | 'no-data' | 'error'; error?: string };

/**
 * `modelplane analyze M --env E --prometheus URL`: runs the current canary
 * step's queries now, with the thresholds of the generated AnalysisRun.
 * Exit 0 all pass, 1 a check fails or has no data, 3 Prometheus cannot be queried.
 */
export async function analyzeCommand(o: AnalyzeOptions, output: Output): Promise<number> {
  const current = await compile(o.root, { render: false });
  if (hasErrors(current.diagnostics) || !current.platform) {
    printDiagnostics(output, current.diagnostics);
    return ExitCode.failed;
  }
  const platform = current.platform;
  const env = platform.environments.find((e) => e.name === o.env);
  const model = env?.models.find((m) => m.id === o.model);
  if (!env || !model) throw new UserFacingError(`model '${o.model}' is not deployed in environment '${o.env}'`, ExitCode.failed);
  if (!model.canary) throw new UserFacingError(`${o.model} has no canary in ${o.env}: nothing to analyze`, ExitCode.failed);
  const policy = platform.policies.find((p) => p.name === model.canary!.policy)!;
  const checks = analysisChecks(platform, model, policy, canaryBinding(model));

  const rows: Row[] = [];
  for (const check of checks) {
    try {
      const values = await query(o.prometheus, check.query, o.timeoutMs ?? 10_000);
      rows.push({ check, value: values[0], verdict: evaluateCheck(check, values) });
    } catch (error) {
      rows.push({ check, verdict: 'error', error: (error as Error).message });
    }
  }
  output.out(`analysis of ${o.model} ${model.canary.version} (step ${model.canary.step}, ${model.canary.weight}%) against stable ${model.stable} in ${o.env}`);
  const table = rows.map((r) => [r.check.name, r.value === undefined ? (r.verdict === 'error' ? 'error' : 'no data') : formatNumber(r.value), `${r.check.op} ${r.check.threshold}`, r.verdict]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[['metric', 'value', 'threshold', 'verdict'], ...table].map((row) => row[i].length)));
  for (const row of [['metric', 'value', 'threshold', 'verdict'], ...table]) output.out(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
  const errors = rows.filter((r) => r.verdict === 'error');
  if (errors.length > 0) {
    output.err(`analyze: Prometheus at ${o.prometheus} could not be queried: ${errors[0].error}`);
    return ExitCode.external;
  }
  const bad = rows.filter((r) => r.verdict !== 'pass');
  output.out(bad.length === 0 ? 'verdict: pass' : `verdict: ${bad.some((r) => r.verdict === 'fail') ? 'fail' : 'inconclusive'} (${bad.map((r) => `${r.check.name}: ${r.verdict}`).join(', ')})`);
  return bad.length === 0 ? ExitCode.ok : ExitCode.failed;
}

/** Instant query; returns the sample values (empty when no series). Throws when Prometheus does not answer. */
async function query(base: string, promql: string, timeoutMs: number): Promise<number[]> {
  const url = new URL('api/v1/query', base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('query', promql);
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).catch((error: Error) => {
    throw new Error(`${(error.cause as Error | undefined)?.message ?? error.message}`);
  });
  const body = (await response.json().catch(() => undefined)) as
    | { status: string; error?: string; data?: { resultType: string; result: unknown } }
    | undefined;
  if (!response.ok || !body || body.status !== 'success') throw new Error(`HTTP ${response.status}${body?.error ? `: ${body.error}` : ''}`);
  const { resultType, result } = body.data!;
  if (resultType === 'vector') return (result as { value: [number, string] }[]).map((s) => Number(s.value[1]));
  if (resultType === 'scalar') return [Number((result as [number, string])[1])];
  throw new Error(`unexpected result type ${resultType}`);
}
