/**
 * The optional in-cluster promoter (platform.promoter): what `synth` writes to
 * generated/<env>/_platform/ for the fixture platform, the permissions its
 * ServiceAccount gets (get, list, watch of AnalysisRuns in the team namespaces,
 * nothing else), that each object is a valid Kubernetes object, and that an
 * image not pinned by digest is refused naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRepo, type Repo } from '../support/repo.js';
import { validateK8sObject } from '../support/k8s-validator.js';

const IMAGE = `ghcr.io/acme/modelplane@sha256:${'a'.repeat(64)}`;
const REPO_LINE = "  repoURL: 'https://github.com/acme/ml-platform.git',\n";

describe('platform.promoter', () => {
  let repo: Repo;
  let files: Map<string, Record<string, any>>;
  beforeAll(async () => {
    repo = await makeRepo({ platform: 'fixture', models: ['card-fraud', 'photo-moderation'] });
    await repo.edit('policies/platform.ts', REPO_LINE, `${REPO_LINE}  promoter: { image: '${IMAGE}' },\n`);
    const synth = await repo.run(['synth']);
    expect(synth.code, synth.stderr).toBe(0);
    files = new Map([...(await repo.tree()).entries()].filter(([p]) => p.startsWith('generated/prod/_platform/')).map(([p, b]) => [p, parse(b.toString('utf8'))]));
  });
  afterAll(async () => {
    await repo?.cleanup();
  });

  const only = (kind: string) => [...files.values()].filter((o) => o.kind === kind && o.metadata.name.startsWith('modelplane-promoter'));

  it('runs promote --watch for the environment on a clone of the repository, with the token from the Secret', () => {
    const [deployment] = only('Deployment');
    expect(deployment.metadata).toMatchObject({ name: 'modelplane-promoter', namespace: 'modelplane-system' });
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe('modelplane-promoter');
    expect(pod.containers[0].args).toEqual(['--root', '/work/repo', 'promote', '--watch', '--env', 'prod', '--pull']);
    expect(pod.containers[0].image).toBe(IMAGE);
    expect(pod.initContainers[0].command).toEqual(['git', 'clone', '--quiet', '--branch', 'main', 'https://github.com/acme/ml-platform.git', '/work/repo']);
    expect(pod.containers[0].env).toContainEqual({ name: 'GITHUB_TOKEN', valueFrom: { secretKeyRef: { name: 'modelplane-promoter-github', key: 'token' } } });
    expect(JSON.stringify(deployment)).not.toMatch(/x-access-token:|ghp_/);
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  it('gives its ServiceAccount only get, list and watch of AnalysisRuns, in each team namespace of the environment', () => {
    const roles = only('Role');
    expect(roles.map((r) => r.metadata.namespace).sort()).toEqual(['risk-prod', 'vision-prod']);
    for (const role of roles) expect(role.rules).toEqual([{ apiGroups: ['argoproj.io'], resources: ['analysisruns'], verbs: ['get', 'list', 'watch'] }]);
    for (const binding of only('RoleBinding')) expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'modelplane-promoter', namespace: 'modelplane-system' }]);
    expect([...files.values()].filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
  });

  it('writes valid Kubernetes objects, one file each', () => {
    const promoterFiles = [...files.entries()].filter(([, o]) => o.metadata.name.startsWith('modelplane-promoter') || o.metadata.name === 'modelplane-system');
    expect(promoterFiles.map(([p]) => p).sort()).toEqual([
      'generated/prod/_platform/deployment-modelplane-system-modelplane-promoter.yaml',
      'generated/prod/_platform/namespace-modelplane-system.yaml',
      'generated/prod/_platform/role-risk-prod-modelplane-promoter-analysisruns.yaml',
      'generated/prod/_platform/role-vision-prod-modelplane-promoter-analysisruns.yaml',
      'generated/prod/_platform/rolebinding-risk-prod-modelplane-promoter-analysisruns.yaml',
      'generated/prod/_platform/rolebinding-vision-prod-modelplane-promoter-analysisruns.yaml',
      'generated/prod/_platform/serviceaccount-modelplane-system-modelplane-promoter.yaml',
    ]);
    for (const [file, object] of promoterFiles) expect(validateK8sObject(object), file).toEqual([]);
  });

  it('refuses an image that is not pinned by digest, naming promoter.image', async () => {
    const other = await makeRepo({ platform: 'fixture', models: ['card-fraud'] });
    try {
      await other.edit('policies/platform.ts', REPO_LINE, `${REPO_LINE}  promoter: { image: 'ghcr.io/acme/modelplane:latest' },\n`);
      const result = await other.run(['validate']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^policies\/platform\.ts:\d+:\d+ - error MP\d{4}: promoter\.image /m);
    } finally {
      await other.cleanup();
    }
  });
});
