// Unit checks of the Argo CD scenario's own logic (no cluster): what it changes in the generated
// objects before committing them, the Git repository it serves, and how it reads an Application.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifests, type Rewrite } from './lib/apply.js';
import { GitRepo, stateOf, type AppState } from './lib/argocd.js';
import { healthyButAnalysing, IN_CLUSTER, rewriteForSuite } from './lib/argocd-scenario.js';

const root = join(import.meta.dirname, '..', '..');
const prod = readManifests(join(root, 'generated', 'prod'));
const url = 'file:///tmp/suite/platform.git';

describe('rewriteForSuite', () => {
  const rewrites: Rewrite[] = [];
  const out = rewriteForSuite(prod, url, rewrites);

  it('points every Application at the suite repository and the in-cluster destination', () => {
    const apps = out.filter((m) => m.object.kind === 'Application');
    expect(apps.length).toBe(prod.filter((m) => m.object.kind === 'Application').length);
    for (const a of apps) {
      expect((a.object.spec as any).source.repoURL).toBe(url);
      expect((a.object.spec as any).destination.server).toBe(IN_CLUSTER);
    }
  });

  it('lets every AppProject read the suite repository and deploy to the in-cluster destination only', () => {
    for (const p of out.filter((m) => m.object.kind === 'AppProject')) {
      expect((p.object.spec as any).sourceRepos).toEqual([url]);
      for (const d of (p.object.spec as any).destinations) expect(d.server).toBe(IN_CLUSTER);
    }
  });

  it('records each change and changes nothing else', () => {
    expect(rewrites.length).toBeGreaterThan(0);
    const fields = new Set(rewrites.map((r) => r.field.replace(/\[\d+\]/, '[]')));
    expect([...fields].sort()).toEqual(['spec.destination.server', 'spec.destinations[].server', 'spec.source.repoURL', 'spec.sourceRepos[]']);
    for (const r of rewrites) expect(r.from).toMatch(/^https:\/\/(github\.com\/acme\/ml-platform\.git|prod\.k8s\.acme\.internal)$/);
    // Undo the recorded changes: the result must be the generated object again.
    const undo = (o: any, field: string, from: string) => {
      const parts = field.split('.').flatMap((p) => p.split(/\[(\d+)\]/).filter(Boolean));
      let at = o;
      for (const p of parts.slice(0, -1)) at = at[p];
      at[parts.at(-1)!] = from;
    };
    out.forEach((m, i) => {
      const copy = structuredClone(m.object);
      for (const r of rewrites.filter((x) => x.kind === copy.kind && x.name === copy.metadata.name && x.namespace === copy.metadata.namespace)) undo(copy, r.field, r.from);
      expect(copy).toEqual(prod[i].object);
    });
  });

  it('covers the bootstrap folder and the shared _argocd folder when rewritten together with the environment', () => {
    const bootstrap = readManifests(join(root, 'generated', '_bootstrap'));
    const shared = readManifests(join(root, 'generated', '_argocd'));
    const together = rewriteForSuite([...prod, ...shared, ...bootstrap], url, []).slice(prod.length);
    const roots = together.filter((m) => m.object.kind === 'Application');
    expect(roots.map((m) => (m.object.spec as any).source.path).sort()).toEqual(['generated/_argocd', 'generated/prod/_argocd', 'generated/staging/_argocd']);
    for (const a of roots) expect([(a.object.spec as any).source.repoURL, (a.object.spec as any).destination.server]).toEqual([url, IN_CLUSTER]);
    const project = together.find((m) => m.object.kind === 'AppProject' && m.object.metadata.name === 'modelplane-bootstrap')!;
    expect((project.object.spec as any).sourceRepos).toEqual([url]);
    expect(together.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.name === 'argocd-cm')).toBeDefined();
  });

  it('leaves the input objects untouched', () => {
    expect((prod.find((m) => m.object.kind === 'Application')!.object.spec as any).source.repoURL).toBe('https://github.com/acme/ml-platform.git');
  });
});

