import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ResolvedEnvironment, ResolvedModel, ResolvedPlatform } from '../resolve/index.js';
import { InferenceService } from './inference-service.js';

export interface ModelChartProps {
  readonly platform: ResolvedPlatform;
  readonly env: ResolvedEnvironment;
  readonly model: ResolvedModel;
}

/** `generated/<env>/<model-id>/`: everything one model needs in one environment. */
export class ModelChart extends Chart {
  constructor(scope: Construct, id: string, { platform, model }: ModelChartProps) {
    super(scope, id, { disableResourceNameHashes: true, namespace: model.namespace });
    for (const server of model.servers) new InferenceService(this, server.name, { platform, model, server });
  }
}
