import type {
  DeploymentDefinition,
  ModelDefinition,
  NodePoolDefinition,
  PlatformDefinition,
  RolloutPolicyDefinition,
  VersionDefinition,
} from '../definitions/index.js';
import { BUILT_IN_CHECKS } from '../metrics/built-in.js';
import type { Definitions, Loaded } from '../load/index.js';
import { durationSeconds } from './duration.js';
import * as names from './names.js';
import { canaryReplicas, stableReplicas, type SizingInput } from './sizing.js';
import { measurementsNeeded } from '../metrics/detection.js';
import { runtimeExporters } from '../metrics/series.js';
import { podCharge, resolveRuntime, resolveServingPlatform, runtimeAnnotations, sidecarAnnotations, surgeOf, topologySpread } from './serving.js';
import type { ScalingBehavior } from './simulate.js';
import type {
  ResolvedAnalysisTiming,
  ResolvedEnvironment,
  ResolvedMetricSources,
  ResolvedModel,
  ResolvedPlatform,
  ResolvedPolicy,
  ResolvedPool,
  ResolvedRollbackPath,
  ResolvedAutoscaling,
  ResolvedRuntime,
  ResolvedServingPlatform,
  ResolvedServer,
  ResolvedTeam,
  ResolvedTier,
  Resources,
  ServerRole,
} from './types.js';

/** The extended resource GPUs are requested as when a pool names none. */
export const DEFAULT_GPU_RESOURCE = 'nvidia.com/gpu';

/**
 * What comes before a model container starts (scheduling, image pull, artifact
 * download) fits in 15 minutes: each InferenceService's Argo CD progress
 * deadline is this plus its startup and readiness probe budgets (and this alone
 * for an InferenceService without the annotation). Past it the health is
 * Degraded, and a sync fails instead of waiting forever on Pending GPU pods.
 */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 900;

/** Worst-case seconds from a regression's start to traffic on stable, on strict tiers and on the others. */
export const DEFAULT_STRICT_ROLLBACK_OBJECTIVE_SECONDS = 180;
export const DEFAULT_ROLLBACK_OBJECTIVE_SECONDS = 900;

/** What the platform's Prometheus selects monitoring objects by (README: its podMonitorSelector and ruleSelector). */
export const DEFAULT_MONITOR_SELECTOR_LABELS: Readonly<Record<string, string>> = { prometheus: 'modelplane' };

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sortedKeys = (o: object | undefined) => Object.keys(o ?? {}).sort();

/**
 * Definitions → resolved platform. Pure. Expects definitions that passed
 * validation; a reference that cannot be followed is a compiler bug here.
 */
export function resolvePlatform(definitions: Definitions): ResolvedPlatform {
  const platform = definitions.platform?.value;
  if (!platform) throw new Error('resolvePlatform: no platform definition (validation should have stopped this)');
  const policies = new Map(definitions.policies.map((p) => [p.value.name, p.value]));
  const models = [...definitions.models].sort((a, b) => (a.value.id < b.value.id ? -1 : 1));
  const serving = resolveServingPlatform(platform);
  return {
    repoURL: platform.repoURL,
    targetRevision: platform.targetRevision ?? 'main',
    argocdNamespace: platform.argocdNamespace ?? 'argocd',
    argocd: {
      bootstrapProject: names.BOOTSTRAP_PROJECT,
      bootstrapPath: names.BOOTSTRAP_DIR,
      sharedApplication: names.SHARED_ARGOCD_APPLICATION,
      sharedPath: names.SHARED_ARGOCD_DIR,
      defaultProgressDeadlineSeconds: platform.argocd?.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS,
    },
    platformTeamGithub: platform.platformTeam.github,
    deploymentMode: platform.deploymentMode ?? 'Standard',
    serviceAccountAnnotation: platform.serviceAccountAnnotation ?? 'eks.amazonaws.com/role-arn',
    serving,
    metricSources: resolveMetricSources(platform),
    monitorSelectorLabels: { ...(platform.metricSources.prometheus.selectorLabels ?? DEFAULT_MONITOR_SELECTOR_LABELS) },
    rollbackPath: resolveRollbackPath(platform),
    githubRepository: githubRepository(platform.repoURL) ?? 'OWNER/REPOSITORY',
    ...(platform.promoter
      ? { promoter: { image: platform.promoter.image, namespace: platform.promoter.namespace ?? 'modelplane-system', credentialsSecret: platform.promoter.credentialsSecret ?? 'modelplane-promoter-github' } }
      : {}),
    policies: [...definitions.policies].map((p) => resolvePolicy(p, platform)).sort(byName),
    environments: sortedKeys(platform.environments).map((env) => resolveEnvironment(platform, serving, policies, definitions.policies, models, env)),
    modelFiles: models.map((m) => ({ modelId: m.value.id, file: m.file, github: platform.teams[m.value.owner]?.github ?? platform.platformTeam.github })),
  };
}

