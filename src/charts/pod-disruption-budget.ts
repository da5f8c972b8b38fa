import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { ResolvedModel, ResolvedServer } from '../resolve/index.js';
import { versionLabels } from './inference-service.js';
import { syncWave, SyncWave } from './meta.js';

export interface PodDisruptionBudgetProps {
  readonly model: ResolvedModel;
  readonly server: ResolvedServer;
}

/**
 * `policy/v1` PodDisruptionBudget of a version whose warm pool has 2 or more
 * pods: a node drain takes at most one of its pods at a time. It selects the
 * labels KServe puts on the predictor's pods.
 */
export class PodDisruptionBudget extends ApiObject {
  constructor(scope: Construct, id: string, props: PodDisruptionBudgetProps) {
    super(scope, id, { ...podDisruptionBudgetManifest(props) });
  }
}

/** The PDB of one version; namespace and shared labels come from the chart. */
export function podDisruptionBudgetManifest({ model, server }: PodDisruptionBudgetProps): IPodDisruptionBudget {
  const budget = server.disruptionBudget;
  if (!budget) throw new Error(`PodDisruptionBudget: ${server.name} has no disruption budget`);
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: budget.name, labels: versionLabels(model, server), annotations: syncWave(SyncWave.workloads) },
    spec: {
      maxUnavailable: budget.maxUnavailable,
      selector: { matchLabels: { 'serving.kserve.io/inferenceservice': server.name, component: 'predictor' } },
    },
  };
}
