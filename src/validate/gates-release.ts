import type { ModelDefinition } from '../definitions/index.js';
import { formatValue } from '../diagnostics/index.js';
import type { Loaded } from '../load/index.js';
import { holds, parseCondition } from '../metrics/condition.js';
import { describePlacement, type Findings, type GateContext, gatesFor, num, placements } from './gates-context.js';

/**
 * Release gates of one model: approval (MP5001, MP5006), offline evaluation
 * (MP5002–MP5004) and training/serving skew (MP5005).
 */
export function checkReleaseGates(context: GateContext, loaded: Loaded<ModelDefinition>, found: Findings): void {
  const model = loaded.value;
  const file = loaded.file;

  // Approval and offline gates, per version, for every place it receives traffic.
  const needsApproval = new Map<number, string[]>();
  for (const placement of placements(context, loaded)) {
    const gates = gatesFor(context, placement);
    if (!gates) continue;
    const v = model.versions[placement.index];
    const where = `${describePlacement(placement)}${gates.policy ? ` (policy '${gates.policy}')` : ' (no policy: default gates)'}`;
    if (gates.requireApproval && !v.approval) needsApproval.set(placement.index, [...(needsApproval.get(placement.index) ?? []), where]);
    for (const metric of Object.keys(gates.offline).sort()) {
      const condition = parseCondition(gates.offline[metric]);
      if (!condition) continue;
      if (!v.evaluation) {
        found.add('MP5003', file, ['versions', placement.index, 'evaluation'], `versions[${placement.index}] (${v.version}) has no evaluation, but it is ${where}, whose offline gates need ${Object.keys(gates.offline).sort().map((m) => `${m} ${gates.offline[m]}`).join(', ')}: add evaluation { metrics, artifactSha256 }`);
        break;
      }
      const value = v.evaluation.metrics[metric];
      const path = ['versions', placement.index, 'evaluation', 'metrics', metric];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        const known = Object.keys(v.evaluation.metrics).sort().join(', ') || '(none)';
        found.add('MP5003', file, path, `versions[${placement.index}].evaluation.metrics.${metric} is missing, but it is ${where}, which needs ${metric} ${gates.offline[metric]}: a missing metric never passes (metrics present: ${known})`);
      } else if (!holds(condition, value)) {
        found.add('MP5002', file, path, `versions[${placement.index}].evaluation.metrics.${metric} is ${num(value)}: it is ${where}, which needs ${metric} ${gates.offline[metric]}`);
      }
    }
  }
  for (const [index, places] of needsApproval) {
    found.add('MP5001', file, ['versions', index], `versions[${index}] (${model.versions[index].version}) has no approval, but it receives traffic as ${places.join(' and as ')}, which requires approval: add approval { by, at } once the version is reviewed`);
  }

  model.versions.forEach((v, i) => {
    if (v.approval) {
      const at = parseDate(v.approval.at);
      if (at === undefined)
        found.add('MP5006', file, ['versions', i, 'approval', 'at'], `versions[${i}].approval.at is ${formatValue(v.approval.at)}, not a valid date: expected an ISO 8601 date or date-time such as "2026-10-01T12:00:00Z"`);
      else if (!Number.isNaN(context.now.getTime()) && at > context.now.getTime())
        found.add('MP5006', file, ['versions', i, 'approval', 'at'], `versions[${i}].approval.at is ${formatValue(v.approval.at)}, in the future (now is ${context.now.toISOString()}): an approval records a review that happened`);
    }
    if (v.evaluation && v.evaluation.artifactSha256 !== v.artifact.sha256)
      found.add('MP5004', file, ['versions', i, 'evaluation', 'artifactSha256'], `versions[${i}].evaluation.artifactSha256 is ${formatValue(v.evaluation.artifactSha256)} but artifact.sha256 is ${formatValue(v.artifact.sha256)}: the evaluation must be of the artifact that is served; re-evaluate ${v.version} or fix the digest`);
    checkSkew(model, i, file, found);
  });
}

/** The version's serving signature must equal the model's training features: same names, same types. */
function checkSkew(model: ModelDefinition, i: number, file: string, found: Findings): void {
  const serving = model.versions[i].features;
  const training = model.features;
  const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  for (const name of Object.keys(training).sort()) {
    const path = ['versions', i, 'features', name];
    if (!has(serving, name))
      found.add('MP5005', file, path, `versions[${i}].features has no '${name}': the model was trained with ${name}: '${training[name]}'; serve every training feature, or retrain without it`);
    else if (serving[name] !== training[name])
      found.add('MP5005', file, path, `versions[${i}].features.${name} is '${serving[name]}' but the training features have '${training[name]}': serve ${name} as '${training[name]}'`);
  }
  for (const name of Object.keys(serving).sort()) {
    if (!has(training, name))
      found.add('MP5005', file, ['versions', i, 'features', name], `versions[${i}].features has '${name}' ('${serving[name]}'), which is not a training feature: the model's features are ${Object.keys(training).sort().join(', ')}; remove it or add it to the training features`);
  }
}

/** Milliseconds of an ISO 8601 date or date-time whose fields are in range; undefined otherwise. */
export function parseDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):(\d{2})))?$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (match[4] !== undefined && (Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6] ?? 0) > 59)) return undefined;
  if (match[8] !== undefined && (Number(match[8]) > 23 || Number(match[9]) > 59)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