function resolveMetricSources(platform: PlatformDefinition): ResolvedMetricSources {
  const m = platform.metricSources;
  return {
    prometheus: { address: m.prometheus.address, timeoutSeconds: m.prometheus.timeoutSeconds ?? 30 },
    requests: { ...m.requests },
    gpuUtilization: m.gpuUtilization ?? 'DCGM_FI_DEV_GPU_UTIL',
    // No default: none of the platform runtimes exports such a histogram (their own series are in src/metrics/series.ts).
    modelServer: {
      ...(m.modelServer?.queueSecondsBucket ? { queueSecondsBucket: m.modelServer.queueSecondsBucket } : {}),
      ...(m.modelServer?.batchSizeBucket ? { batchSizeBucket: m.modelServer.batchSizeBucket } : {}),
    },
  };
}

/** `owner/name` of a GitHub repository URL, if it is one. */
export function githubRepository(repoURL: string): string | undefined {
  const match = /github\.com[:/]([^/]+)\/([^/]+?)(\.git)?\/?$/.exec(repoURL);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

export function resolveRollbackPath(platform: PlatformDefinition): ResolvedRollbackPath {
  const r = platform.rollbackPath ?? {};
  return {
    promoterReactionSeconds: r.promoterReactionSeconds ?? 5,
    checkSeconds: r.checkSeconds ?? 30,
    mergeSeconds: r.mergeSeconds ?? 10,
    refreshSeconds: r.refreshSeconds ?? 5,
    syncSeconds: r.syncSeconds ?? 30,
    scrapeSeconds: r.scrapeSeconds ?? 15,
  };
}

/**
 * Analysis timing of every tier under a policy: the tier's overrides over the
 * policy's settings; measurements per step as declared, else enough that no
 * regression starting during the step passes it (`measurementsNeeded`).
 */
function resolveAnalysisTimings(p: RolloutPolicyDefinition, platform: PlatformDefinition): Record<string, ResolvedAnalysisTiming> {
  const scrape = resolveRollbackPath(platform).scrapeSeconds;
  return Object.fromEntries(
    sortedKeys(platform.tiers).map((tier) => {
      const o = p.analysis.tiers?.[tier] ?? {};
      const interval = o.interval ?? p.analysis.interval;
      const window = o.window ?? p.analysis.window ?? '5m';
      const failureLimit = o.failureLimit ?? p.analysis.failureLimit;
      const intervalSeconds = durationSeconds(interval);
      const windowSeconds = durationSeconds(window);
      // A declared count belongs to the policy's own interval; a tier with its own interval gets derived counts.
      const declared = o.interval === undefined ? p.analysis.count : undefined;
      const counts = p.steps.map((s) => declared ?? measurementsNeeded(durationSeconds(s.pause), { intervalSeconds, windowSeconds, failureLimit }, scrape));
      const timing: ResolvedAnalysisTiming = { interval, intervalSeconds, window, windowSeconds, failureLimit, initialDelaySeconds: intervalSeconds, counts, declaredCount: declared !== undefined };
      return [tier, timing];
    }),
  );
}

export function resolvePolicy(loaded: Loaded<RolloutPolicyDefinition>, platform: PlatformDefinition): ResolvedPolicy {
  const p = loaded.value;
  return {
    name: p.name,
    file: loaded.file,
    steps: p.steps.map((s) => ({ weight: s.weight, pause: s.pause, pauseSeconds: durationSeconds(s.pause) })),
    analysis: {
      interval: p.analysis.interval,
      intervalSeconds: durationSeconds(p.analysis.interval),
      count: p.analysis.count,
      failureLimit: p.analysis.failureLimit,
      metrics: [...(p.analysis.metrics ?? BUILT_IN_CHECKS)],
      maxErrorRatio: p.analysis.maxErrorRatio ?? 0.01,
      maxLatencyRatio: p.analysis.maxLatencyRatio ?? 1.5,
      minRequests: p.analysis.minRequests ?? 50,
      window: p.analysis.window ?? '5m',
      quality: [...(p.analysis.quality ?? [])],
    },
    tiers: resolveAnalysisTimings(p, platform),
    offlineGates: { ...(p.gates?.offline ?? {}) },
    requireApproval: p.gates?.requireApproval ?? true,
    keepPreviousFor: p.keepPreviousFor ?? '1h',
    keepPreviousForSeconds: durationSeconds(p.keepPreviousFor ?? '1h'),
    environments: [...(p.environments ?? [])],
  };
}

/** The policy `release` uses in an environment: the environment's default, else the first policy that lists it. */
export function defaultPolicyFor(platform: PlatformDefinition, policies: readonly Loaded<RolloutPolicyDefinition>[], env: string): string | undefined {
  return platform.environments[env]?.defaultPolicy ?? [...policies].map((p) => p.value).sort((a, b) => (a.name < b.name ? -1 : 1)).find((p) => p.environments?.includes(env))?.name;
}

function resolveEnvironment(
  platform: PlatformDefinition,
  serving: ResolvedServingPlatform,
  policies: ReadonlyMap<string, RolloutPolicyDefinition>,
  policyFiles: readonly Loaded<RolloutPolicyDefinition>[],
  models: readonly Loaded<ModelDefinition>[],
  env: string,
): ResolvedEnvironment {
  const definition = platform.environments[env];
  const tiers = sortedKeys(platform.tiers).map((name) => resolveTier(platform, name, env));
  const pools = sortedKeys(platform.nodePools).map((name) => resolvePool(platform.nodePools[name], name, env));
  const runtimes = sortedKeys(platform.runtimes).map((name) => resolveRuntime(name, platform.runtimes[name]));
  const context = { platform, serving, policies, env, tiers, pools, runtimes, defaultPolicy: defaultPolicyFor(platform, policyFiles, env) };
  const resolvedModels = models.filter((m) => m.value.deploy[env]).map((m) => resolveModel(context, m));
  const gpuResourceNames = [...new Set(pools.flatMap((p) => (p.gpu ? [p.gpu.resourceName] : [])))].sort();
  const teams = sortedKeys(platform.teams).map((name) => resolveTeam(platform, serving, name, env, resolvedModels, gpuResourceNames));
  return {
    name: env,
    production: definition.production,
    cluster: definition.cluster,
    gateway: { ...definition.gateway },
    defaultPolicy: defaultPolicyFor(platform, policyFiles, env),
    rollbackDelivery: definition.rollbackDelivery ?? 'pull-request',
    argocd: {
      rootApplication: names.rootApplicationName(env),
      platformApplication: names.platformApplicationName(env),
      platformProject: names.platformProjectName(env),
      rootPath: `${names.generatedDir(env)}/_argocd`,
      platformPath: `${names.generatedDir(env)}/_platform`,
    },
    teams,
    tiers,
    pools,
    runtimes,
    models: resolvedModels,
  };
}

function perEnv(values: Readonly<Record<string, number>> | undefined, env: string, fallback: number): number {
  return values?.[env] ?? values?.['*'] ?? fallback;
}

function resolveTier(platform: PlatformDefinition, name: string, env: string): ResolvedTier {
  const t = platform.tiers[name];
  return {
    name,
    priorityClassName: names.priorityClassName(name),
    priority: t.priority,
    preempting: t.preempting ?? t.priority >= 1_000_000,
    p99BudgetMs: t.p99BudgetMs,
    availability: t.availability,
    minReplicas: perEnv(t.minReplicas, env, 1),
    headroom: t.headroom ?? 1.3,
    batching: t.batching ?? true,
    strict: t.strict ?? false,
    rollbackObjectiveSeconds: t.rollbackObjectiveSeconds ?? ((t.strict ?? false) ? DEFAULT_STRICT_ROLLBACK_OBJECTIVE_SECONDS : DEFAULT_ROLLBACK_OBJECTIVE_SECONDS),
  };
}

function resolvePool(p: NodePoolDefinition, name: string, env: string): ResolvedPool {
  return {
    name,
    kind: p.kind,
    nodes: p.nodes[env] ?? 0,
    nodeSelector: { ...p.nodeSelector },
    taints: [...(p.taints ?? [])],
    gpu: p.gpu && { model: p.gpu.model, memoryGiB: p.gpu.memoryGiB, perNode: p.gpu.perNode, resourceName: p.gpu.resourceName ?? DEFAULT_GPU_RESOURCE },
    gpuResourceName: p.gpu?.resourceName ?? DEFAULT_GPU_RESOURCE,
    cpuPerNode: p.cpuPerNode,
    memoryGiBPerNode: p.memoryGiBPerNode,
    hourlyPriceUsd: p.hourlyPriceUsd,
    zones: [...(p.zones ?? [])].sort(),
  };
}

function resolveTeam(platform: PlatformDefinition, serving: ResolvedServingPlatform, name: string, env: string, models: readonly ResolvedModel[], gpuResourceNames: readonly string[]): ResolvedTeam {
  const t = platform.teams[name];
  const declared = t.quota?.[env];
  const needed = quotaNeeded(models.filter((m) => m.owner === name).flatMap((m) => m.servers));
  const quota: Resources = {
    cpu: declared?.cpu ?? Math.ceil(needed.limits.cpu - 1e-9),
    memoryGiB: declared?.memoryGiB ?? Math.ceil(needed.limits.memoryGiB - 1e-9),
    gpus: declared?.gpus ?? needed.limits.gpus,
  };
  return {
    name,
    namespace: names.teamNamespace(name, env),
    serviceAccount: names.teamServiceAccount(name),
    identity: t.identity?.[env],
    github: t.github,
    project: names.teamProjectName(name, env),
    quotaName: names.teamQuotaName(name),
    quota,
    // A declared quota is one number per resource: requests get the same.
    quotaRequests: {
      cpu: declared?.cpu ?? Math.ceil(needed.requests.cpu - 1e-9),
      memoryGiB: declared?.memoryGiB ?? Math.ceil(needed.requests.memoryGiB - 1e-9),
    },
    quotaNeeded: needed,
    namespaceLabels: namespaceLabels(serving),
    gpuResourceNames,
  };
}

/** What the servers need at maximum replicas plus a rolling update's surge, every container of a pod counted. */
export function quotaNeeded(servers: readonly ResolvedServer[]): ResolvedTeam['quotaNeeded'] {
  const sum = (f: (s: ResolvedServer) => number) => servers.reduce((total, s) => total + (s.replicas.max + s.surge) * f(s), 0);
  return {
    requests: { cpu: sum((s) => s.podCharge.requests.cpu), memoryGiB: sum((s) => s.podCharge.requests.memoryGiB) },
    limits: { cpu: sum((s) => s.podCharge.limits.cpu), memoryGiB: sum((s) => s.podCharge.limits.memoryGiB), gpus: sum((s) => s.podCharge.gpus) },
  };
}

/** Istio injection and the Pod Security levels of a model namespace. */
function namespaceLabels(serving: ResolvedServingPlatform): Record<string, string> {
  const { podSecurity } = serving;
  return {
    'istio-injection': serving.mesh.istio ? 'enabled' : 'disabled',
    'pod-security.kubernetes.io/enforce': podSecurity.enforce,
    'pod-security.kubernetes.io/warn': podSecurity.warn,
    'pod-security.kubernetes.io/audit': podSecurity.audit,
  };
}

interface Context {
  readonly platform: PlatformDefinition;
  readonly serving: ResolvedServingPlatform;
  readonly policies: ReadonlyMap<string, RolloutPolicyDefinition>;
  readonly env: string;
  readonly tiers: readonly ResolvedTier[];
  readonly pools: readonly ResolvedPool[];
  readonly runtimes: readonly ResolvedRuntime[];
  readonly defaultPolicy?: string;
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`resolve: ${what} not found (validation should have reported it)`);
  return value;
}

