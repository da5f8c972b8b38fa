// The suite's Gateway API implementation: Contour (`contour serve`, built from its Go module) outside the
// cluster, statically bound to the environment's Gateway. It reads the generated HTTPRoutes, resolves
// their backends against the KServe Services and writes each route's status (Accepted, ResolvedRefs),
// which Argo CD's HTTPRoute health check waits for. No Envoy runs: the data plane is not under test.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { moduleDir } from './build.js';
import type { CrdSource } from './crds.js';
import type { ControlPlane } from './controlplane.js';
import type { KubeObject } from './kube.js';
import { freePort, waitFor, type Processes } from './proc.js';

export interface GatewayRef {
  readonly name: string;
  readonly namespace: string;
}

/** The controller name Contour answers for (its static provisioning). */
export const CONTOUR_CONTROLLER = 'projectcontour.io/gateway-controller';
export const GATEWAY_CLASS = 'modelplane-suite';

/** Gateway API CRDs (standard channel of the version Contour is built with) and Contour's own; the shared HTTPRoute CRD stays. */
export function gatewayCrdSources(have: ReadonlySet<string>): CrdSource[] {
  const gatewayApi = join(moduleDir('contour', 'sigs.k8s.io/gateway-api'), 'config', 'crd', 'standard');
  const standard = ['gatewayclasses', 'gateways', 'grpcroutes', 'referencegrants', 'httproutes']
    .map((k) => `gateway.networking.k8s.io_${k}.yaml`)
    .filter((f) => !have.has(f))
    .map((f) => ({ file: join(gatewayApi, f), from: 'sigs.k8s.io/gateway-api config/crd/standard' }));
  const contour = { file: join(moduleDir('contour', 'github.com/projectcontour/contour'), 'examples', 'contour', '01-crds.yaml'), from: 'github.com/projectcontour/contour examples/contour' };
  return [...standard, contour];
}

/**
 * What the platform provides and modelplane does not emit: the GatewayClass and the environment's Gateway
 * (one HTTP listener that admits routes from every namespace), then Contour bound to it.
 */
export async function startGateway(dir: string, cp: ControlPlane, bin: Record<string, string>, procs: Processes, gateway: GatewayRef): Promise<KubeObject[]> {
  const platformObjects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: gateway.namespace } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: GATEWAY_CLASS }, spec: { controllerName: CONTOUR_CONTROLLER } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: gateway.name, namespace: gateway.namespace },
      spec: { gatewayClassName: GATEWAY_CLASS, listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }] },
    },
    // The Service Contour reads the Gateway's address from (its Envoy Service).
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'envoy', namespace: gateway.namespace },
      spec: { type: 'ClusterIP', selector: { app: 'envoy' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    },
  ];
  for (const o of platformObjects) await cp.kube.apply(o);
  const config = join(dir, 'contour.yaml');
  writeFileSync(config, `gateway:\n  gatewayRef:\n    name: ${gateway.name}\n    namespace: ${gateway.namespace}\n`);
  const health = await freePort();
  procs.start('contour', bin.contour, [
    'serve',
    `--kubeconfig=${cp.kubeconfig}`,
    `--config-path=${config}`,
    '--insecure',
    '--disable-leader-election',
    '--xds-address=127.0.0.1',
    `--xds-port=${await freePort()}`,
    '--http-address=127.0.0.1',
    `--http-port=${await freePort()}`,
    '--health-address=127.0.0.1',
    `--health-port=${health}`,
    '--debug-http-address=127.0.0.1',
    `--debug-http-port=${await freePort()}`,
    `--envoy-service-namespace=${gateway.namespace}`,
    '--envoy-service-name=envoy',
    // Route kinds modelplane never emits (their CRDs are not installed).
    '--disable-feature=tlsroutes',
    '--disable-feature=tcproutes',
    '--disable-feature=backendtlspolicies',
  ], { env: { CONTOUR_NAMESPACE: gateway.namespace } });
  await waitFor('Contour to be healthy', async () => ((await fetch(`http://127.0.0.1:${health}/healthz`).catch(() => undefined))?.ok ? true : undefined), 120_000, procs);
  // Bound statically to one Gateway, Contour writes the Gateway's status (never the GatewayClass's: that is its provisioner's).
  await waitFor(
    `Gateway ${gateway.namespace}/${gateway.name} to be Accepted by Contour`,
    async () => {
      const got = (await cp.kube.get('gateway.networking.k8s.io/v1', 'Gateway', gateway.namespace, gateway.name)) as any;
      return got?.status?.conditions?.some((c: any) => c.type === 'Accepted' && c.status === 'True' && c.observedGeneration === got.metadata.generation) ? true : undefined;
    },
    120_000,
    procs,
  );
  return platformObjects;
}

export interface RouteStatus {
  readonly namespace: string;
  readonly name: string;
  /** Accepted and ResolvedRefs of the route's parent (the Gateway), at the route's current generation. */
  readonly accepted: boolean;
  readonly resolvedRefs: boolean;
  /** The Gateway implementation's words when a condition is not True. */
  readonly message?: string;
}

/** Each HTTPRoute's status as the Gateway implementation wrote it for the given Gateway. */
export async function routeStatuses(cp: ControlPlane, gateway: GatewayRef): Promise<RouteStatus[]> {
  const routes = (await cp.kube.list('gateway.networking.k8s.io/v1', 'HTTPRoute')) as any[];
  return routes.map((r) => {
    const parent = (r.status?.parents ?? []).find((p: any) => p.parentRef?.name === gateway.name && (p.parentRef?.namespace ?? r.metadata.namespace) === gateway.namespace);
    const current = (type: string) => parent?.conditions?.find((c: any) => c.type === type && c.observedGeneration === r.metadata.generation);
    const accepted = current('Accepted');
    const resolved = current('ResolvedRefs');
    const words = [accepted, resolved].filter((c) => c && c.status !== 'True').map((c: any) => `${c.type} ${c.status} ${c.reason}: ${c.message}`);
    return {
      namespace: r.metadata.namespace,
      name: r.metadata.name,
      accepted: accepted?.status === 'True',
      resolvedRefs: resolved?.status === 'True',
      message: parent ? words.join('; ') || undefined : 'no status from the Gateway implementation',
    };
  });
}
