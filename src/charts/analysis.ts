import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { analysisChecks, argoCondition, canaryBinding, stepCount, TEMPLATE_BINDING, templateCount, tierTiming, type AnalysisCheck } from '../metrics/index.js';
import type { ResolvedModel, ResolvedPlatform, ResolvedPolicy } from '../resolve/index.js';
import type { IAnalysisRun } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisRun';
import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { syncWave, SyncWave } from './meta.js';

export interface AnalysisProps {
  readonly platform: ResolvedPlatform;
  readonly model: ResolvedModel;
  readonly policy: ResolvedPolicy;
  /** Name of the AnalysisTemplate (from the resolved model). */
  readonly templateName: string;
}

/** Consecutive query errors (Prometheus not answering) after which a metric is in Error, which rolls back. */
export const CONSECUTIVE_ERROR_LIMIT = 2;

/**
 * The metrics of a step: the model's tier timing under the policy, measured
 * until every regression that starts during the step has had its
 * `failureLimit + 1` measurements (`count` of that step; a template, used by
 * every step, takes the largest).
 */
function metrics(platform: ResolvedPlatform, model: ResolvedModel, policy: ResolvedPolicy, checks: readonly AnalysisCheck[], step?: number): IAnalysisTemplate['spec']['metrics'] {
  const t = tierTiming(policy, model.tier.name);
  const count = step === undefined || step >= t.counts.length ? templateCount(t) : stepCount(t, step);
  return checks.map((check) => ({
    name: check.name,
    interval: t.interval,
    initialDelay: t.interval,
    count,
    failureLimit: t.failureLimit,
    consecutiveErrorLimit: CONSECUTIVE_ERROR_LIMIT,
    successCondition: argoCondition(check),
    provider: {
      prometheus: {
        address: platform.metricSources.prometheus.address,
        timeout: platform.metricSources.prometheus.timeoutSeconds,
        query: check.query,
      },
    },
  }));
}

/** Labels beyond the chart's (managed-by, model, environment). */
function labels(policy: ResolvedPolicy) {
  return { 'modelplane.io/policy': policy.name };
}

/** The policy's checks for one model, parameterised by namespace and workloads. */
export class AnalysisTemplate extends ApiObject {
  constructor(scope: Construct, id: string, props: AnalysisProps) {
    super(scope, id, { ...analysisTemplateManifest(props) });
  }
}

/** The AnalysisTemplate; namespace and shared labels come from the chart. */
export function analysisTemplateManifest({ platform, model, policy, templateName }: AnalysisProps): IAnalysisTemplate {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: templateName, labels: labels(policy), annotations: syncWave(SyncWave.analysis) },
    spec: {
      args: [{ name: 'namespace' }, { name: 'canary-workload' }, { name: 'stable-workload' }],
      metrics: metrics(platform, model, policy, analysisChecks(platform, model, policy, TEMPLATE_BINDING)),
    },
  };
}

/**
 * The analysis of the current canary step, fully inlined. A plain resource with
 * a name unique to (model, canary version, step): Argo CD creates it once when
 * the step is committed and prunes it when the step changes.
 */
export class AnalysisRun extends ApiObject {
  constructor(scope: Construct, id: string, props: AnalysisProps) {
    super(scope, id, { ...analysisRunManifest(props) });
  }
}

/** The AnalysisRun of the current step; namespace and shared labels come from the chart. */
export function analysisRunManifest({ platform, model, policy, templateName }: AnalysisProps): IAnalysisRun {
    if (!model.canary) throw new Error(`AnalysisRun: ${model.id} has no canary`);
    const canary = model.canary;
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: {
        name: canary.analysisRun,
        labels: {
          ...labels(policy),
          'modelplane.io/canary-version': canary.version,
          'modelplane.io/stable-version': model.stable,
          'modelplane.io/step': String(canary.step),
        },
        annotations: {
          ...syncWave(SyncWave.analysis),
          'modelplane.io/weight': String(canary.weight),
          'modelplane.io/template': templateName,
          // Argo CD must not delete and re-create a running analysis on an unrelated sync.
          'argocd.argoproj.io/sync-options': 'Replace=false',
        },
      },
      spec: {
        metrics: metrics(platform, model, policy, analysisChecks(platform, model, policy, canaryBinding(model)), canary.step),
      },
    };
}