function resolveModel(context: Context, loaded: Loaded<ModelDefinition>): ResolvedModel {
  return retire(resolveServing(context, loaded), loaded.value.deploy[context.env].retired);
}

/** A retired deployment keeps its servers without traffic and has no route. */
function retire(model: ResolvedModel, retired: DeploymentDefinition['retired']): ResolvedModel {
  if (!retired) return model;
  return { ...model, servers: model.servers.map((s) => ({ ...s, weight: 0 })), retired: { since: typeof retired === 'object' ? retired.since : '' } };
}

function resolveServing(context: Context, loaded: Loaded<ModelDefinition>): ResolvedModel {
  const { env, platform } = context;
  const model = loaded.value;
  const deployment = model.deploy[env];
  const tier = must(context.tiers.find((t) => t.name === model.tier), `tier ${model.tier}`);
  const pool = must(context.pools.find((p) => p.name === deployment.pool), `pool ${deployment.pool}`);
  const namespace = names.teamNamespace(model.owner, env);

  const canary = deployment.canary && (() => {
    const policy = must(context.policies.get(deployment.canary.policy), `policy ${deployment.canary.policy}`);
    const weight = must(policy.steps[deployment.canary.step], `step ${deployment.canary.step}`).weight;
    const next = policy.steps[deployment.canary.step + 1]?.weight ?? 100;
    return { version: deployment.canary.version, policy: policy.name, step: deployment.canary.step, weight, next, analysisRun: names.analysisRunName(model.id, deployment.canary.version, deployment.canary.step) };
  })();
  const tenants = sortedKeys(deployment.tenants).map((tenant) => ({ tenant, version: deployment.tenants![tenant] }));

  // Live versions and their roles, in a fixed order.
  const roles = new Map<string, ServerRole[]>();
  const add = (version: string, role: ServerRole) => roles.set(version, [...(roles.get(version) ?? []), role]);
  add(deployment.version, 'stable');
  if (canary) add(canary.version, 'canary');
  for (const t of tenants) if (!roles.get(t.version)?.includes('tenant')) add(t.version, 'tenant');
  if (deployment.previous) add(deployment.previous.version, 'previous');

  const stableMin = stableReplicas(sizingFor(model, deployment, tier, deployment.version)).min;
  const servers = [...roles.entries()].map(([version, versionRoles]): ResolvedServer => {
    const versionIndex = model.versions.findIndex((x) => x.version === version);
    const v = must(model.versions[versionIndex], `version ${version}`);
    const sizing = sizingFor(model, deployment, tier, version);
    let replicas = stableReplicas(sizing);
    if (versionRoles.includes('canary') && !versionRoles.includes('stable') && canary) {
      replicas = canaryReplicas(sizing, canary.weight, canary.next, stableMin);
    } else if (!versionRoles.includes('stable') && !versionRoles.includes('previous')) {
      replicas = stableReplicas({ ...sizing, peakRps: undefined });
    }
    if (deployment.replicas && versionRoles.includes('stable')) replicas = { ...deployment.replicas };
    const runtime = runtimeFor(context, v);
    const resources = resourcesFor(platform.nodePools[pool.name], pool, deployment, v);
    const logger = loggerFor(platform, model, deployment);
    const probes = probesFor(model.id, runtime, v, pool);
    const weight = versionRoles.includes('canary') ? canary!.weight : versionRoles.includes('stable') ? 100 - (canary?.weight ?? 0) : 0;
    return {
      name: names.inferenceServiceName(model.id, version),
      predictorName: names.predictorName(model.id, version),
      versionIndex,
      namespace,
      version,
      roles: versionRoles,
      weight,
      format: v.format,
      runtime,
      storageUri: v.artifact.uri,
      artifactSha256: v.artifact.sha256,
      features: { ...v.features },
      lineage: { ...v.lineage },
      profile: { ...v.profile },
      resources,
      replicas,
      priorityClassName: tier.priorityClassName,
      serviceAccountName: names.teamServiceAccount(model.owner),
      batching: deployment.batching && { ...deployment.batching },
      autoscaling: autoscalingFor(platform, pool, v, replicas, names.predictorName(model.id, version)),
      probes,
      exporters: [...runtimeExporters(runtime.kind, GENERATIVE_TASKS.has(model.taskType) && runtime.openai), ...(context.serving.mesh.istio ? ['istio-proxy' as const] : [])],
      progressDeadlineSeconds: progressDeadlineSeconds(platform, probes),
      logger,
      runtimeAnnotations: runtimeAnnotations(runtime, model.id, resources),
      podAnnotations: sidecarAnnotations(context.serving),
      podCharge: podCharge(context.serving, resources, logger !== undefined),
      surge: surgeOf(context.serving, replicas.max),
      disruptionBudget: replicas.min >= 2 ? { name: names.predictorName(model.id, version), maxUnavailable: 1 } : undefined,
      topologySpread: topologySpread(pool),
    };
  });

  return {
    id: model.id,
    env,
    file: loaded.file,
    owner: model.owner,
    ownerGithub: platform.teams[model.owner]?.github ?? platform.platformTeam.github,
    taskType: model.taskType,
    description: model.description ?? '',
    tier,
    dataClass: model.dataClass,
    namespace,
    project: names.teamProjectName(model.owner, env),
    application: names.modelApplicationName(model.id, env),
    route: names.routeName(model.id),
    generatedPath: names.modelGeneratedDir(model.id, env),
    dashboard: names.dashboardNames(model.id, env),
    ruleGroups: names.ruleGroupNames(model.id),
    workloads: { stable: names.predictorName(model.id, deployment.version), canary: canary && names.predictorName(model.id, canary.version) },
    analysisTemplates: [...context.policies.values()]
      .filter((p) => (p.name === context.defaultPolicy || p.name === canary?.policy) && p.steps.length > 0)
      .map((p) => ({ policy: p.name, name: names.analysisTemplateName(model.id, p.name) }))
      .sort((a, b) => (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0)),
    pool,
    stable: deployment.version,
    canary: canary && { version: canary.version, policy: canary.policy, step: canary.step, weight: canary.weight, analysisRun: canary.analysisRun },
    previous: deployment.previous && { ...deployment.previous },
    tenants,
    peakRps: deployment.traffic?.peakRps,
    ramp: deployment.traffic && {
      peakRps: deployment.traffic.peakRps,
      rampSeconds: deployment.traffic.rampSeconds ?? platform.tiers[model.tier]?.rampSeconds ?? 60,
      baselineRps: deployment.traffic.baselineRps ?? 0.3 * deployment.traffic.peakRps,
    },
    quality: [...(model.quality ?? [])],
    servers,
    ...routePaths(model, servers),
  };
}

