/**
 * Everything synth emits for the reference platform, compiled in memory
 * (`compile` does not write), parsed back from its YAML and checked against
 * the real schemas: the CRDs' (closed: unknown fields are errors) and
 * kubernetes-models' for everything else. Then the invariants a cluster relies
 * on: scheduling on the right pool, labels, Argo CD projects, reproducibility.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { compile } from '../../src/cli/compile.js';
import type { Taint } from '../../src/definitions/index.js';
import { hasCrdSchema, validateCrdObject } from '../support/crd-validator.js';
import { validateK8sObject } from '../support/k8s-validator.js';
import { REPO_ROOT } from '../support/repo.js';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Read back from YAML: the tests walk into it freely.
  spec?: Record<string, any>;
}

interface Emitted {
  readonly path: string;
  /** The environment, or '' for what exists once per Argo CD (`generated/_argocd`, `generated/_bootstrap`). */
  readonly env: string;
  /** Folder under generated/<env>/ (`_platform`, `_argocd` or a model id), or under generated/ for shared folders. */
  readonly dir: string;
  /** The folder, as Applications name it: `generated/prod/_platform`, `generated/_argocd`. */
  readonly folder: string;
  readonly object: K8sObject;
}

const result = await compile(REPO_ROOT);
const files = result.files ?? [];
const platformDefinition = result.definitions.platform!.value;
const modelDefinitions = new Map(result.definitions.models.map((m) => [m.value.id, m.value]));

const emitted: Emitted[] = files
  .filter((f) => f.path.startsWith('generated/'))
  .map((f) => {
    const docs = parseAllDocuments(f.content);
    if (!Array.isArray(docs) && docs) throw new Error(`${f.path}: not a YAML stream`);
    const list = Array.isArray(docs) ? docs : [];
    if (list.length !== 1) throw new Error(`${f.path}: ${list.length} YAML documents`);
    if (list[0].errors.length > 0) throw new Error(`${f.path}: ${list[0].errors.map((e) => e.message).join('; ')}`);
    const parts = f.path.split('/');
    const shared = parts[1].startsWith('_');
    const [env, dir] = shared ? ['', parts[1]] : [parts[1], parts[2]];
    return { path: f.path, env, dir, folder: path.posix.dirname(f.path), object: list[0].toJS() as K8sObject };
  });

const ofKind = (kind: string) => emitted.filter((e) => e.object.kind === kind);
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const CLUSTER_SCOPED = new Set(['Namespace', 'PriorityClass', 'ClusterRole', 'ClusterRoleBinding', 'ClusterServingRuntime', 'CustomResourceDefinition']);

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** Kubernetes' toleration matching. */
function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return t.key === undefined || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/** Argo CD destination namespace patterns: `*` or a name. */
const namespaceAllowed = (pattern: string, namespace: string) => pattern === '*' || pattern === namespace;

