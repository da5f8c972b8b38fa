/** MP5xxx: release gates (src/validate/gates-release.ts). */
import type { Entries } from '../entry.js';
import { describeGated, formatValue, type GatedPlace, num } from '../text.js';

/** A version of a model, by its index in `versions`. */
interface Version {
  readonly index: number;
  readonly version: string;
}

export const RELEASE = {
  MP5001: {
    severity: 'error',
    meaning: 'a version receives traffic where its rollout policy requires approval, but has no approval',
    messages: {
      /** `places`: every place the version receives traffic and approval is required. */
      default: ({ index, version, places }: Version & { readonly places: readonly GatedPlace[] }) =>
        `versions[${index}] (${version}) has no approval, but it receives traffic as ${places.map(describeGated).join(' and as ')}, which requires approval: add approval { by, at } once the version is reviewed`,
    },
  },
  MP5002: {
    severity: 'error',
    meaning: 'a version fails an offline evaluation gate of its rollout policy',
    messages: {
      /** `condition`: the gate's condition on the metric (`>= 0.9`). */
      default: ({ index, metric, value, place, condition }: { readonly index: number; readonly metric: string; readonly value: number; readonly place: GatedPlace; readonly condition: string }) =>
        `versions[${index}].evaluation.metrics.${metric} is ${num(value)}: it is ${describeGated(place)}, which needs ${metric} ${condition}`,
    },
  },
  MP5003: {
    severity: 'error',
    meaning: 'a version has no evaluation, or lacks a metric an offline gate of its rollout policy needs',
    messages: {
      /** `gates`: metric → condition of every offline gate of the place. */
      default: ({ index, version, place, gates }: Version & { readonly place: GatedPlace; readonly gates: Readonly<Record<string, string>> }) =>
        `versions[${index}] (${version}) has no evaluation, but it is ${describeGated(place)}, whose offline gates need ${Object.keys(gates).sort().map((m) => `${m} ${gates[m]}`).join(', ')}: add evaluation { metrics, artifactSha256 }`,
      /** `present`: the metrics the evaluation has. */
      metric: (a: { readonly index: number; readonly metric: string; readonly place: GatedPlace; readonly condition: string; readonly present: readonly string[] }) =>
        `versions[${a.index}].evaluation.metrics.${a.metric} is missing, but it is ${describeGated(a.place)}, which needs ${a.metric} ${a.condition}: a missing metric never passes (metrics present: ${[...a.present].sort().join(', ') || '(none)'})`,
    },
  },
  MP5004: {
    severity: 'error',
    meaning: 'evaluation.artifactSha256 differs from artifact.sha256: the evaluation is of another artifact',
    messages: {
      default: ({ index, version, evaluated, served }: Version & { readonly evaluated: string; readonly served: string }) =>
        `versions[${index}].evaluation.artifactSha256 is ${formatValue(evaluated)} but artifact.sha256 is ${formatValue(served)}: the evaluation must be of the artifact that is served; re-evaluate ${version} or fix the digest`,
    },
  },
  MP5005: {
    severity: 'error',
    meaning: 'training/serving skew: a version serves features that differ from the model\'s training features',
    messages: {
      /** A training feature the version does not serve. */
      default: ({ index, feature, trained }: { readonly index: number; readonly feature: string; readonly trained: string }) =>
        `versions[${index}].features has no '${feature}': the model was trained with ${feature}: '${trained}'; serve every training feature, or retrain without it`,
      type: ({ index, feature, served, trained }: { readonly index: number; readonly feature: string; readonly served: string; readonly trained: string }) =>
        `versions[${index}].features.${feature} is '${served}' but the training features have '${trained}': serve ${feature} as '${trained}'`,
      /** A served feature the model was not trained with; `training`: the training features. */
      extra: ({ index, feature, served, training }: { readonly index: number; readonly feature: string; readonly served: string; readonly training: readonly string[] }) =>
        `versions[${index}].features has '${feature}' ('${served}'), which is not a training feature: the model's features are ${[...training].sort().join(', ')}; remove it or add it to the training features`,
    },
  },
  MP5006: {
    severity: 'error',
    meaning: 'approval.at is not a valid date, or is in the future',
    messages: {
      default: ({ index, value }: { readonly index: number; readonly value: string }) =>
        `versions[${index}].approval.at is ${formatValue(value)}, not a valid date: expected an ISO 8601 date or date-time such as "2026-10-01T12:00:00Z"`,
      future: ({ index, value, now }: { readonly index: number; readonly value: string; readonly now: Date }) =>
        `versions[${index}].approval.at is ${formatValue(value)}, in the future (now is ${now.toISOString()}): an approval records a review that happened`,
    },
  },
} as const satisfies Entries;