/** Task types whose models generate text: their route carries the OpenAI-compatible API. */
const GENERATIVE_TASKS = new Set(['llm', 'text-generation', 'chat', 'text2text-generation']);

/**
 * Paths of a model's route: KServe v1 paths where a live version serves v1,
 * v2 where one serves v2, and for a generative model on a runtime with the
 * OpenAI API its completions, chat, models (and, for embedding tasks,
 * embeddings) paths under the per-model prefix the runtime sets.
 */
function routePaths(model: ModelDefinition, servers: readonly ResolvedServer[]): Pick<ResolvedModel, 'paths' | 'openaiPrefix'> {
  const id = model.id;
  const protocols = new Set(servers.flatMap((s) => s.runtime.protocols));
  const paths: ResolvedModel['paths'][number][] = [
    ...(protocols.has('v1')
      ? [
          { type: 'Exact' as const, value: `/v1/models/${id}:predict` },
          { type: 'Exact' as const, value: `/v1/models/${id}:explain` },
          { type: 'Exact' as const, value: `/v1/models/${id}` },
        ]
      : []),
    ...(protocols.has('v2') ? [{ type: 'PathPrefix' as const, value: `/v2/models/${id}` }] : []),
  ];
  const generative = GENERATIVE_TASKS.has(model.taskType) || model.taskType === 'embeddings';
  if (!generative || !servers.every((s) => s.runtime.openai)) return { paths };
  const prefix = `/openai/${id}`;
  const openai = [
    ...(model.taskType === 'embeddings' ? ['/v1/embeddings'] : ['/v1/completions', '/v1/chat/completions']),
    '/v1/models',
    `/v1/models/${id}`,
  ].map((p) => ({ type: 'Exact' as const, value: `${prefix}${p}` }));
  return { paths: [...paths, ...openai], openaiPrefix: prefix };
}

