import { hasErrors } from '../diagnostics/index.js';
import { rampDemand, simulate, spikeDemand, sufficientWarmPool, type AutoscalerModel, type ScalingRules, type SimulationResult } from '../resolve/index.js';
import { simulationSeconds } from '../validate/gates-warm-pool.js';
import { compile } from './compile.js';
import { ExitCode, printDiagnostics, UserFacingError, type Output } from './output.js';

export interface SimulateOptions {
  readonly root: string;
  readonly model: string;
  readonly env: string;
  readonly width?: number;
}

/**
 * `modelplane simulate M --env E`: the declared ramp and a sudden spike against
 * the emitted autoscaler settings, 1 s steps. Exit 1 when the ramp leaves requests unserved.
 */
export async function simulateCommand(o: SimulateOptions, output: Output): Promise<number> {
  const current = await compile(o.root, { render: false });
  if (!current.platform) {
    printDiagnostics(output, current.diagnostics);
    return ExitCode.failed;
  }
  const model = current.platform.environments.find((e) => e.name === o.env)?.models.find((m) => m.id === o.model);
  if (!model) throw new UserFacingError(`model '${o.model}' is not deployed in environment '${o.env}'`, ExitCode.failed);
  const stable = model.servers.find((s) => s.roles.includes('stable'))!;
  if (!model.ramp) throw new UserFacingError(`${o.model} declares no traffic in ${o.env} (deploy.${o.env}.traffic.peakRps): nothing to simulate`, ExitCode.failed);
  const a = stable.autoscaling.model;
  const { peakRps, rampSeconds, baselineRps } = model.ramp;
  const seconds = simulationSeconds(rampSeconds, a.warmupSeconds);
  output.out(`${o.model} ${stable.version} in ${o.env}: warm pool ${a.min}, max ${a.max}, ${a.maxRpsPerReplica} rps per replica, warmup ${a.warmupSeconds} s`);
  for (const line of describeAutoscaler(stable.autoscaling.kind, stable.autoscaling.hpaName, a)) output.out(line);
  const scenarios = [
    { name: `declared ramp: ${baselineRps} → ${peakRps} rps in ${rampSeconds} s`, result: simulate(a, rampDemand(peakRps, rampSeconds, baselineRps), seconds) },
    { name: `spike: ${baselineRps} → ${peakRps} rps at once (t = 60 s)`, result: simulate(a, spikeDemand(peakRps, baselineRps), seconds + 60) },
  ];
  for (const s of scenarios) {
    output.out('');
    output.out(s.name);
    for (const line of table(s.result)) output.out(line);
    for (const line of chart(s.result, o.width ?? 60)) output.out(line);
    output.out(`unserved requests: ${s.result.unserved}; seconds over capacity: ${s.result.secondsOverCapacity}; peak ready replicas: ${s.result.peakReady}`);
  }
  const ramp = scenarios[0].result;
  if (ramp.unserved > 0) {
    output.out(`\nthe declared ramp leaves requests unserved: a warm pool of ${sufficientWarmPool(a, rampDemand(peakRps, rampSeconds, baselineRps), seconds)} would suffice`);
    return ExitCode.failed;
  }
  return hasErrors(current.diagnostics) ? ExitCode.failed : ExitCode.ok;
}

/** The emitted autoscaler in words: what is simulated is exactly this. */
function describeAutoscaler(kind: 'hpa' | 'keda', hpaName: string, a: AutoscalerModel): string[] {
  const rules = (r: ScalingRules) =>
    r.selectPolicy === 'Disabled'
      ? 'disabled'
      : `${r.policies.map((p) => `${p.type === 'Percent' ? `${p.value} %` : `${p.value} pods`} per ${p.periodSeconds} s`).join(r.selectPolicy === 'Max' ? ' or ' : ' and ')} (${r.selectPolicy === 'Max' ? 'the larger' : 'the smaller'}), stabilization ${r.stabilizationWindowSeconds} s`;
  const metric =
    a.metric.kind === 'cpu-utilization'
      ? `CPU utilisation of kserve-container, target ${Math.round(a.metric.targetUtilization * 100)} % (a replica at ${a.maxRpsPerReplica} rps is at 100 %; pods not ready yet count as 0 % on a scale-up)`
      : `request rate per replica from Prometheus, target ${a.metric.targetRps} rps (KEDA AverageValue)`;
  return [
    `autoscaler: HorizontalPodAutoscaler ${hpaName}${kind === 'keda' ? ' (created by the KEDA ScaledObject)' : ''}, every ${a.syncPeriodSeconds} s on a metric ${a.metricLagSeconds} s old, tolerance ${Math.round(a.tolerance * 100)} %`,
    `  metric: ${metric}`,
    `  scale up: ${rules(a.behavior.scaleUp)}`,
    `  scale down: ${rules(a.behavior.scaleDown)}, never below the warm pool ${a.min}`,
  ];
}

function table(r: SimulationResult): string[] {
  const every = Math.max(10, Math.ceil(r.steps.length / 16 / 10) * 10);
  const rows = r.steps.filter((s) => s.t % every === 0).map((s) => [String(s.t), String(Math.round(s.demand)), String(s.capacity), String(s.ready), String(s.desired)]);
  const head = ['t (s)', 'demand rps', 'ready capacity rps', 'ready', 'desired'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  return [head, ...rows].map((row) => row.map((c, i) => c.padStart(widths[i])).join('  '));
}

/** Demand (`*`, `!` where above ready capacity) over ready capacity (`#`), one column per time bucket. */
function chart(r: SimulationResult, width: number): string[] {
  const height = 10;
  const bucket = Math.max(1, Math.ceil(r.steps.length / width));
  const cols = [];
  for (let i = 0; i < r.steps.length; i += bucket) {
    const slice = r.steps.slice(i, i + bucket);
    cols.push({ demand: Math.max(...slice.map((s) => s.demand)), capacity: Math.min(...slice.map((s) => s.capacity)) });
  }
  const top = Math.max(...cols.map((c) => Math.max(c.demand, c.capacity)), 1);
  const lines: string[] = [];
  for (let row = height; row >= 1; row--) {
    const level = (top * row) / height;
    const line = cols
      .map((c) => {
        const demandRow = Math.max(1, Math.ceil((c.demand / top) * height - 1e-9));
        if (row === demandRow) return c.demand > c.capacity ? '!' : '*';
        return c.capacity >= level - 1e-9 ? '#' : ' ';
      })
      .join('');
    lines.push(`${String(Math.round(level)).padStart(7)} |${line}`);
  }
  lines.push(`${''.padStart(7)} +${'-'.repeat(cols.length)} ${bucket} s per column; * demand, ! demand above ready capacity, # ready capacity`);
  return lines;
}
