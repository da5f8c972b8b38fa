import type { ModelDefinition } from '../definitions/index.js';
import type { GatedPlace } from '../diagnostics/index.js';
import type { Loaded } from '../load/index.js';
import { holds, parseCondition } from '../metrics/condition.js';
import { type Findings, type GateContext, gatesFor, placeOf, placements } from './gates-context.js';

/**
 * Release gates of one model: approval (MP5001, MP5006), offline evaluation
 * (MP5002–MP5004) and training/serving skew (MP5005).
 */
export function checkReleaseGates(context: GateContext, loaded: Loaded<ModelDefinition>, found: Findings): void {
  const model = loaded.value;
  const file = loaded.file;

  // Approval and offline gates, per version, for every place it receives traffic.
  const needsApproval = new Map<number, GatedPlace[]>();
  for (const placement of placements(context, loaded)) {
    const gates = gatesFor(context, placement);
    if (!gates) continue;
    const v = model.versions[placement.index];
    const where = placeOf(placement, gates);
    if (gates.requireApproval && !v.approval) needsApproval.set(placement.index, [...(needsApproval.get(placement.index) ?? []), where]);
    for (const metric of Object.keys(gates.offline).sort()) {
      const condition = parseCondition(gates.offline[metric]);
      if (!condition) continue;
      if (!v.evaluation) {
        found.add('MP5003', file, ['versions', placement.index, 'evaluation'], { index: placement.index, version: v.version, place: where, gates: gates.offline });
        break;
      }
      const value = v.evaluation.metrics[metric];
      const path = ['versions', placement.index, 'evaluation', 'metrics', metric];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        found.add('MP5003', file, path, { messageId: 'metric', index: placement.index, metric, place: where, condition: gates.offline[metric], present: Object.keys(v.evaluation.metrics) });
      } else if (!holds(condition, value)) {
        found.add('MP5002', file, path, { index: placement.index, metric, value, place: where, condition: gates.offline[metric] });
      }
    }
  }
  for (const [index, places] of needsApproval) {
    found.add('MP5001', file, ['versions', index], { index, version: model.versions[index].version, places });
  }

  model.versions.forEach((v, i) => {
    if (v.approval) {
      const at = parseDate(v.approval.at);
      if (at === undefined)
        found.add('MP5006', file, ['versions', i, 'approval', 'at'], { index: i, value: v.approval.at });
      else if (!Number.isNaN(context.now.getTime()) && at > context.now.getTime())
        found.add('MP5006', file, ['versions', i, 'approval', 'at'], { messageId: 'future', index: i, value: v.approval.at, now: context.now });
    }
    if (v.evaluation && v.evaluation.artifactSha256 !== v.artifact.sha256)
      found.add('MP5004', file, ['versions', i, 'evaluation', 'artifactSha256'], { index: i, version: v.version, evaluated: v.evaluation.artifactSha256, served: v.artifact.sha256 });
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
      found.add('MP5005', file, path, { index: i, feature: name, trained: training[name] });
    else if (serving[name] !== training[name])
      found.add('MP5005', file, path, { messageId: 'type', index: i, feature: name, served: serving[name], trained: training[name] });
  }
  for (const name of Object.keys(serving).sort()) {
    if (!has(training, name))
      found.add('MP5005', file, ['versions', i, 'features', name], { messageId: 'extra', index: i, feature: name, served: serving[name], training: Object.keys(training) });
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