function sizingFor(model: ModelDefinition, deployment: DeploymentDefinition, tier: ResolvedTier, version: string): SizingInput {
  const v = must(model.versions.find((x) => x.version === version), `version ${version}`);
  return { peakRps: deployment.traffic?.peakRps, maxRpsPerReplica: v.profile.maxRpsPerReplica, headroom: tier.headroom, tierMinimum: tier.minReplicas };
}

function runtimeFor(context: Context, v: VersionDefinition): ResolvedRuntime {
  if (v.runtime) return must(context.runtimes.find((r) => r.name === v.runtime), `runtime ${v.runtime}`);
  return must(context.runtimes.find((r) => r.formats.includes(v.format)), `runtime for format ${v.format}`);
}

/** GPUs: declared, else enough GPUs to hold `profile.gpuMemoryGiB`, else 1 on GPU pools. */
export function resourcesFor(definition: NodePoolDefinition, pool: ResolvedPool, deployment: DeploymentDefinition, v: VersionDefinition): Resources {
  const defaults = definition.defaultResources ?? {};
  if (pool.kind === 'gpu') {
    const fromMemory = v.profile.gpuMemoryGiB && pool.gpu ? Math.ceil(v.profile.gpuMemoryGiB / pool.gpu.memoryGiB - 1e-9) : undefined;
    const gpus = deployment.resources?.gpus ?? fromMemory ?? defaults.gpus ?? 1;
    return {
      cpu: deployment.resources?.cpu ?? defaults.cpu ?? 4 * Math.max(gpus, 1),
      memoryGiB: deployment.resources?.memoryGiB ?? defaults.memoryGiB ?? 16 * Math.max(gpus, 1),
      gpus,
    };
  }
  return {
    cpu: deployment.resources?.cpu ?? defaults.cpu ?? 1,
    memoryGiB: deployment.resources?.memoryGiB ?? defaults.memoryGiB ?? 2,
    gpus: 0,
  };
}