describe('GitRepo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'modelplane-gitrepo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('commits the files to the branch of a bare repository and returns the commit', () => {
    const repo = new GitRepo(dir);
    const sha = repo.commit([{ path: 'generated/prod/_argocd/a.yaml', content: 'kind: ConfigMap\n' }], 'first');
    const git = (...args: string[]) => execFileSync('git', ['--git-dir', repo.bare, ...args], { encoding: 'utf8' }).trim();
    expect(git('rev-parse', 'main')).toBe(sha);
    expect(git('ls-tree', '-r', '--name-only', 'main')).toBe('generated/prod/_argocd/a.yaml');
    const second = repo.commit([{ path: 'generated/prod/_argocd/a.yaml', content: 'kind: Secret\n' }], 'second');
    expect(second).not.toBe(sha);
    expect(git('show', 'main:generated/prod/_argocd/a.yaml')).toBe('kind: Secret');
    expect(repo.url).toBe(`file://${repo.bare}`);
  });
});

describe('stateOf', () => {
  it('keeps Argo CD’s words: conditions, unhealthy resources, failed sync results', () => {
    const s = stateOf({
      metadata: { name: 'fraud-detector-prod' },
      spec: { project: 'risk-prod' },
      status: {
        sync: { status: 'OutOfSync', revision: 'abc' },
        health: { status: 'Progressing', message: 'x' },
        conditions: [{ type: 'SyncError', message: 'boom' }],
        resources: [
          { kind: 'InferenceService', namespace: 'risk-prod', name: 'a', status: 'Synced', health: { status: 'Healthy' } },
          { kind: 'HTTPRoute', namespace: 'risk-prod', name: 'r', status: 'Synced', health: { status: 'Progressing', message: 'Waiting for HTTPRoute status' } },
          { kind: 'AnalysisRun', namespace: 'risk-prod', name: 'ar', status: 'OutOfSync' },
        ],
        operationState: { phase: 'Running', message: 'waiting', syncResult: { resources: [{ kind: 'ConfigMap', namespace: 'risk-prod', name: 'c', status: 'SyncFailed', message: 'denied' }] } },
      },
    });
    expect(s).toMatchObject({ name: 'fraud-detector-prod', project: 'risk-prod', sync: 'OutOfSync', health: 'Progressing', revision: 'abc', operation: { phase: 'Running', message: 'waiting' } });
    expect(s.conditions).toEqual([{ type: 'SyncError', message: 'boom' }]);
    expect(s.problems.map((p) => `${p.kind}/${p.name} ${p.status} ${p.health ?? '-'} ${p.message ?? ''}`.trim())).toEqual([
      'HTTPRoute/r Synced Progressing Waiting for HTTPRoute status',
      'AnalysisRun/ar OutOfSync -',
    ]);
    expect(s.syncFailures).toEqual([{ kind: 'ConfigMap', namespace: 'risk-prod', name: 'c', status: 'SyncFailed', message: 'denied' }]);
  });
});

describe('Applications Progressing on a running canary analysis', () => {
  const app = (name: string, health: string, problems: AppState['problems'], sync = 'Synced'): AppState => ({ name, project: 'p', sync, health, conditions: [], problems, syncFailures: [] });
  const model = app('fraud-detector-prod', 'Progressing', [{ kind: 'AnalysisRun', namespace: 'risk-prod', name: 'fraud-detector-v4-2-0-s1', status: 'Synced', health: 'Progressing', message: 'Analysis run is running' }]);
  const root = app('modelplane-prod', 'Progressing', [{ kind: 'Application', namespace: 'argocd', name: 'fraud-detector-prod', status: 'Synced', health: 'Progressing' }]);

  it('counts a model whose only unhealthy resource is its running AnalysisRun, and its parent, as settled', () => {
    expect(healthyButAnalysing(model, [model, root])).toBe(true);
    expect(healthyButAnalysing(root, [model, root])).toBe(true);
  });

  it('does not excuse anything else: a Progressing InferenceService, an OutOfSync run, a Degraded run, a missing child', () => {
    const isvc = app('m', 'Progressing', [...model.problems, { kind: 'InferenceService', namespace: 'n', name: 'i', status: 'Synced', health: 'Progressing' }]);
    expect(healthyButAnalysing(isvc, [isvc])).toBe(false);
    expect(healthyButAnalysing(app('m', 'Progressing', [{ ...model.problems[0], status: 'OutOfSync' }]), [])).toBe(false);
    expect(healthyButAnalysing(app('m', 'Degraded', [{ ...model.problems[0], health: 'Degraded' }]), [])).toBe(false);
    expect(healthyButAnalysing(root, [root])).toBe(false);
    expect(healthyButAnalysing(app('m', 'Progressing', []), [])).toBe(false);
  });
});
