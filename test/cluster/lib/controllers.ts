// The KServe controller (with its webhooks), the KEDA operator and the Argo Rollouts analysis controller.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { moduleDir } from './build.js';
import type { ControlPlane } from './controlplane.js';
import type { KubeObject } from './kube.js';
import { freePort, waitFor, type Processes } from './proc.js';

/** A self-signed certificate for 127.0.0.1 (its own CA), as ca.crt, tls.crt and tls.key in `dir`. */
export function selfSigned(dir: string, cn: string): { dir: string; caPem: string } {
  mkdirSync(dir, { recursive: true });
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${cn}`, '-addext', `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${cn}`, '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt')],
    { stdio: 'ignore' },
  );
  execFileSync('cp', [join(dir, 'tls.crt'), join(dir, 'ca.crt')]);
  return { dir, caPem: readFileSync(join(dir, 'tls.crt'), 'utf8') };
}

const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

/**
 * KServe's controller manager as its own manifests configure it: the inferenceservice-config
 * ConfigMap from the module (default deployment mode set to the one modelplane emits) and its
 * mutating and validating webhooks, served by the manager on 127.0.0.1 (the webhook
 * configurations point at a URL instead of the in-cluster Service).
 */
export async function startKServe(dir: string, cp: ControlPlane, bin: Record<string, string>, procs: Processes, deploymentMode: string): Promise<void> {
  const config = join(moduleDir('kserve', 'github.com/kserve/kserve'), 'config');
  await cp.kube.apply(namespace('kserve'));
  const [configMap] = parseAllDocuments(readFileSync(join(config, 'configmap', 'inferenceservice.yaml'), 'utf8')).map((d) => d.toJS() as KubeObject);
  const data = configMap.data as Record<string, string>;
  data.deploy = JSON.stringify({ defaultDeploymentMode: deploymentMode });
  await cp.kube.apply(configMap);

  const tmp = join(dir, 'kserve-tmp');
  const certs = selfSigned(join(tmp, 'k8s-webhook-server', 'serving-certs'), 'kserve-webhook-server-service.kserve.svc');
  const port = await freePort();
  const caBundle = Buffer.from(certs.caPem).toString('base64');
  for (const doc of parseAllDocuments(readFileSync(join(config, 'webhook', 'manifests.yaml'), 'utf8'))) {
    const hook = doc.toJS() as KubeObject & { webhooks: { clientConfig: { service?: { path: string }; url?: string; caBundle?: string } }[] };
    if (!hook?.kind) continue;
    delete (hook.metadata as Record<string, unknown>).creationTimestamp;
    for (const w of hook.webhooks) {
      const path = w.clientConfig.service?.path ?? '/';
      w.clientConfig = { url: `https://127.0.0.1:${port}${path}`, caBundle };
    }
    await cp.kube.apply(hook);
  }
  procs.start('kserve-controller', bin['kserve-manager'], [`--webhook-port=${port}`, `--metrics-addr=127.0.0.1:${await freePort()}`, `--health-probe-addr=127.0.0.1:${await freePort()}`, '--leader-elect=false'], {
    env: { KUBECONFIG: cp.kubeconfig, TMPDIR: tmp, POD_NAMESPACE: 'kserve' },
  });
  await waitFor('the KServe webhook server', async () => (await tcpOpen(port)) || undefined, 120_000, procs);
}

export async function startKeda(dir: string, cp: ControlPlane, bin: Record<string, string>, procs: Processes): Promise<void> {
  await cp.kube.apply(namespace('keda'));
  const certs = selfSigned(join(dir, 'keda-certs'), 'keda-operator.keda.svc');
  procs.start(
    'keda-operator',
    bin['keda-operator'],
    [
      `--metrics-bind-address=127.0.0.1:${await freePort()}`,
      `--health-probe-bind-address=127.0.0.1:${await freePort()}`,
      `--metrics-service-bind-address=127.0.0.1:${await freePort()}`,
      `--cert-dir=${certs.dir}`,
      `--ca-dir=${certs.dir}`,
      '--leader-elect=false',
      '--zap-log-level=info',
    ],
    { env: { KUBECONFIG: cp.kubeconfig, WATCH_NAMESPACE: '', POD_NAMESPACE: 'keda', KEDA_CLUSTER_OBJECT_NAMESPACE: 'keda', OPERATOR_NAME: 'keda-operator' } },
  );
}

export async function startRollouts(cp: ControlPlane, bin: Record<string, string>, procs: Processes): Promise<void> {
  await cp.kube.apply(namespace('argo-rollouts'));
  // modelplane uses Argo Rollouts for analysis only: the analysis controller is the one that runs.
  procs.start(
    'rollouts-controller',
    bin['rollouts-controller'],
    [`--kubeconfig=${cp.kubeconfig}`, '--controllers=analysis', '--leader-elect=false', `--metricsPort=${await freePort()}`, `--healthzPort=${await freePort()}`, '--loglevel=info'],
    { env: { POD_NAMESPACE: 'argo-rollouts' } },
  );
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    import('node:net').then(({ connect }) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
  });
}