/**
 * Autoscaler settings of one version: scale up fast, scale down slowly, never
 * below the warm pool. The behaviour is emitted as is (our HPA, or the HPA KEDA
 * creates) and `simulate` runs the same object.
 */
export function autoscalingFor(platform: PlatformDefinition, pool: ResolvedPool, v: VersionDefinition, replicas: { min: number; max: number }, predictor: string): ResolvedAutoscaling {
  const a = platform.autoscaling ?? {};
  const targetUtilization = a.targetUtilization ?? 0.7;
  const syncPeriodSeconds = a.syncPeriodSeconds ?? 15;
  const scaleDownStabilizationSeconds = Math.max(300, 3 * Math.ceil(v.profile.warmupSeconds));
  const behavior: ScalingBehavior = {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Percent', value: 100, periodSeconds: syncPeriodSeconds },
        { type: 'Pods', value: a.scaleUpPods ?? 4, periodSeconds: syncPeriodSeconds },
      ],
    },
    scaleDown: { stabilizationWindowSeconds: scaleDownStabilizationSeconds, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
  };
  const kind = pool.kind === 'gpu' ? 'keda' : 'hpa';
  const targetRpsPerReplica = Math.max(1, Math.floor(v.profile.maxRpsPerReplica * targetUtilization * 100) / 100);
  const targetCpuUtilizationPercent = Math.round(targetUtilization * 100);
  return {
    kind,
    // KEDA names its HPA keda-hpa-<scaledobject>. Ours must not be named <isvc>-predictor: KServe's HPA
    // reconciler owns that name even under autoscalerClass external, takes the HPA over and deletes it
    // (seen in the cluster suite with Argo CD; KServe v0.20 hpa_reconciler).
    hpaName: kind === 'keda' ? `keda-hpa-${predictor}` : `${predictor}-autoscaler`,
    model: {
      min: replicas.min,
      max: replicas.max,
      maxRpsPerReplica: v.profile.maxRpsPerReplica,
      warmupSeconds: v.profile.warmupSeconds,
      metric: kind === 'keda' ? { kind: 'rps-per-replica', targetRps: targetRpsPerReplica } : { kind: 'cpu-utilization', targetUtilization: targetCpuUtilizationPercent / 100 },
      syncPeriodSeconds,
      metricLagSeconds: a.metricLagSeconds ?? 30,
      tolerance: 0.1,
      behavior,
    },
    behavior,
    scaleDownStabilizationSeconds,
    targetRpsPerReplica,
    targetCpuUtilizationPercent,
    // Prometheus unreachable: hold at least the warm pool, never scale down during the outage.
    fallback: kind === 'keda' ? { failureThreshold: 3, replicas: replicas.min, behavior: 'currentReplicasIfHigher' } : undefined,
  };
}

