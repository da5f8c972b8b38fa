// etcd, kube-apiserver, kube-controller-manager and kube-scheduler on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kube } from './kube.js';
import { freePort, waitFor, type Processes } from './proc.js';

export interface ControlPlane {
  readonly kube: Kube;
  readonly server: string;
  readonly kubeconfig: string;
  readonly token: string;
}

/** Admission plugins the suite insists on (the apiserver's defaults include them; listed so a change of defaults cannot drop one). */
export const admissionPlugins = [
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'Priority',
  'DefaultTolerationSeconds',
  'PodSecurity',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
];

export function etcdVersion(): string {
  return execFileSync('etcd', ['--version'], { encoding: 'utf8' }).split('\n')[0].replace('etcd Version: ', '').trim();
}

export async function startControlPlane(dir: string, bin: Record<string, string>, procs: Processes): Promise<ControlPlane> {
  const pki = join(dir, 'pki');
  mkdirSync(pki, { recursive: true });
  execFileSync('openssl', ['genrsa', '-out', join(pki, 'sa.key'), '2048'], { stdio: 'ignore' });
  execFileSync('openssl', ['rsa', '-in', join(pki, 'sa.key'), '-pubout', '-out', join(pki, 'sa.pub')], { stdio: 'ignore' });
  const token = randomBytes(24).toString('hex');
  writeFileSync(join(pki, 'tokens.csv'), `${token},suite-admin,suite-admin,system:masters\n`, { mode: 0o600 });

  const etcdClient = await freePort();
  const etcdPeer = await freePort();
  procs.start('etcd', 'etcd', [
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
    '--unsafe-no-fsync',
    '--quota-backend-bytes=4294967296',
  ]);

  const port = await freePort();
  const server = `https://127.0.0.1:${port}`;
  procs.start('kube-apiserver', bin['kube-apiserver'], [
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    `--secure-port=${port}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--cert-dir=${join(pki, 'apiserver')}`,
    `--token-auth-file=${join(pki, 'tokens.csv')}`,
    '--authorization-mode=RBAC',
    `--service-account-issuer=${server}`,
    `--service-account-key-file=${join(pki, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    `--enable-admission-plugins=${admissionPlugins.join(',')}`,
    '--allow-privileged=true',
    '--endpoint-reconciler-type=none',
    '--v=1',
  ]);
  const kube = new Kube(server, token);
  await waitFor('kube-apiserver /readyz', async () => ((await kube.raw('GET', '/readyz')).status === 200 ? true : undefined), 120_000, procs);

  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'suite', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'suite-admin', user: { token } }],
      contexts: [{ name: 'suite', context: { cluster: 'suite', user: 'suite-admin', namespace: 'default' } }],
      'current-context': 'suite',
    }),
    { mode: 0o600 },
  );

  // Flags the controller manager and the scheduler share: one kubeconfig for everything, no leader election, local serving.
  const componentFlags = async (certDir: string) => [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    `--secure-port=${await freePort()}`,
    `--cert-dir=${join(pki, certDir)}`,
  ];
  procs.start('kube-controller-manager', bin['kube-controller-manager'], [
    ...(await componentFlags('kcm')),
    `--service-account-private-key-file=${join(pki, 'sa.key')}`,
    `--root-ca-file=${join(pki, 'apiserver', 'apiserver.crt')}`,
    '--use-service-account-credentials=false',
    '--concurrent-deployment-syncs=10',
    '--concurrent-replicaset-syncs=10',
    '--kube-api-qps=200',
    '--kube-api-burst=400',
    '--v=1',
  ]);
  procs.start('kube-scheduler', bin['kube-scheduler'], [
    ...(await componentFlags('scheduler')),
    '--v=1',
  ]);
  // The default namespace and service account exist once the controller manager runs.
  await waitFor(
    'the default ServiceAccount',
    async () => ((await kube.raw('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200 ? true : undefined),
    120_000,
    procs,
  );
  return { kube, server, kubeconfig, token };
}
