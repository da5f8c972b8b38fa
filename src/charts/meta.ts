/** Labels and annotations shared by every object modelplane emits. */

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'modelplane' } as const;

/**
 * Labels every object of a model's chart carries, set once on the chart
 * (cdk8s merges a chart's labels into each object's): the objects' own
 * labels add to these.
 */
export function modelChartLabels(modelId: string, env: string): Record<string, string> {
  return { ...MANAGED_BY, 'modelplane.io/model': modelId, 'modelplane.io/environment': env };
}

/**
 * Argo CD applies lower waves first, and waits for a wave's health before the
 * next: namespaces, then quotas and runtimes, then the InferenceServices, then
 * their autoscalers (a ScaledObject or an HPA whose Deployment KServe has not
 * made yet reports itself not ready, and Argo CD fails the sync on it), then
 * routes and monitoring, then analysis.
 */
export const SyncWave = {
  projects: -3,
  clusterScoped: -2,
  namespaceSetup: -1,
  workloads: 0,
  autoscaling: 1,
  routing: 2,
  analysis: 3,
} as const;

export function syncWave(wave: number): Record<string, string> {
  return { 'argocd.argoproj.io/sync-wave': String(wave) };
}

/** CPU cores as a Kubernetes quantity: 2 → "2", 0.5 → "500m". */
export function cpuQuantity(cores: number): string {
  return Number.isInteger(cores) ? String(cores) : `${Math.round(cores * 1000)}m`;
}

/** GiB as a Kubernetes quantity: 4 → "4Gi", 0.5 → "512Mi". */
export function memoryQuantity(gib: number): string {
  return Number.isInteger(gib) ? `${gib}Gi` : `${Math.round(gib * 1024)}Mi`;
}
