import { describe, expect, it } from 'vitest';
import { hasCrdSchema, validateCrdObject } from './crd-validator.js';
import { validateAnyObject, validateK8sObject } from './k8s-validator.js';

// The InferenceService schema is the largest; its first compile may take a moment.
const COMPILE_TIMEOUT = 30_000;

function inferenceService(predictor: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'fraud', namespace: 'ml-fraud' },
    spec: { predictor },
  };
}

const sklearnPredictor = {
  model: { modelFormat: { name: 'sklearn' }, storageUri: 's3://models/fraud/1' },
};

function httpRoute(rule: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'fraud', namespace: 'ml-fraud' },
    spec: {
      parentRefs: [{ name: 'ml-gateway', namespace: 'gateway-system' }],
      hostnames: ['fraud.ml.example.com'],
      rules: [rule],
    },
  };
}

const routeRule = {
  matches: [{ path: { type: 'PathPrefix', value: '/v1/models/fraud' } }],
  backendRefs: [{ name: 'fraud-predictor', port: 80, weight: 100 }],
};

describe('CRD validator', () => {
  it('knows which kinds have derived CRD schemas', () => {
    expect(hasCrdSchema('serving.kserve.io/v1beta1', 'InferenceService')).toBe(true);
    expect(hasCrdSchema('gateway.networking.k8s.io/v1', 'HTTPRoute')).toBe(true);
    expect(hasCrdSchema('argoproj.io/v1alpha1', 'AnalysisTemplate')).toBe(true);
    expect(hasCrdSchema('v1', 'Namespace')).toBe(false);
    expect(validateCrdObject({ apiVersion: 'v1', kind: 'Namespace' })).toEqual([
      'no CRD schema for v1/Namespace',
    ]);
  });

  it('accepts a minimal sklearn InferenceService', { timeout: COMPILE_TIMEOUT }, () => {
    expect(validateCrdObject(inferenceService(sklearnPredictor))).toEqual([]);
  });

  it('rejects an unknown field under spec.predictor and names it', () => {
    const errors = validateCrdObject(inferenceService({ ...sklearnPredictor, foo: 1 }));
    expect(errors).toEqual(['/spec/predictor/foo: must NOT have additional properties (foo)']);
  });

  it('rejects a string where minReplicas must be an integer', () => {
    const errors = validateCrdObject(inferenceService({ ...sklearnPredictor, minReplicas: 'two' }));
    expect(errors).toEqual(['/spec/predictor/minReplicas: must be integer']);
  });

  it('accepts integers and strings in int-or-string fields but nothing else', () => {
    const withLimits = (cpu: unknown) =>
      inferenceService({
        ...sklearnPredictor,
        model: { ...sklearnPredictor.model, resources: { limits: { cpu, memory: '2Gi' } } },
      });
    expect(validateCrdObject(withLimits(2))).toEqual([]);
    expect(validateCrdObject(withLimits('500m'))).toEqual([]);
    expect(validateCrdObject(withLimits(true))).toEqual([
      '/spec/predictor/model/resources/limits/cpu: must be integer or string',
    ]);
  });

  it('leaves the root metadata open, as the CRD does', () => {
    const obj = inferenceService(sklearnPredictor);
    obj.metadata = { name: 'fraud', labels: { team: 'risk' }, anything: { goes: true } };
    expect(validateCrdObject(obj)).toEqual([]);
  });

  it('accepts a valid HTTPRoute', () => {
    expect(validateCrdObject(httpRoute(routeRule))).toEqual([]);
  });

  it('rejects an unknown field in an HTTPRoute rule', () => {
    expect(validateCrdObject(httpRoute({ ...routeRule, retries: 3 }))).toEqual([
      '/spec/rules/0/retries: must NOT have additional properties (retries)',
    ]);
  });

  it('rejects an HTTPRoute path match type outside the enum', () => {
    const errors = validateCrdObject(
      httpRoute({ ...routeRule, matches: [{ path: { type: 'Glob', value: '/x' } }] }),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^\/spec\/rules\/0\/matches\/0\/path\/type: must be equal to one of the allowed values/);
  });

  it('accepts an AnalysisTemplate with a prometheus metric', () => {
    const template = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'success-rate', namespace: 'ml-fraud' },
      spec: {
        args: [{ name: 'service-name' }],
        metrics: [
          {
            name: 'success-rate',
            interval: '1m',
            count: 5,
            failureLimit: '1',
            successCondition: 'result[0] >= 0.99',
            provider: {
              prometheus: {
                address: 'http://prometheus.monitoring:9090',
                query: 'sum(rate(requests_total{service="{{args.service-name}}",code!~"5.."}[1m]))',
              },
            },
          },
        ],
      },
    };
    expect(validateCrdObject(template)).toEqual([]);
    const broken = structuredClone(template);
    (broken.spec.metrics[0].provider.prometheus as Record<string, unknown>).timeout = 'soon';
    expect(validateCrdObject(broken)).toEqual([
      '/spec/metrics/0/provider/prometheus/timeout: must be integer',
    ]);
  });
});

describe('kubernetes-models validator', () => {
  it('accepts a Namespace', () => {
    expect(
      validateK8sObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml-fraud' } }),
    ).toEqual([]);
  });

  it('rejects a PriorityClass without a value', () => {
    const errors = validateK8sObject({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'ml-serving' },
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^\/: must have required property '?value'?$/);
  });

  it('accepts an Argo CD Application', () => {
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'ml-fraud', namespace: 'argocd' },
      spec: {
        project: 'ml',
        source: { repoURL: 'https://github.com/acme/ml-deploy', path: 'envs/prod/fraud', targetRevision: 'main' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'ml-fraud' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    };
    expect(validateK8sObject(app)).toEqual([]);
    expect(validateAnyObject(app)).toEqual([]);
  });

  it('rejects a Service port that is not a number', () => {
    expect(
      validateK8sObject({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'fraud' },
        spec: { ports: [{ port: 'http' }] },
      }),
    ).toEqual(['/spec/ports/0/port: must be integer']);
  });

  it('reports kinds it cannot validate', () => {
    expect(validateK8sObject({ apiVersion: 'example.com/v1', kind: 'Widget' })).toEqual([
      'no kubernetes-models validator for example.com/v1/Widget',
    ]);
  });

  it('dispatches CRD kinds to the strict CRD schemas', () => {
    expect(validateAnyObject(httpRoute({ ...routeRule, retries: 3 }))).toEqual([
      '/spec/rules/0/retries: must NOT have additional properties (retries)',
    ]);
  });
});
