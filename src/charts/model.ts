import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ResolvedEnvironment, ResolvedModel, ResolvedPlatform } from '../resolve/index.js';
import { AnalysisRun, AnalysisTemplate } from './analysis.js';
import { HttpRoute } from './http-route.js';
import { InferenceService } from './inference-service.js';
import { ModelDashboard, ModelPodMonitor, ModelPrometheusRule } from './monitoring.js';
import { modelChartLabels } from './meta.js';
import { ScaledObject } from './scaled-object.js';
import { HorizontalPodAutoscaler } from './horizontal-pod-autoscaler.js';
import { PodDisruptionBudget } from './pod-disruption-budget.js';

export interface ModelChartProps {
  readonly platform: ResolvedPlatform;
  readonly env: ResolvedEnvironment;
  readonly model: ResolvedModel;
}

/**
 * `generated/<env>/<model-id>/`: everything one model needs in one environment.
 * The namespace and the shared labels are set here, once, for every object.
 */
export class ModelChart extends Chart {
  constructor(scope: Construct, id: string, { platform, env, model }: ModelChartProps) {
    super(scope, id, { disableResourceNameHashes: true, namespace: model.namespace, labels: modelChartLabels(model.id, model.env) });
    for (const server of model.servers) {
      new InferenceService(this, server.name, { platform, model, server });
      if (server.autoscaling.kind === 'keda') new ScaledObject(this, `${server.name}-scaler`, { platform, model, server });
      else new HorizontalPodAutoscaler(this, `${server.name}-hpa`, { model, server });
      if (server.disruptionBudget) new PodDisruptionBudget(this, `${server.name}-pdb`, { model, server });
    }
    // A retired deployment sends no traffic: no route, the InferenceServices are kept.
    if (!model.retired) new HttpRoute(this, 'route', { env, model });
    new ModelPodMonitor(this, 'pod-monitor', { platform, model });
    new ModelPrometheusRule(this, 'rules', { platform, model });
    new ModelDashboard(this, 'dashboard', { platform, model });
    // Templates of the environment's policy and of the canary's, so checks are reviewable before a release.
    for (const template of model.analysisTemplates) {
      const policy = platform.policies.find((p) => p.name === template.policy);
      if (!policy) throw new Error(`ModelChart: policy ${template.policy} of ${model.id} is not resolved`);
      new AnalysisTemplate(this, `analysis-template-${policy.name}`, { platform, model, policy, templateName: template.name });
      if (model.canary?.policy === policy.name) new AnalysisRun(this, 'analysis-run', { platform, model, policy, templateName: template.name });
    }
  }
}
