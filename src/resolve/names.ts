/**
 * Every Kubernetes name modelplane derives, in one place. Names are set
 * explicitly (an InferenceService name becomes a host name), never hashed.
 */

/** `4.2.0` → `v4-2-0`; `4.2.0-rc.1` → `v4-2-0-rc-1`. */
export function versionSlug(version: string): string {
  return `v${version.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.replace(/-+$/, '');
}

/** InferenceService of one model version: `fraud-detector-v4-2-0`. */
export function inferenceServiceName(modelId: string, version: string): string {
  return `${modelId}-${versionSlug(version)}`;
}

/** The Deployment (and Service) KServe creates for an InferenceService predictor in raw mode. */
export function predictorName(modelId: string, version: string): string {
  return `${inferenceServiceName(modelId, version)}-predictor`;
}

/** A team's namespace in an environment: `risk-prod`. */
export function teamNamespace(team: string, env: string): string {
  return `${team}-${env}`;
}

/** The ServiceAccount model servers of a team run as. */
export function teamServiceAccount(team: string): string {
  return `${team}-models`;
}

export function teamQuotaName(team: string): string {
  return `${team}-quota`;
}

export function priorityClassName(tier: string): string {
  return `modelplane-${tier}`;
}

/** Argo CD Application of one model in one environment: `fraud-detector-prod`. */
export function modelApplicationName(modelId: string, env: string): string {
  return `${modelId}-${env}`;
}

export function platformApplicationName(env: string): string {
  return `platform-${env}`;
}

export function rootApplicationName(env: string): string {
  return `modelplane-${env}`;
}

export function teamProjectName(team: string, env: string): string {
  return `${team}-${env}`;
}

export function platformProjectName(env: string): string {
  return `platform-${env}`;
}

/** The AppProject of the bootstrap Applications: created by the bootstrap apply, synced by nobody. */
export const BOOTSTRAP_PROJECT = 'modelplane-bootstrap';

/** The Application that syncs the Argo CD configuration shared by every environment. */
export const SHARED_ARGOCD_APPLICATION = 'modelplane-argocd';

/** Repository folder applied once by hand (`kubectl apply -f`): the bootstrap project and root Applications. */
export const BOOTSTRAP_DIR = 'generated/_bootstrap';

/** Repository folder of the Argo CD configuration emitted once per Argo CD (not per environment). */
export const SHARED_ARGOCD_DIR = 'generated/_argocd';

/** Repository folder of an environment's generated objects: `generated/prod`. */
export function generatedDir(env: string): string {
  return `generated/${env}`;
}

/** Repository folder of one model's generated objects in an environment. */
export function modelGeneratedDir(modelId: string, env: string): string {
  return `${generatedDir(env)}/${modelId}`;
}

/** The Grafana dashboard ConfigMap of a model, the file it holds and the dashboard's uid (Grafana allows 40 characters). */
export function dashboardNames(modelId: string, env: string): { configMap: string; file: string; uid: string } {
  return { configMap: `${modelId}-dashboard`, file: `${modelId}-${env}.json`, uid: `mp-${env}-${modelId}`.slice(0, 40) };
}

/** Rule groups of a model's PrometheusRule. */
export function ruleGroupNames(modelId: string): { recording: string; alerts: string } {
  return { recording: `modelplane.${modelId}.recording`, alerts: `modelplane.${modelId}.alerts` };
}

/** HTTPRoute of one model in one environment. */
export function routeName(modelId: string): string {
  return modelId;
}

/** AnalysisTemplate of a model under a rollout policy. */
export function analysisTemplateName(modelId: string, policy: string): string {
  return `${modelId}-${policy}`;
}

/** AnalysisRun of one canary step: unique per model, canary version and step. */
export function analysisRunName(modelId: string, canaryVersion: string, step: number): string {
  return `${inferenceServiceName(modelId, canaryVersion)}-s${step}`;
}

/** Every name derived from a model id and one of its versions, with what it names. */
export function derivedModelNames(modelId: string, version: string, env: string): { what: string; name: string }[] {
  return [
    { what: 'InferenceService', name: inferenceServiceName(modelId, version) },
    { what: 'predictor Deployment', name: predictorName(modelId, version) },
    { what: 'HTTPRoute', name: routeName(modelId) },
    { what: 'Argo CD Application', name: modelApplicationName(modelId, env) },
    { what: 'AnalysisRun', name: analysisRunName(modelId, version, 99) },
  ];
}

const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Whether a name is a DNS-1035 label of at most 63 characters. */
export function isDns1035Label(name: string): boolean {
  return name.length <= 63 && DNS_1035.test(name);
}
