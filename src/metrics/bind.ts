import type { ResolvedModel } from '../resolve/index.js';
import { names } from '../resolve/index.js';

/** Values (or Argo `{{args.*}}` placeholders) a query is bound to. */
export interface AnalysisBinding {
  readonly namespace: string;
  readonly canaryWorkload: string;
  readonly stableWorkload: string;
}

/** The platform's request selector for one version: `{{namespace}}` and `{{workload}}` filled in. */
export function bindSelector(selector: string, namespace: string, workload: string): string {
  return selector.replaceAll('{{namespace}}', labelValue(namespace)).replaceAll('{{workload}}', labelValue(workload));
}

/** A declared quality query with `{{namespace}}`, `{{workload}}` and `{{model}}` filled in. */
export function bindQuery(query: string, namespace: string, workload: string, modelId: string): string {
  return bindSelector(query, namespace, workload).replaceAll('{{model}}', labelValue(modelId));
}

/**
 * A value as it may stand inside a PromQL double-quoted label value:
 * backslashes, quotes and newlines escaped, so a value can never close the
 * string and add matchers of its own. Names the schema allows (DNS labels) and
 * Argo placeholders (`{{args.namespace}}`) come out unchanged.
 */
export function labelValue(value: string): string {
  return value.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n');
}

/** Binding to Argo Rollouts arguments, for the AnalysisTemplate. */
export const TEMPLATE_BINDING: AnalysisBinding = {
  namespace: '{{args.namespace}}',
  canaryWorkload: '{{args.canary-workload}}',
  stableWorkload: '{{args.stable-workload}}',
};

/** Concrete binding for a model's current canary. */
export function canaryBinding(model: ResolvedModel): AnalysisBinding {
  if (!model.canary) throw new Error(`canaryBinding: ${model.id} has no canary`);
  return {
    namespace: model.namespace,
    canaryWorkload: names.predictorName(model.id, model.canary.version),
    stableWorkload: names.predictorName(model.id, model.stable),
  };
}
