import { ExitCode, UserFacingError } from './output.js';

/** The annotation Argo CD's application controller reads to refresh an Application now (and removes afterwards). */
export const REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';

/**
 * Asks Argo CD to refresh an Application right away instead of at its next
 * poll: a JSON merge patch setting `argocd.argoproj.io/refresh: normal`, with
 * the kubeconfig of the cluster Argo CD runs in. A new commit needs no `hard`
 * refresh (its manifests are not cached yet). RBAC: `patch` on
 * `applications.argoproj.io` in Argo CD's namespace.
 */
export async function refreshApplication(kubeconfigFile: string, namespace: string, name: string): Promise<void> {
  const k8s = await import('@kubernetes/client-node');
  const config = new k8s.KubeConfig();
  try {
    config.loadFromFile(kubeconfigFile);
  } catch (error) {
    throw new UserFacingError(`cannot read --refresh-kubeconfig ${kubeconfigFile}: ${(error as Error).message}`, ExitCode.external);
  }
  const api = config.makeApiClient(k8s.CustomObjectsApi);
  try {
    await api.patchNamespacedCustomObject(
      { group: 'argoproj.io', version: 'v1alpha1', namespace, plural: 'applications', name, body: { metadata: { annotations: { [REFRESH_ANNOTATION]: 'normal' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  } catch (error) {
    throw new UserFacingError(`the change is published, but Argo CD's Application ${namespace}/${name} could not be refreshed: ${(error as Error).message}; it syncs at its next poll (or refresh it: kubectl -n ${namespace} annotate application ${name} ${REFRESH_ANNOTATION}=normal --overwrite)`, ExitCode.external);
  }
}
