import { Chart } from 'cdk8s';
import {
  KubeNamespace,
  KubePriorityClass,
  KubeResourceQuota,
  KubeServiceAccount,
  Quantity,
} from 'cdk8s-plus-27/lib/imports/k8s.js';
import { Construct } from 'constructs';
import type { ResolvedEnvironment, ResolvedPlatform, ResolvedTeam, ResolvedTier } from '../resolve/index.js';
import { cpuQuantity, MANAGED_BY, memoryQuantity, syncWave, SyncWave } from './meta.js';
import { ServingRuntime } from './serving-runtime.js';

export interface PlatformChartProps {
  readonly platform: ResolvedPlatform;
  readonly env: ResolvedEnvironment;
}

/**
 * `generated/<env>/_platform/`: namespaces, quotas, service accounts, priority classes, runtimes.
 * The managed-by label is set here, once, for every object (they span namespaces).
 */
export class PlatformChart extends Chart {
  constructor(scope: Construct, id: string, { platform, env }: PlatformChartProps) {
    super(scope, id, { disableResourceNameHashes: true, labels: { ...MANAGED_BY } });
    for (const tier of env.tiers) new TierPriorityClass(this, `priority-${tier.name}`, tier);
    for (const team of env.teams) {
      new TeamNamespace(this, `team-${team.name}`, { platform, env, team });
    }
  }
}

class TierPriorityClass extends KubePriorityClass {
  constructor(scope: Construct, id: string, tier: ResolvedTier) {
    super(scope, id, {
      metadata: {
        name: tier.priorityClassName,
        labels: { 'modelplane.io/tier': tier.name },
        annotations: syncWave(SyncWave.clusterScoped),
      },
      value: tier.priority,
      globalDefault: false,
      preemptionPolicy: tier.preempting ? 'PreemptLowerPriority' : 'Never',
      description: `modelplane tier '${tier.name}'${tier.p99BudgetMs ? `, p99 budget ${tier.p99BudgetMs} ms` : ''}, availability ${tier.availability}`,
    });
  }
}

interface TeamNamespaceProps {
  readonly platform: ResolvedPlatform;
  readonly env: ResolvedEnvironment;
  readonly team: ResolvedTeam;
}

/** A team's namespace in one environment, with its quota, identity and runtimes. */
class TeamNamespace extends Construct {
  constructor(scope: Construct, id: string, { platform, env, team }: TeamNamespaceProps) {
    super(scope, id);
    const labels = { 'modelplane.io/team': team.name, 'modelplane.io/environment': env.name };
    new KubeNamespace(this, 'namespace', {
      metadata: {
        name: team.namespace,
        labels: { ...labels, ...team.namespaceLabels },
        annotations: syncWave(SyncWave.clusterScoped),
      },
    });
    const hard: Record<string, Quantity> = {
      'requests.cpu': Quantity.fromString(cpuQuantity(team.quotaRequests.cpu)),
      'limits.cpu': Quantity.fromString(cpuQuantity(team.quota.cpu)),
      'requests.memory': Quantity.fromString(memoryQuantity(team.quotaRequests.memoryGiB)),
      'limits.memory': Quantity.fromString(memoryQuantity(team.quota.memoryGiB)),
    };
    for (const gpu of team.gpuResourceNames) hard[`requests.${gpu}`] = Quantity.fromString(String(team.quota.gpus));
    new KubeResourceQuota(this, 'quota', {
      metadata: { name: team.quotaName, namespace: team.namespace, labels, annotations: syncWave(SyncWave.namespaceSetup) },
      spec: { hard },
    });
    new KubeServiceAccount(this, 'service-account', {
      metadata: {
        name: team.serviceAccount,
        namespace: team.namespace,
        labels,
        annotations: {
          ...syncWave(SyncWave.namespaceSetup),
          ...(team.identity ? { [platform.serviceAccountAnnotation]: team.identity } : {}),
        },
      },
      automountServiceAccountToken: false,
    });
    for (const runtime of env.runtimes) {
      new ServingRuntime(this, `runtime-${runtime.name}`, { runtime, namespace: team.namespace });
    }
  }
}