describe('synthesized reference platform', () => {
  it('compiles without diagnostics into YAML files of one object each', () => {
    expect(result.diagnostics).toEqual([]);
    expect(emitted.length).toBeGreaterThan(100);
    expect(files.filter((f) => !f.path.startsWith('generated/')).map((f) => f.path)).toEqual(['.github/CODEOWNERS']);
  });

  it('names every file <kind>-<name>.yaml in its environment folder', () => {
    for (const { path: p, env, dir, object } of emitted) {
      if (env === '') expect(['_argocd', '_bootstrap'], p).toContain(dir);
      else expect(platformDefinition.environments[env], p).toBeDefined();
      if (env !== '') expect(dir === '_platform' || dir === '_argocd' || modelDefinitions.has(dir), p).toBe(true);
      // The bootstrap folder orders its files for `kubectl apply -f`: `0-appproject-…`, `1-application-…`.
      const base = path.posix.basename(p).replace(dir === '_bootstrap' ? /^\d-/ : /^$/, '');
      expect(base.startsWith(`${object.kind.toLowerCase()}-`) && base.endsWith(`${object.metadata.name}.yaml`), p).toBe(true);
    }
  });

  it('validates InferenceServices and ServingRuntimes, and every other CRD kind, against the CRD schemas', () => {
    const crd = emitted.filter((e) => hasCrdSchema(e.object.apiVersion, e.object.kind));
    expect([...new Set(crd.map((e) => e.object.kind))]).toEqual(expect.arrayContaining(['InferenceService', 'ServingRuntime']));
    const errors = Object.fromEntries(crd.map((e) => [e.path, validateCrdObject(e.object)]).filter(([, errs]) => errs.length > 0));
    expect(errors).toEqual({});
  }, 60_000);

  it('rejects an unknown field in an emitted InferenceService (the schemas are closed)', () => {
    const service = structuredClone(ofKind('InferenceService')[0].object);
    service.spec!.predictor.model.gpuType = 'a100';
    expect(validateCrdObject(service)).toEqual(['/spec/predictor/model/gpuType: must NOT have additional properties (gpuType)']);
  }, 60_000);

  it('validates every object without a CRD schema with kubernetes-models', () => {
    const others = emitted.filter((e) => !hasCrdSchema(e.object.apiVersion, e.object.kind));
    expect([...new Set(others.map((e) => e.object.kind))]).toEqual(expect.arrayContaining(['Namespace', 'ResourceQuota', 'PriorityClass', 'Application', 'AppProject']));
    const errors = Object.fromEntries(others.map((e) => [e.path, validateK8sObject(e.object)]).filter(([, errs]) => errs.length > 0));
    expect(errors).toEqual({});
  });

  describe('InferenceServices', () => {
    const services = ofKind('InferenceService').map((e) => {
      const model = modelDefinitions.get(e.dir)!;
      const deployment = model.deploy[e.env];
      const pool = platformDefinition.nodePools[deployment.pool];
      return { ...e, model, deployment, pool, predictor: e.object.spec!.predictor };
    });
    const gpuTaints = Object.values(platformDefinition.nodePools)
      .filter((p) => p.kind === 'gpu')
      .flatMap((p) => p.taints ?? []);

    it('exist for GPU and CPU pools alike', () => {
      expect(services.some((s) => s.pool.kind === 'gpu')).toBe(true);
      expect(services.some((s) => s.pool.kind === 'cpu')).toBe(true);
      expect(gpuTaints.length).toBeGreaterThan(0);
    });

    it("carry their pool's node selector and tolerate each of its taints", () => {
      for (const s of services) {
        expect(s.predictor.nodeSelector, s.path).toEqual(s.pool.nodeSelector);
        for (const taint of s.pool.taints ?? []) {
          expect((s.predictor.tolerations ?? []).some((t: Toleration) => tolerates(t, taint)), `${s.path} tolerates ${taint.key}=${taint.value}`).toBe(true);
        }
      }
    });

    it('request their GPUs in both requests and limits, with equal values, on GPU pools', () => {
      for (const s of services.filter((x) => x.pool.kind === 'gpu')) {
        const resource = s.pool.gpu?.resourceName ?? 'nvidia.com/gpu';
        const { requests, limits } = s.predictor.model.resources;
        expect(Number(requests[resource]), s.path).toBeGreaterThanOrEqual(1);
        expect(limits[resource], s.path).toBe(requests[resource]);
        expect(limits, s.path).toEqual(requests);
      }
    });

    it('on CPU pools neither request a GPU nor tolerate a GPU taint', () => {
      for (const s of services.filter((x) => x.pool.kind === 'cpu')) {
        const { requests, limits } = s.predictor.model.resources;
        for (const name of Object.keys({ ...requests, ...limits })) expect(name, s.path).not.toMatch(/gpu/);
        for (const taint of gpuTaints) {
          expect((s.predictor.tolerations ?? []).some((t: Toleration) => tolerates(t, taint)), `${s.path} tolerates ${taint.key}=${taint.value}`).toBe(false);
        }
      }
    });

    it('carry the model, version, owner and tier labels and the lineage annotations of their version', () => {
      for (const s of services) {
        const { labels = {}, annotations = {} } = s.object.metadata;
        const version = s.model.versions.find((v) => v.version === labels['modelplane.io/version']);
        expect(version, `${s.path} has the version label of a declared version`).toBeDefined();
        expect(labels, s.path).toMatchObject({ 'modelplane.io/model': s.model.id, 'modelplane.io/owner': s.model.owner, 'modelplane.io/tier': s.model.tier });
        expect(annotations, s.path).toMatchObject({
          'modelplane.io/artifact-sha256': version!.artifact.sha256,
          'modelplane.io/dataset': version!.lineage.dataset,
          'modelplane.io/feature-code': version!.lineage.featureCode,
          'modelplane.io/training-run': version!.lineage.trainingRun,
          'modelplane.io/image': version!.lineage.image,
        });
        expect(s.predictor.model.storageUri, s.path).toBe(version!.artifact.uri);
        expect(s.object.metadata.namespace, s.path).toBe(`${s.model.owner}-${s.env}`);
      }
    });
  });

  describe('Argo CD', () => {
    const applications = ofKind('Application');
    // Every AppProject by name: Argo CD has one namespace of projects, whatever the environment.
    const projects = new Map(ofKind('AppProject').map((e) => [e.object.metadata.name, e.object]));
    const synced = emitted.filter((e) => e.dir !== '_bootstrap');

    it('has AppProject names unique across environments (one Argo CD holds them all)', () => {
      expect(projects.size).toBe(ofKind('AppProject').length);
    });

    it('syncs every folder but the bootstrap with exactly one Application of the same environment', () => {
      const folders = [...new Set(synced.map((e) => e.folder))];
      for (const folder of folders) {
        const syncing = applications.filter((a) => a.object.spec!.source.path === folder);
        expect(syncing.map((a) => a.path), folder).toHaveLength(1);
        const env = emitted.find((e) => e.folder === folder)!.env;
        if (env !== '') expect(syncing[0].object.metadata.labels?.['modelplane.io/environment'], folder).toBe(env);
      }
      for (const a of applications) expect(folders, a.path).toContain(a.object.spec!.source.path);
      expect(applications.filter((a) => a.object.spec!.source.path.startsWith('generated/_bootstrap'))).toEqual([]);
    });

    it("puts every object where its Application's AppProject allows it", () => {
      const problems: string[] = [];
      for (const e of synced) {
        const app = applications.find((a) => a.object.spec!.source.path === e.folder)!.object;
        const project = projects.get(app.spec!.project);
        if (!project) {
          problems.push(`${e.path}: Application ${app.metadata.name} names AppProject ${app.spec!.project}, which is not emitted`);
          continue;
        }
        const spec = project.spec!;
        if (!spec.sourceRepos.includes(app.spec!.source.repoURL) && !spec.sourceRepos.includes('*')) problems.push(`${e.path}: repo not allowed by ${project.metadata.name}`);
        const entry = { group: groupOf(e.object.apiVersion), kind: e.object.kind };
        const listed = (list: { group: string; kind: string }[] | undefined) => (list ?? []).some((k) => (k.group === entry.group || k.group === '*') && (k.kind === entry.kind || k.kind === '*'));
        const server: string = app.spec!.destination.server;
        if (CLUSTER_SCOPED.has(e.object.kind)) {
          if (!listed(spec.clusterResourceWhitelist)) problems.push(`${e.path}: ${entry.kind} is not in ${project.metadata.name}'s clusterResourceWhitelist`);
          continue;
        }
        const namespace = e.object.metadata.namespace ?? app.spec!.destination.namespace;
        if (!namespace) problems.push(`${e.path}: namespaced ${entry.kind} without a namespace`);
        else if (!spec.destinations.some((d: { server: string; namespace: string }) => (d.server === server || d.server === '*') && namespaceAllowed(d.namespace, namespace)))
          problems.push(`${e.path}: namespace ${namespace} on ${server} is not a destination of ${project.metadata.name}`);
        if (spec.namespaceResourceWhitelist && !listed(spec.namespaceResourceWhitelist)) problems.push(`${e.path}: ${entry.kind} is not in ${project.metadata.name}'s namespaceResourceWhitelist`);
      }
      expect(problems).toEqual([]);
    });

    it('gives team AppProjects no cluster-scoped resources and only their own namespace', () => {
      const teams = ofKind('AppProject').filter((e) => e.object.metadata.labels?.['modelplane.io/team']);
      expect(teams).toHaveLength(Object.keys(platformDefinition.teams).length * Object.keys(platformDefinition.environments).length);
      for (const { path: p, env, object } of teams) {
        const team = object.metadata.labels!['modelplane.io/team'];
        expect(object.spec!.clusterResourceWhitelist, p).toEqual([]);
        expect(object.spec!.destinations, p).toEqual([{ server: platformDefinition.environments[env].cluster, namespace: `${team}-${env}` }]);
      }
    });
  });

  describe('secrets and priority', () => {
    it('emits no Secret and no credential-like value', () => {
      expect(ofKind('Secret')).toEqual([]);
      for (const f of files) {
        expect(f.content, f.path).not.toMatch(/AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|gh[pousr]_[A-Za-z0-9]{20,}|:\/\/[^/\s:@]+:[^/\s@]+@/);
      }
    });

    it('gives each InferenceService the priority class of its own tier, and critical models only the critical one', () => {
      const services = ofKind('InferenceService');
      expect(services.length).toBeGreaterThan(0);
      for (const s of services) {
        const tier = s.object.metadata.labels?.['modelplane.io/tier'];
        expect(s.object.spec?.predictor.priorityClassName, s.path).toBe(`modelplane-${tier}`);
      }
      const critical = ofKind('PriorityClass').find((p) => p.object.metadata.name === 'modelplane-critical')!;
      const others = ofKind('PriorityClass').filter((p) => p.object.metadata.name !== 'modelplane-critical');
      for (const o of others) expect((o.object as unknown as { value: number }).value).toBeLessThan((critical.object as unknown as { value: number }).value);
    });
  });

  describe('reproducibility', () => {
    const definitionText = ['models', 'policies']
      .flatMap((dir) => readdirSync(path.join(REPO_ROOT, dir)).map((f) => readFileSync(path.join(REPO_ROOT, dir, f), 'utf8')))
      .join('\n');

    it('writes no absolute path of this machine', () => {
      const machinePaths = [REPO_ROOT, os.tmpdir(), process.cwd(), os.homedir()].filter((p) => p.length > 1);
      for (const f of files) {
        for (const p of machinePaths) expect(f.content.includes(p), `${f.path} contains ${p}`).toBe(false);
        expect(f.content, f.path).not.toContain('file://');
      }
    });

    it('writes no timestamp that is not in the definitions', () => {
      const today = new Date().toISOString().slice(0, 10);
      for (const f of files) {
        expect(f.content, f.path).not.toMatch(/^\s*creationTimestamp:/m);
        for (const [stamp] of f.content.matchAll(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[0-9:.]*Z?/g)) expect(definitionText, `${f.path}: ${stamp}`).toContain(stamp);
        if (f.content.includes(today)) expect(definitionText, `${f.path}: today's date`).toContain(today);
      }
    });
  });
});