/**
 * Startup and readiness on the model's own endpoint (v1, else v2), in the
 * protocol the runtime serves. The startup probe allows 1.5 × the load time +
 * 30 s, the load time being the larger of the declared warmup and cold load,
 * so the kubelet never restarts a pod that is still loading what it declared
 * (no declared time is refused: the probe widens with it). Liveness on the
 * server's own endpoint, patient enough that a loaded GPU pod that is merely
 * slow is not restarted (3 minutes of silence on GPU pools, 2 on CPU).
 */
function probesFor(modelId: string, runtime: ResolvedRuntime, v: VersionDefinition, pool: ResolvedPool): ResolvedServer['probes'] {
  const periodSeconds = 5;
  const path = runtime.protocols.includes('v1') ? `/v1/models/${modelId}` : `/v2/models/${modelId}/ready`;
  const loadSeconds = Math.max(v.profile.warmupSeconds, v.profile.coldLoadSeconds ?? 0);
  return {
    path,
    livenessPath: runtime.livenessPath,
    port: 8080,
    startup: { periodSeconds, failureThreshold: Math.ceil((1.5 * loadSeconds + 30) / periodSeconds), timeoutSeconds: 2 },
    readiness: { periodSeconds, failureThreshold: 3, timeoutSeconds: 2 },
    liveness: { periodSeconds: 20, failureThreshold: pool.kind === 'gpu' ? 9 : 6, timeoutSeconds: 10 },
    loadSeconds,
  };
}

