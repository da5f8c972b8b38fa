/**
 * What Argo CD reads from generated/: the health customizations of argocd-cm
 * (run in a real Lua VM against InferenceService and Application statuses),
 * the bootstrap folder, and the notifications trigger of the fast path.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compile } from '../../src/cli/compile.js';
import { runHealthLua } from '../support/argocd-lua.js';

const root = path.resolve(import.meta.dirname, '../..');
let files: readonly { path: string; content: string }[];

beforeAll(async () => {
  files = (await compile(root)).files ?? [];
  expect(files.length).toBeGreaterThan(0);
}, 60_000);

type Obj = { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; data?: Record<string, string>; spec?: Record<string, unknown> };
const objectAt = (p: string): Obj => {
  const f = files.find((x) => x.path === p);
  if (!f) throw new Error(`${p} not generated (have ${files.filter((x) => x.path.includes('argocd') || x.path.includes('bootstrap')).map((x) => x.path).join(', ')})`);
  return parse(f.content) as Obj;
};
let parsed: { path: string; obj: Obj }[] | undefined;
const objects = () => (parsed ??= files.filter((f) => f.path.endsWith('.yaml')).map((f) => ({ path: f.path, obj: parse(f.content) as Obj })));

const ISVC_HEALTH = 'resource.customizations.health.serving.kserve.io_InferenceService';
const ISVC_OPEN_LIBS = 'resource.customizations.useOpenLibs.serving.kserve.io_InferenceService';
const APP_HEALTH = 'resource.customizations.health.argoproj.io_Application';
const NOW = new Date('2026-12-01T10:00:00Z');

const argocdCm = () => objectAt('generated/_argocd/configmap-argocd-cm.yaml');

function isvc(conditions: object[] | undefined, extra: { annotations?: Record<string, string>; modelStatus?: object; generation?: number; observedGeneration?: number } = {}) {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'fraud-detector-v4-2-0', creationTimestamp: '2026-12-01T09:00:00Z', generation: extra.generation ?? 1, annotations: extra.annotations ?? {} },
    ...(conditions ? { status: { conditions, observedGeneration: extra.observedGeneration ?? 1, ...(extra.modelStatus ? { modelStatus: extra.modelStatus } : {}) } } : {}),
  };
}
const cond = (type: string, status: string, lastTransitionTime = '2026-12-01T09:30:00Z', reason?: string) => ({ type, status, lastTransitionTime, ...(reason ? { reason } : {}) });
const allReady = ['IngressReady', 'PredictorConfigurationReady', 'PredictorReady', 'Ready'].map((t) => cond(t, 'True'));

describe('Argo CD health of an InferenceService (argocd-cm, item 9)', () => {
  const health = (obj: object, now = NOW, utcOffsetMinutes = 0) => runHealthLua(argocdCm().data![ISVC_HEALTH], obj, { openLibs: argocdCm().data![ISVC_OPEN_LIBS] === 'true', now, utcOffsetMinutes });

  it('is emitted once per Argo CD, in generated/_argocd, with the open libraries its timestamps need', () => {
    const cms = objects().filter((o) => o.obj.kind === 'ConfigMap' && o.obj.metadata.name === 'argocd-cm');
    expect(cms.map((o) => o.path)).toEqual(['generated/_argocd/configmap-argocd-cm.yaml']);
    expect(argocdCm().metadata.namespace).toBe('argocd');
    expect(argocdCm().data).toMatchObject({ [ISVC_OPEN_LIBS]: 'true' });
    expect(argocdCm().metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    // Without useOpenLibs Argo CD gives the script no string library: it could not parse a timestamp.
    expect(() => runHealthLua(argocdCm().data![ISVC_HEALTH], isvc([cond('Ready', 'False')]), { openLibs: false, now: NOW })).toThrow(/string/);
  });

  it.each([
    ['no status yet', isvc(undefined), 'Progressing'],
    ['every condition True', isvc(allReady), 'Healthy'],
    ['Ready with Stopped=False (KServe ≥ 0.15 on a running service)', isvc([...allReady, cond('Stopped', 'False')]), 'Healthy'],
    ['Stopped=True', isvc([cond('Ready', 'False'), cond('Stopped', 'True')]), 'Suspended'],
    ['a model that failed to load', isvc([cond('Ready', 'False')], { modelStatus: { transitionStatus: 'BlockedByFailedLoad', lastFailureInfo: { reason: 'ModelLoadFailed', message: 'no model.bst' } } }), 'Degraded'],
    ['an empty transitionStatus while the model loads (seen in the cluster suite)', isvc([cond('Ready', 'False', '2026-12-01T09:59:00Z')], { modelStatus: { transitionStatus: '' } }), 'Progressing'],
    ['status of an older generation', isvc(allReady, { generation: 2, observedGeneration: 1 }), 'Progressing'],
    ['Pending GPU pods within the default deadline (900 s)', isvc([cond('PredictorReady', 'False', '2026-12-01T09:50:00Z', 'Unschedulable'), cond('Ready', 'False', '2026-12-01T09:50:00Z')]), 'Progressing'],
    ['Pending GPU pods past the default deadline', isvc([cond('PredictorReady', 'False', '2026-12-01T09:40:00Z', 'Unschedulable'), cond('Ready', 'False', '2026-12-01T09:40:00Z')]), 'Degraded'],
    ['not Ready within its own longer deadline', isvc([cond('Ready', 'Unknown', '2026-12-01T09:40:00Z')], { annotations: { 'modelplane.io/progress-deadline-seconds': '1800' } }), 'Progressing'],
    ['not Ready past its own shorter deadline', isvc([cond('Ready', 'Unknown', '2026-12-01T09:55:00Z')], { annotations: { 'modelplane.io/progress-deadline-seconds': '120' } }), 'Degraded'],
  ])('%s → %s', (_what, obj, status) => {
    expect(health(obj).status).toBe(status);
  });

  it('names the conditions and the time when it turns Degraded', () => {
    const r = health(isvc([cond('PredictorReady', 'False', '2026-12-01T09:40:00Z', 'Unschedulable'), cond('Ready', 'False', '2026-12-01T09:40:00Z')]));
    expect(r.message).toContain('Not Ready after 1200 s (deadline 900 s)');
    expect(r.message).toContain('PredictorReady=False (Unschedulable)');
  });

  it('measures the same age whatever the controller\'s time zone', () => {
    const obj = isvc([cond('Ready', 'False', '2026-12-01T09:50:00Z')]);
    for (const offset of [-480, 0, 120, 330]) expect(health(obj, NOW, offset).message, `offset ${offset}`).toContain('for 600 s of 900 s');
  });
});

describe('Argo CD health of an Application (argocd-cm, item 9)', () => {
  const health = (status: object | undefined) => runHealthLua(argocdCm().data![APP_HEALTH], { kind: 'Application', metadata: { name: 'fraud-detector-prod' }, ...(status ? { status } : {}) }, { openLibs: false, now: NOW });

  it.each([
    ['no status', undefined, 'Progressing'],
    ['Healthy and Synced', { health: { status: 'Healthy' }, sync: { status: 'Synced' } }, 'Healthy'],
    ['Healthy but OutOfSync (the new revision is not applied yet)', { health: { status: 'Healthy' }, sync: { status: 'OutOfSync' } }, 'Progressing'],
    ['Degraded', { health: { status: 'Degraded', message: 'InferenceService not Ready' }, sync: { status: 'Synced' } }, 'Degraded'],
    ['Progressing', { health: { status: 'Progressing' }, sync: { status: 'Synced' } }, 'Progressing'],
  ])('%s → %s', (_what, status, expected) => {
    expect(health(status).status).toBe(expected);
  });
});

describe('Argo CD health of an AnalysisRun (a running step analysis is no sync gate)', () => {
  const RUN_HEALTH = 'resource.customizations.health.argoproj.io_AnalysisRun';
  const health = (status: object | undefined) => runHealthLua(argocdCm().data![RUN_HEALTH], { kind: 'AnalysisRun', metadata: { name: 'fraud-detector-v4-2-0-s1' }, ...(status ? { status } : {}) }, { openLibs: false, now: NOW });

  it.each([
    ['no status yet', undefined, 'Healthy'],
    ['Pending', { phase: 'Pending' }, 'Healthy'],
    ['Running', { phase: 'Running' }, 'Healthy'],
    ['Successful', { phase: 'Successful', message: '' }, 'Healthy'],
    ['Failed', { phase: 'Failed', message: 'Metric "error-rate" assessed Failed due to failed (2) > failureLimit (1)' }, 'Degraded'],
    ['Error', { phase: 'Error' }, 'Degraded'],
    ['Inconclusive', { phase: 'Inconclusive' }, 'Degraded'],
  ])('%s → %s', (_what, status, expected) => {
    expect(health(status).status).toBe(expected);
  });

  it('says what the analysis is doing and why it failed', () => {
    expect(health({ phase: 'Running' }).message).toBe('Analysis Running: the step is being measured (not a sync gate)');
    expect(health({ phase: 'Failed', message: 'Metric "error-rate" assessed Failed' }).message).toBe('Analysis Failed: Metric "error-rate" assessed Failed');
  });
});

describe('bootstrap from one apply (item 10)', () => {
  const bootstrap = () => objects().filter((o) => o.path.startsWith('generated/_bootstrap/'));

  it('puts the AppProject first and every root Application in it, none synced by an Application', () => {
    const paths = bootstrap().map((o) => o.path).sort();
    expect(paths[0]).toBe('generated/_bootstrap/0-appproject-modelplane-bootstrap.yaml');
    const apps = bootstrap().filter((o) => o.obj.kind === 'Application');
    expect(apps.map((o) => o.obj.metadata.name).sort()).toEqual(['modelplane-argocd', 'modelplane-prod', 'modelplane-staging']);
    for (const a of apps) expect((a.obj.spec as { project: string }).project, a.path).toBe('modelplane-bootstrap');
    // No Application syncs the bootstrap folder, so no prune can delete the project under the roots.
    const synced = objects().filter((o) => o.obj.kind === 'Application').map((o) => (o.obj.spec as { source: { path: string } }).source.path);
    expect(synced.filter((p) => p.startsWith('generated/_bootstrap'))).toEqual([]);
    // Each root's project exists before any Application syncs: it is in the folder the README applies.
    const projects = new Set(bootstrap().filter((o) => o.obj.kind === 'AppProject').map((o) => o.obj.metadata.name));
    for (const a of apps) expect(projects.has((a.obj.spec as { project: string }).project)).toBe(true);
  });

  it('lets the bootstrap project create only what the roots sync', () => {
    const project = objectAt('generated/_bootstrap/0-appproject-modelplane-bootstrap.yaml').spec as { destinations: object[]; clusterResourceWhitelist: object[]; namespaceResourceWhitelist: { kind: string }[] };
    expect(project.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }]);
    expect(project.clusterResourceWhitelist).toEqual([]);
    expect(project.namespaceResourceWhitelist.map((k) => k.kind).sort()).toEqual(['AppProject', 'Application', 'ConfigMap']);
    const kinds = new Set(objects().filter((o) => /^generated\/([^/]+\/)?_argocd\//.test(o.path)).map((o) => o.obj.kind));
    expect([...kinds].sort()).toEqual(['AppProject', 'Application', 'ConfigMap']);
  });
});

describe('the fast path fires on the current step (item 11)', () => {
  const trigger = () => {
    const cm = objectAt('generated/_argocd/configmap-argocd-notifications-cm.yaml');
    return parse(cm.data!['trigger.on-analysis-finished']) as { when: string; oncePer: string }[];
  };

  it('has one notifications ConfigMap per Argo CD, not one per environment', () => {
    expect(objects().filter((o) => o.obj.metadata.name === 'argocd-notifications-cm').map((o) => o.path)).toEqual(['generated/_argocd/configmap-argocd-notifications-cm.yaml']);
  });

  it('names the current AnalysisRun on the Application and fires on that run only, Inconclusive included', () => {
    const app = objectAt('generated/prod/_argocd/application-fraud-detector-prod.yaml');
    const run = objects().find((o) => o.obj.kind === 'AnalysisRun' && o.path.startsWith('generated/prod/fraud-detector/'));
    expect(run).toBeDefined();
    expect(app.metadata.annotations?.['modelplane.io/analysisrun']).toBe(run!.obj.metadata.name);
    const [t] = trigger();
    expect(t.when).toContain(".name == app.metadata.annotations['modelplane.io/analysisrun']");
    expect(t.when).toContain("'Unknown'");
    expect(t.oncePer).toBe("app.metadata.annotations['modelplane.io/analysisrun']");
    expect(t.oncePer).not.toContain('revision');
  });
});

describe('the platform progress deadline', () => {
  it('is the default deadline of the InferenceService health check', async () => {
    const { cloneReference, asDefinitions } = await import('../support/definitions.js');
    const { resolvePlatform } = await import('../../src/resolve/index.js');
    const { argocdConfigManifest } = await import('../../src/charts/argocd-health.js');
    const d = await cloneReference();
    d.platform.value.argocd = { progressDeadlineSeconds: 1800 };
    const cm = argocdConfigManifest(resolvePlatform(asDefinitions(d)));
    const pending = isvc([cond('PredictorReady', 'False', '2026-12-01T09:40:00Z', 'Unschedulable'), cond('Ready', 'False', '2026-12-01T09:40:00Z')]);
    const r = runHealthLua(cm.data![ISVC_HEALTH], pending, { openLibs: true, now: NOW });
    expect(r).toMatchObject({ status: 'Progressing' });
    expect(r.message).toContain('for 1200 s of 1800 s');
  });
});
