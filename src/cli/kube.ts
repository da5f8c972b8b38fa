import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { ExitCode, UserFacingError } from './output.js';

/**
 * The kubeconfig promote uses: `$KUBECONFIG`, else `~/.kube/config`, else the
 * in-cluster service account. When there is none, says so and points at
 * `--status-file` instead of letting the client try localhost:8080.
 */
export async function loadKubeConfig(env: NodeJS.ProcessEnv = process.env): Promise<KubeConfig> {
  const k8s = await import('@kubernetes/client-node');
  const config = new k8s.KubeConfig();
  const files = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  const home = path.join(os.homedir(), '.kube', 'config');
  const inCluster = Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');
  const missing = files.filter((f) => !existsSync(f));
  if (files.length > 0 && missing.length === files.length)
    throw new UserFacingError(`no kubeconfig: KUBECONFIG names ${missing.join(', ')}, which does not exist; fix KUBECONFIG, or pass --status-file FILE with the output of \`kubectl get analysisruns -A -o json\``, ExitCode.external);
  if (files.length === 0 && !existsSync(home) && !inCluster)
    throw new UserFacingError(`no kubeconfig: KUBECONFIG is not set, ${home} does not exist and this is not a pod with a service account; set KUBECONFIG, or pass --status-file FILE with the output of \`kubectl get analysisruns -A -o json\``, ExitCode.external);
  try {
    config.loadFromDefault();
  } catch (error) {
    throw new UserFacingError(`cannot load the kubeconfig: ${(error as Error).message}; fix it, or pass --status-file FILE instead`, ExitCode.external);
  }
  if (!config.getCurrentCluster()) throw new UserFacingError('the kubeconfig has no current cluster (set current-context), or pass --status-file FILE instead', ExitCode.external);
  return config;
}
