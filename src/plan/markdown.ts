import { formatDiagnostic } from '../diagnostics/index.js';
import type { ModelState, Plan } from './plan.js';

/** Hidden marker of the sticky plan comment. */
export const PLAN_MARKER = '<!-- modelplane-plan -->';

const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;
const signedUsd = (n: number) => `${n >= 0 ? '+' : '−'}${usd(Math.abs(n))}`;

function versions(s?: ModelState): string {
  if (!s) return '—';
  const parts = [`${s.stable}`];
  if (s.canary) parts.push(`canary ${s.canary.version} (step ${s.canary.step})`);
  if (s.previous) parts.push(`previous ${s.previous}`);
  const tenants = Object.entries(s.tenants);
  if (tenants.length) parts.push(`pins ${tenants.map(([t, v]) => `${t}→${v}`).join(', ')}`);
  if (s.retired !== undefined) parts.push(`retired${s.retired ? ` since ${s.retired}` : ''}: no route, InferenceServices kept`);
  return parts.join('; ');
}

function weights(s?: ModelState): string {
  if (!s) return '—';
  if (s.retired !== undefined) return 'no traffic';
  return Object.entries(s.weights).map(([v, w]) => `${v} ${w}%`).join(' / ');
}

const secs = (n: number | undefined) => (n === undefined ? 'passes' : `${n} s`);

/** Each tier's worst-case rollback time, from the same model `validate` enforces. */
export function budgetMarkdown(budgets: Plan['rollbackBudgets']): string[] {
  if (budgets.length === 0) return [];
  const lines = [
    '### Rollback budget (worst case)',
    '',
    'From a regression\'s start to traffic on stable: detection by the step\'s analysis (severe regression; marginal in brackets), then the declared rollback path (promoter, check, merge, Argo CD refresh and sync).',
    '',
    '| policy | tier | measured | fails at | step analysis | detection | rollback path | worst case | objective |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const b of budgets)
    lines.push(
      `| ${b.policy} (${b.envs.join(', ')}) | ${b.tier} | every ${b.intervalSeconds} s over ${b.windowSeconds} s | ${b.failuresToFail} failures | ${b.count} × ${b.intervalSeconds} s = ${b.runSeconds} s for a ${b.pauseSeconds} s pause | ${secs(b.detectionSevereSeconds)} (${secs(b.detectionMarginalSeconds)}) | ${b.pathSeconds} s | ${b.totalSeconds === undefined ? `a regression after ${b.passesIfStartingAfterSeconds ?? 0} s passes` : `**${b.totalSeconds} s**`} | ${b.objectiveSeconds} s${b.totalSeconds !== undefined && b.totalSeconds <= b.objectiveSeconds ? ' ✓' : ' ✗'} |`,
    );
  return [...lines, ''];
}

const arrow = (before: string, after: string) => (before === after ? before : `${before} → ${after}`);

/** The plan as Markdown: a table per environment, a Mermaid diagram per changed split, warnings. */
export function planMarkdown(plan: Plan): string {
  const lines = [PLAN_MARKER, `## modelplane plan against \`${plan.base}\``, ''];
  if (plan.empty) {
    lines.push('This change touches nothing that serves traffic: no model, version, weight, replica or warning changes.', '');
    lines.push(...budgetMarkdown(plan.rollbackBudgets));
    return `${lines.join('\n').trimEnd()}\n`;
  }
  for (const env of plan.environments) {
    if (env.changes.length === 0) continue;
    lines.push(`### ${env.env}`, '');
    lines.push('| model | change | versions | traffic | replicas (min–max) | GPUs | cost / month |');
    lines.push('|---|---|---|---|---|---|---|');
    for (const c of env.changes) {
      const b = c.before;
      const a = c.after;
      const replicas = (s?: ModelState) => (s ? `${s.replicas.min}–${s.replicas.max}` : '0');
      const delta = (a?.costPerMonthUsd ?? 0) - (b?.costPerMonthUsd ?? 0);
      lines.push(
        `| \`${c.model}\` | ${c.kind} | ${arrow(versions(b), versions(a))} | ${arrow(weights(b), weights(a))} | ${arrow(replicas(b), replicas(a))} | ${arrow(String(b?.gpus ?? 0), String(a?.gpus ?? 0))} | ${usd(b?.costPerMonthUsd ?? 0)} → ${usd(a?.costPerMonthUsd ?? 0)} (${signedUsd(delta)}) |`,
      );
    }
    lines.push('');
    const pools = Object.entries(env.gpusByPool).filter(([, g]) => g.before !== g.after);
    if (pools.length) lines.push(`GPUs by pool: ${pools.map(([p, g]) => `\`${p}\` ${g.before} → ${g.after}`).join(', ')}.`, '');
    lines.push(`Estimated cost of warm pools in ${env.env}: ${usd(env.costBefore)} → ${usd(env.costAfter)} per month (${signedUsd(env.costAfter - env.costBefore)}).`, '');
    for (const c of env.changes) {
      if (!c.after || c.after.retired !== undefined || JSON.stringify(c.before?.weights) === JSON.stringify(c.after.weights)) continue;
      lines.push('```mermaid', 'flowchart LR');
      lines.push(`  route["${c.model} (${env.env})"]`);
      for (const [v, w] of Object.entries(c.after.weights)) lines.push(`  route -- "${w}%" --> v${v.replace(/[^A-Za-z0-9]/g, '_')}["${v}"]`);
      lines.push('```', '');
    }
  }
  if (plan.newWarnings.length) lines.push('### New warnings', '', ...plan.newWarnings.map((d) => `- \`${formatDiagnostic(d)}\``), '');
  if (plan.clearedWarnings.length) lines.push('### Cleared warnings', '', ...plan.clearedWarnings.map((d) => `- ~~\`${formatDiagnostic(d)}\`~~`), '');
  lines.push(...budgetMarkdown(plan.rollbackBudgets));
  return `${lines.join('\n').trimEnd()}\n`;
}
