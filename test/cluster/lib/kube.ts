// A small client for the suite's own kube-apiserver: server-side apply, get, list, delete.
// It keeps the server's own words (Status.message) for the report.
import { request } from 'node:https';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

export interface Response {
  readonly status: number;
  readonly body: any;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Resource {
  readonly name: string;
  readonly namespaced: boolean;
}

export class Kube {
  private readonly resources = new Map<string, Resource>();

  constructor(
    readonly server: string,
    private readonly token: string,
  ) {}

  raw(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Response> {
    const url = new URL(path, this.server);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          rejectUnauthorized: false, // the suite's own server on 127.0.0.1 with its self-signed certificate
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }),
          },
          timeout: 60_000,
        },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (data += chunk));
          res.on('end', () => {
            let parsed: unknown = data;
            try {
              parsed = data ? JSON.parse(data) : undefined;
            } catch {
              // plain text (e.g. /readyz)
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  async ok(method: string, path: string, body?: unknown, contentType?: string): Promise<any> {
    const res = await this.raw(method, path, body, contentType);
    if (res.status >= 400) throw new ApiError(res.status, message(res));
    return res.body;
  }

  /** REST path of a kind (discovered once per group version). */
  async path(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string> {
    const key = `${apiVersion}/${kind}`;
    let resource = this.resources.get(key);
    if (!resource) {
      await this.discover(apiVersion);
      resource = this.resources.get(key);
      if (!resource) throw new ApiError(404, `the server has no resource for kind ${kind} in ${apiVersion} (is its CRD installed?)`);
    }
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = resource.namespaced && namespace ? `/namespaces/${namespace}` : '';
    return `${base}${ns}/${resource.name}${name ? `/${name}` : ''}`;
  }

  forget(apiVersion: string): void {
    for (const key of [...this.resources.keys()]) if (key.startsWith(`${apiVersion}/`)) this.resources.delete(key);
  }

  private async discover(apiVersion: string): Promise<void> {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const res = await this.raw('GET', base);
    if (res.status >= 400) return;
    for (const r of (res.body?.resources ?? []) as { name: string; kind: string; namespaced: boolean }[]) {
      if (!r.name.includes('/')) this.resources.set(`${apiVersion}/${r.kind}`, { name: r.name, namespaced: r.namespaced });
    }
  }

  /** Server-side apply with the suite's field manager; throws ApiError with the server's message. */
  async apply(obj: KubeObject, fieldManager = 'modelplane-cluster-suite'): Promise<KubeObject> {
    const path = await this.path(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
    return this.ok('PATCH', `${path}?fieldManager=${fieldManager}&force=true`, obj, 'application/apply-patch+yaml');
  }

  async get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const res = await this.raw('GET', await this.path(apiVersion, kind, namespace, name));
    if (res.status === 404) return undefined;
    if (res.status >= 400) throw new ApiError(res.status, message(res));
    return res.body;
  }

  async list(apiVersion: string, kind: string, namespace?: string, query = ''): Promise<KubeObject[]> {
    const path = await this.path(apiVersion, kind, namespace);
    const body = await this.ok('GET', `${path}${query ? `?${query}` : ''}`);
    return (body.items ?? []) as KubeObject[];
  }

  async remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<void> {
    const res = await this.raw('DELETE', await this.path(apiVersion, kind, namespace, name));
    if (res.status >= 400 && res.status !== 404) throw new ApiError(res.status, message(res));
  }
}

function message(res: Response): string {
  if (res.body && typeof res.body === 'object' && typeof res.body.message === 'string') return res.body.message;
  return `HTTP ${res.status}: ${String(res.body).slice(0, 500)}`;
}
