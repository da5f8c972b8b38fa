import { Chart } from 'cdk8s';
import { KubeDeployment, KubeNamespace, KubeRole, KubeRoleBinding, KubeServiceAccount, Quantity } from 'cdk8s-plus-27/lib/imports/k8s.js';
import { Construct } from 'constructs';
import type { ResolvedEnvironment, ResolvedPlatform } from '../resolve/index.js';
import { MANAGED_BY, syncWave, SyncWave } from './meta.js';

export interface PromoterChartProps {
  readonly platform: ResolvedPlatform;
  readonly env: ResolvedEnvironment;
}

/** Name of the promoter's ServiceAccount, Deployment and Roles. */
export const PROMOTER_NAME = 'modelplane-promoter';
const WORK = '/work';
const CHECKOUT = `${WORK}/repo`;

/**
 * The optional in-cluster promoter of one environment (`platform.promoter`),
 * written to `generated/<env>/_platform/`: a Deployment running
 * `modelplane promote --watch --env <env> --pull` on a clone of the
 * repository; a ServiceAccount whose only permissions are get, list and watch
 * of AnalysisRuns, by a Role in each team namespace of the environment; and the
 * GitHub token from a Secret the platform team creates (never emitted: it is a
 * credential). The token should be able to push only `modelplane/*` branches
 * and open pull requests (README: the promoter's credential).
 */
export class PromoterChart extends Chart {
  constructor(scope: Construct, id: string, { platform, env }: PromoterChartProps) {
    super(scope, id, { disableResourceNameHashes: true, labels: { ...MANAGED_BY, 'app.kubernetes.io/name': PROMOTER_NAME, 'modelplane.io/environment': env.name } });
    const promoter = platform.promoter;
    if (!promoter) return;
    const namespace = promoter.namespace;
    const teamNamespaces = new Set(env.teams.map((t) => t.namespace));
    if (!teamNamespaces.has(namespace)) new KubeNamespace(this, 'namespace', { metadata: { name: namespace, annotations: syncWave(SyncWave.clusterScoped) } });
    new KubeServiceAccount(this, 'service-account', {
      metadata: { name: PROMOTER_NAME, namespace, annotations: syncWave(SyncWave.namespaceSetup) },
      automountServiceAccountToken: true,
    });
    for (const ns of [...teamNamespaces].sort()) {
      new KubeRole(this, `role-${ns}`, {
        metadata: { name: `${PROMOTER_NAME}-analysisruns`, namespace: ns, annotations: syncWave(SyncWave.namespaceSetup) },
        rules: [{ apiGroups: ['argoproj.io'], resources: ['analysisruns'], verbs: ['get', 'list', 'watch'] }],
      });
      new KubeRoleBinding(this, `binding-${ns}`, {
        metadata: { name: `${PROMOTER_NAME}-analysisruns`, namespace: ns, annotations: syncWave(SyncWave.namespaceSetup) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${PROMOTER_NAME}-analysisruns` },
        subjects: [{ kind: 'ServiceAccount', name: PROMOTER_NAME, namespace }],
      });
    }
    const labels = { 'app.kubernetes.io/name': PROMOTER_NAME, 'modelplane.io/environment': env.name };
    const container = {
      image: promoter.image,
      imagePullPolicy: 'IfNotPresent',
      env: [
        { name: 'GITHUB_TOKEN', valueFrom: { secretKeyRef: { name: promoter.credentialsSecret, key: 'token' } } },
        { name: 'GITHUB_REPOSITORY', value: platform.githubRepository },
        { name: 'HOME', value: `${WORK}/home` },
        // git reads the token through a credential helper: it never appears in a URL, an argument or a file.
        { name: 'GIT_CONFIG_COUNT', value: '1' },
        { name: 'GIT_CONFIG_KEY_0', value: 'credential.helper' },
        { name: 'GIT_CONFIG_VALUE_0', value: '!f() { echo username=x-access-token; echo "password=$GITHUB_TOKEN"; }; f' },
      ],
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      volumeMounts: [
        { name: 'work', mountPath: WORK },
        { name: 'tmp', mountPath: '/tmp' },
      ],
    };
    new KubeDeployment(this, 'deployment', {
      metadata: { name: PROMOTER_NAME, namespace, annotations: syncWave(SyncWave.workloads) },
      spec: {
        replicas: 1,
        // One watcher at a time; a second would only repeat idempotent decisions.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: PROMOTER_NAME,
            automountServiceAccountToken: true,
            terminationGracePeriodSeconds: 60,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            initContainers: [
              {
                ...container,
                name: 'clone',
                command: ['git', 'clone', '--quiet', '--branch', platform.targetRevision, platform.repoURL, CHECKOUT],
                resources: { requests: { cpu: Quantity.fromString('100m'), memory: Quantity.fromString('128Mi') }, limits: { memory: Quantity.fromString('512Mi') } },
              },
            ],
            containers: [
              {
                ...container,
                name: 'promoter',
                command: ['modelplane'],
                args: ['--root', CHECKOUT, 'promote', '--watch', '--env', env.name, '--pull'],
                resources: { requests: { cpu: Quantity.fromString('200m'), memory: Quantity.fromString('512Mi') }, limits: { memory: Quantity.fromString('2Gi') } },
              },
            ],
            volumes: [
              { name: 'work', emptyDir: {} },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    });
  }
}
