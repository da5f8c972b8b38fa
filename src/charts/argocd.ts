import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ResolvedEnvironment, ResolvedModel, ResolvedPlatform, ResolvedTeam } from '../resolve/index.js';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { MANAGED_BY, syncWave, SyncWave } from './meta.js';
import { argocdConfigManifest } from './argocd-health.js';
import { ANALYSIS_RUN_ANNOTATION, ANALYSIS_TRIGGER, NotificationsConfig } from './notifications.js';

/** Kinds a team's Application may create in its namespace (everything a model chart emits). */
export const TEAM_RESOURCE_KINDS: readonly { group: string; kind: string }[] = [
  { group: 'serving.kserve.io', kind: 'InferenceService' },
  { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' },
  { group: 'argoproj.io', kind: 'AnalysisTemplate' },
  { group: 'argoproj.io', kind: 'AnalysisRun' },
  { group: 'monitoring.coreos.com', kind: 'PodMonitor' },
  { group: 'monitoring.coreos.com', kind: 'PrometheusRule' },
  { group: 'keda.sh', kind: 'ScaledObject' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' },
  { group: 'policy', kind: 'PodDisruptionBudget' },
  { group: '', kind: 'ConfigMap' },
];

export interface ArgoCdChartProps {
  readonly platform: ResolvedPlatform;
  readonly env: ResolvedEnvironment;
}

/**
 * `generated/<env>/_argocd/`, synced by the environment's root Application: an
 * AppProject per team and one for the platform, the platform Application and
 * one Application per model. The root Application itself and its project are
 * in the bootstrap folder (`BootstrapChart`), so no prune can remove them.
 * Every object is in Argo CD's namespace and carries the managed-by label:
 * both are set here, once.
 */
export class ArgoCdChart extends Chart {
  constructor(scope: Construct, id: string, { platform, env }: ArgoCdChartProps) {
    super(scope, id, { disableResourceNameHashes: true, namespace: platform.argocdNamespace, labels: { ...MANAGED_BY } });
    new ApiObject(this, 'platform-project', { ...platformProjectManifest(platform, env) });
    new ApiObject(this, 'platform-app', applicationManifest(platform, env, {
      name: env.argocd.platformApplication,
      project: env.argocd.platformProject,
      path: env.argocd.platformPath,
      server: env.cluster,
      wave: SyncWave.clusterScoped,
      labels: { 'modelplane.io/component': 'platform' },
    }));
    for (const team of env.teams) new ApiObject(this, `project-${team.name}`, { ...teamProjectManifest(platform, env, team) });
    for (const model of env.models) new ApiObject(this, `app-${model.id}`, modelApplicationManifest(platform, env, model));
  }
}

/** Kinds the bootstrap project lets its Applications create in Argo CD's namespace. */
export const BOOTSTRAP_RESOURCE_KINDS: readonly { group: string; kind: string }[] = [
  { group: 'argoproj.io', kind: 'Application' },
  { group: 'argoproj.io', kind: 'AppProject' },
  { group: '', kind: 'ConfigMap' },
];

/**
 * `generated/_bootstrap/`, applied once by hand (`kubectl apply -n argocd -f
 * generated/_bootstrap/`): the bootstrap AppProject, which no Application
 * syncs, the Application of the shared Argo CD configuration and one root
 * Application per environment, all in that project. Nothing here depends on
 * an object that only an Application creates.
 */
export class BootstrapChart extends Chart {
  constructor(scope: Construct, id: string, { platform }: { platform: ResolvedPlatform }) {
    super(scope, id, { disableResourceNameHashes: true, namespace: platform.argocdNamespace, labels: { ...MANAGED_BY } });
    new ApiObject(this, 'project', { ...bootstrapProjectManifest(platform) });
    new ApiObject(this, 'shared', bootstrapApplicationManifest(platform, {
      name: platform.argocd.sharedApplication,
      path: platform.argocd.sharedPath,
      labels: { 'modelplane.io/component': 'argocd' },
    }));
    for (const env of platform.environments)
      new ApiObject(this, `root-${env.name}`, bootstrapApplicationManifest(platform, {
        name: env.argocd.rootApplication,
        path: env.argocd.rootPath,
        labels: { 'modelplane.io/component': 'root', 'modelplane.io/environment': env.name },
      }));
  }
}

/**
 * `generated/_argocd/`: what exists once per Argo CD, whatever the number of
 * environments: the health customizations in `argocd-cm` and the
 * notifications ConfigMap.
 */
export class ArgoCdSharedChart extends Chart {
  constructor(scope: Construct, id: string, { platform }: { platform: ResolvedPlatform }) {
    super(scope, id, { disableResourceNameHashes: true, namespace: platform.argocdNamespace, labels: { ...MANAGED_BY } });
    new ApiObject(this, 'argocd-cm', { ...argocdConfigManifest(platform) });
    new NotificationsConfig(this, 'notifications', { platform });
  }
}

function bootstrapProjectManifest(platform: ResolvedPlatform): IAppProject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: platform.argocd.bootstrapProject },
    spec: {
      description: 'modelplane bootstrap: the root Applications and the shared Argo CD configuration (applied by hand, synced by nobody)',
      sourceRepos: [platform.repoURL],
      destinations: [{ server: IN_CLUSTER, namespace: platform.argocdNamespace }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: BOOTSTRAP_RESOURCE_KINDS.map((k) => ({ ...k })),
    },
  };
}

