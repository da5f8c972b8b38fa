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
  return selector.replaceAll('{{namespace}}', namespace).replaceAll('{{workload}}', workload);
}

/** A declared quality query with `{{namespace}}`, `{{workload}}` and `{{model}}` filled in. */
export function bindQuery(query: string, namespace: string, workload: string, modelId: string): string {
  return bindSelector(query, namespace, workload).replaceAll('{{model}}', modelId);
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
