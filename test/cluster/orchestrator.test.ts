// Unit tests of the cluster suite's own logic (the suite itself runs with `npm run cluster -- test`).
import { describe, expect, it } from 'vitest';
import { rewritePrometheus, syncOrder, type Rewrite } from './lib/apply.js';
import type { KubeObject } from './lib/kube.js';
import { Exporter, materialise, selectors } from './lib/metrics.js';
import { nodeObjects } from './lib/nodes.js';

const obj = (kind: string, name: string, wave?: number, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, ...(wave === undefined ? {} : { annotations: { 'argocd.argoproj.io/sync-wave': String(wave) } }) },
  ...extra,
});

describe('sync order', () => {
  it('applies by wave, then Argo CD kind order, then name', () => {
    const order = syncOrder([obj('ConfigMap', 'b', 1), obj('Namespace', 'n', -2), obj('InferenceService', 'i'), obj('ServiceAccount', 's', 1), obj('ConfigMap', 'a', 1)].map((object) => ({ file: 'f', object })));
    expect(order.map((m) => `${m.object.kind}/${m.object.metadata.name}`)).toEqual(['Namespace/n', 'InferenceService/i', 'ServiceAccount/s', 'ConfigMap/a', 'ConfigMap/b']);
  });
});

describe('Prometheus address rewrite', () => {
  it('rewrites only in-cluster addresses of analysis and KEDA prometheus triggers, and records each', () => {
    const rewrites: Rewrite[] = [];
    const run = obj('AnalysisRun', 'r', 2, {
      spec: { metrics: [{ provider: { prometheus: { address: 'http://prometheus-operated.monitoring.svc:9090', query: 'up' } } }, { provider: { prometheus: { address: 'http://10.0.0.5:9090', query: 'up' } } }] },
    });
    const out = rewritePrometheus(run, 'http://127.0.0.1:9999', rewrites) as any;
    expect(out.spec.metrics.map((m: any) => m.provider.prometheus.address)).toEqual(['http://127.0.0.1:9999', 'http://10.0.0.5:9090']);
    expect((run.spec as any).metrics[0].provider.prometheus.address).toBe('http://prometheus-operated.monitoring.svc:9090');
    expect(rewrites).toEqual([{ kind: 'AnalysisRun', namespace: undefined, name: 'r', field: 'spec.metrics[0].provider.prometheus.address', from: 'http://prometheus-operated.monitoring.svc:9090', to: 'http://127.0.0.1:9999' }]);
    const so = obj('ScaledObject', 's', 0, { spec: { triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://p.monitoring.svc.cluster.local:9090', query: 'up' } }, { type: 'cpu', metadata: {} }] } });
    expect((rewritePrometheus(so, 'http://127.0.0.1:1', rewrites) as any).spec.triggers[0].metadata.serverAddress).toBe('http://127.0.0.1:1');
    const cm = obj('ConfigMap', 'c', 0, { data: { url: 'http://prometheus-operated.monitoring.svc:9090' } });
    expect(rewritePrometheus(cm, 'http://127.0.0.1:1', rewrites)).toEqual(cm);
  });
});

describe('synthetic exporter', () => {
  it('reads the selectors of a query and materialises regex matchers', () => {
    expect(selectors('sum(rate(m_total{a="x",code=~"5..",pod=~"p-.*"}[5m])) / sum(rate(m_total{a="x"}[5m]))')).toEqual([
      { metric: 'm_total', labels: [{ name: 'a', op: '=', value: 'x' }, { name: 'code', op: '=~', value: '5..' }, { name: 'pod', op: '=~', value: 'p-.*' }] },
      { metric: 'm_total', labels: [{ name: 'a', op: '=', value: 'x' }] },
    ]);
    expect(materialise('5..')).toBe('500');
    expect(materialise('fraud-detector-v4-2-0-predictor-.*')).toBe('fraud-detector-v4-2-0-predictor-0');
  });

  it('serves errors only after the switch, as 5 % of the requests', () => {
    const e = new Exporter();
    e.add('sum(rate(istio_requests_total{w="a",response_code=~"5.."}[5m])) / sum(rate(istio_requests_total{w="a"}[5m]))');
    const value = (text: string, code: string) => Number(new RegExp(`response_code="${code}"} ([0-9.]+)`).exec(text)?.[1]);
    const before = e.render(Date.now() + 10_000);
    expect(value(before, '500')).toBe(0);
    const from = e.startErrors();
    const after = e.render(from + 100_000);
    expect(value(after, '500')).toBeCloseTo(50 * 0.05 * 100, 0);
  });
});

describe('kwok nodes', () => {
  it('makes one node per declared node with the pool labels, taints and capacity, GPUs as the extended resource', () => {
    const nodes = nodeObjects([
      { name: 'gpu', kind: 'gpu', nodes: 2, nodeSelector: { pool: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }], gpu: { perNode: 4, resourceName: 'nvidia.com/gpu' }, cpuPerNode: 48, memoryGiBPerNode: 190 },
      { name: 'cpu', kind: 'cpu', nodes: 1, nodeSelector: { pool: 'cpu' }, taints: [], cpuPerNode: 32, memoryGiBPerNode: 120 },
    ]);
    expect(nodes.map((n) => n.metadata.name)).toEqual(['gpu-0', 'gpu-1', 'cpu-0']);
    expect(nodes[0].metadata.labels).toMatchObject({ pool: 'gpu' });
    expect((nodes[0].spec as any).taints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
    expect((nodes[0].status as any).capacity).toEqual({ cpu: '48', memory: '190Gi', pods: '110', 'nvidia.com/gpu': '4' });
    expect((nodes[2].status as any).capacity['nvidia.com/gpu']).toBeUndefined();
  });
});