function bootstrapApplicationManifest(platform: ResolvedPlatform, o: { name: string; path: string; labels: Record<string, string> }): IApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: o.name, labels: o.labels, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    spec: {
      project: platform.argocd.bootstrapProject,
      source: { repoURL: platform.repoURL, targetRevision: platform.targetRevision, path: o.path },
      destination: { server: IN_CLUSTER, namespace: platform.argocdNamespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['ApplyOutOfSyncOnly=true', 'PruneLast=true'],
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
      },
    },
  };
}

/** The cluster Argo CD runs in. */
const IN_CLUSTER = 'https://kubernetes.default.svc';

/** The platform's AppProject; namespace and managed-by come from the chart. */
function platformProjectManifest(platform: ResolvedPlatform, env: ResolvedEnvironment): IAppProject {
  const ns = platform.argocdNamespace;
  return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: env.argocd.platformProject, labels: { 'modelplane.io/environment': env.name }, annotations: syncWave(SyncWave.projects) },
      spec: {
        description: `modelplane platform objects in ${env.name}`,
        sourceRepos: [platform.repoURL],
        destinations: [
          { server: env.cluster, namespace: '*' },
          { server: IN_CLUSTER, namespace: ns },
        ],
        clusterResourceWhitelist: [
          { group: '', kind: 'Namespace' },
          { group: 'scheduling.k8s.io', kind: 'PriorityClass' },
        ],
      },
  };
}

/** A team's AppProject; namespace and managed-by come from the chart. */
function teamProjectManifest(platform: ResolvedPlatform, env: ResolvedEnvironment, team: ResolvedTeam): IAppProject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: {
      name: team.project,
      labels: { 'modelplane.io/team': team.name, 'modelplane.io/environment': env.name },
      annotations: syncWave(SyncWave.projects),
    },
    spec: {
      description: `models of team '${team.name}' in ${env.name} (${team.github})`,
      sourceRepos: [platform.repoURL],
      destinations: [{ server: env.cluster, namespace: team.namespace }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: TEAM_RESOURCE_KINDS.map((k) => ({ ...k })),
    },
  };
}

export function modelApplicationManifest(platform: ResolvedPlatform, env: ResolvedEnvironment, model: ResolvedModel): IApplication {
  return applicationManifest(platform, env, {
    name: model.application,
    project: model.project,
    path: model.generatedPath,
    server: env.cluster,
    namespace: model.namespace,
    wave: SyncWave.workloads,
    labels: { 'modelplane.io/model': model.id, 'modelplane.io/owner': model.owner, 'modelplane.io/tier': model.tier.name },
    annotations: {
      [`notifications.argoproj.io/subscribe.${ANALYSIS_TRIGGER}.github`]: '',
      // The trigger fires on this run only, not on the previous step's (pruned last).
      ...(model.canary ? { [ANALYSIS_RUN_ANNOTATION]: model.canary.analysisRun } : {}),
    },
  });
}

interface ApplicationOptions {
  readonly name: string;
  readonly project: string;
  readonly path: string;
  readonly server: string;
  readonly namespace?: string;
  readonly wave: number;
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** An Application; namespace and managed-by come from the chart. */
function applicationManifest(platform: ResolvedPlatform, env: ResolvedEnvironment, o: ApplicationOptions): IApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: o.name,
      labels: { 'modelplane.io/environment': env.name, ...o.labels },
      annotations: { ...syncWave(o.wave), ...o.annotations },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: o.project,
      source: { repoURL: platform.repoURL, targetRevision: platform.targetRevision, path: o.path },
      destination: { server: o.server, ...(o.namespace ? { namespace: o.namespace } : {}) },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['ApplyOutOfSyncOnly=true', 'PruneLast=true'],
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
      },
    },
  };
}