/** Seconds a probe allows before it fails for good (no initial delay is emitted). */
export const probeBudgetSeconds = (p: ResolvedServer['probes']['startup']) => p.failureThreshold * p.periodSeconds;

/**
 * The Argo CD progress deadline of one version: the platform's allowance for
 * what comes before the model container starts (scheduling, image pull,
 * artifact download; `argocd.progressDeadlineSeconds`), plus everything the
 * startup probe allows, plus one readiness window. A pod the kubelet still
 * lets load is never Degraded; one it has given up on is, one resync later.
 */
function progressDeadlineSeconds(platform: PlatformDefinition, probes: ResolvedServer['probes']): number {
  const beforeStart = platform.argocd?.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
  return beforeStart + probeBudgetSeconds(probes.startup) + probeBudgetSeconds(probes.readiness);
}

/**
 * Prediction logs by data class: `pii` models send only to the platform's
 * scrubbing sink, which keeps summaries (feature hash, output summary, latency,
 * model, version, request id) and drops payloads; others to the platform sink.
 */
function loggerFor(platform: PlatformDefinition, model: ModelDefinition, deployment: DeploymentDefinition): ResolvedServer['logger'] {
  const sinks = platform.logging;
  const mode = deployment.logging?.mode;
  if (!sinks || mode === 'none') return undefined;
  if (model.dataClass === 'pii') return { mode: 'all', url: sinks.scrubbingSink, summaryOnly: true };
  const m = mode === undefined || mode === 'summary' ? 'all' : mode;
  return { mode: m, url: deployment.logging?.url ?? sinks.sink, summaryOnly: mode === 'summary' };
}
