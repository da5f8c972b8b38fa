import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ResolvedEnvironment, ResolvedModel } from '../resolve/index.js';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { syncWave, SyncWave } from './meta.js';

export const TENANT_HEADER = 'x-tenant';
export const VERSION_HEADER = 'x-model-version';

export interface HttpRouteProps {
  readonly env: ResolvedEnvironment;
  readonly model: ResolvedModel;
}

/**
 * The public route of a model: tenant pins first, then explicit version
 * requests, then the weighted stable/canary split. Every rule matches the same
 * paths, so Gateway API precedence falls back to rule order.
 */
export class HttpRoute extends ApiObject {
  constructor(scope: Construct, id: string, props: HttpRouteProps) {
    super(scope, id, httpRouteManifest(props));
  }
}

function backend(model: ResolvedModel, version: string, weight?: number) {
  const server = model.servers.find((s) => s.version === version);
  if (!server) throw new Error(`HTTPRoute: ${model.id} has no server for ${version}`);
  return { name: server.predictorName, port: 80, ...(weight === undefined ? {} : { weight }) };
}

/** The model's HTTPRoute; namespace and shared labels come from the chart. */
export function httpRouteManifest({ env, model }: HttpRouteProps): IHTTPRoute {
  const paths = model.paths.map((p) => ({ type: p.type, value: p.value }));
  const withHeader = (name: string, value: string) => paths.map((path) => ({ path, headers: [{ type: 'Exact' as const, name, value }] }));
  const pinned = [...new Set(model.tenants.map((t) => t.version))];
  const tenantRules = pinned.map((version) => ({
    matches: model.tenants.filter((t) => t.version === version).flatMap((t) => withHeader(TENANT_HEADER, t.tenant)),
    backendRefs: [backend(model, version)],
  }));
  const versionRules = model.servers
    .filter((s) => s.roles.some((r) => r !== 'previous'))
    .map((s) => ({ matches: withHeader(VERSION_HEADER, s.version), backendRefs: [backend(model, s.version)] }));
  const split = model.canary
    ? [backend(model, model.stable, 100 - model.canary.weight), backend(model, model.canary.version, model.canary.weight)]
    : [backend(model, model.stable, 100)];
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {
      name: model.route,
      annotations: {
        ...syncWave(SyncWave.routing),
        'modelplane.io/stable': model.stable,
        ...(model.canary ? { 'modelplane.io/canary': `${model.canary.version} step ${model.canary.step} (${model.canary.weight}%)` } : {}),
      },
    },
    spec: {
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: env.gateway.name, namespace: env.gateway.namespace }],
      hostnames: [env.gateway.hostname],
      rules: [...tenantRules, ...versionRules, { matches: paths.map((path) => ({ path })), backendRefs: split }],
    },
  };
}
