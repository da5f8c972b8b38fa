/**
 * PromQL is checked where it is written: quality queries of policies and
 * models, and the platform's metric sources, parse with the Prometheus
 * project's grammar at validate time (MP2005, at the field's file:line:col);
 * values bound into selectors cannot break out of their label value; the
 * per-user-label check knows the common identifiers.
 */
import { parser } from '@prometheus-io/lezer-promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/cli/compile.js';
import { bindQuery, bindSelector } from '../../src/metrics/bind.js';
import { formatPath, type Diagnostic } from '../../src/diagnostics/index.js';
import { userLabelIn } from '../../src/validate/gates-security.js';
import { validateDefinitions } from '../../src/validate/index.js';
import { promqlSyntaxError } from '../../src/validate/promql-syntax.js';
import { asDefinitions, cloneReference, modelOf, policyOf } from '../support/definitions.js';
import { makeRepo, type Repo } from '../support/repo.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const syntax = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.code === 'MP2005').map((d) => `${d.file} ${formatPath(d.path)}`);

describe('promqlSyntaxError', () => {
  it.each([
    'sum(rate(fraud_decisions_total{namespace="{{namespace}}",pod=~"{{workload}}-.*",decision="approve"}[10m])) / sum(rate(fraud_decisions_total{namespace="{{namespace}}",pod=~"{{workload}}-.*"}[10m]))',
    'max(model_feature_psi{namespace="{{namespace}}",pod=~"{{workload}}-.*",feature="score"})',
    'histogram_quantile(0.99, sum by (le) (rate({{model}}_latency_bucket[5m])))',
    'sum(rate(x{namespace="{{args.namespace}}"}[5m])) > bool 0',
  ])('accepts %s', (query) => {
    expect(promqlSyntaxError(query)).toBeUndefined();
  });

  it.each([
    ['sum(rate(x[5m])', 15],
    ['sum(rate(x[5m])) by (le', 23],
    ['x{a="b"', 7],
    ['rate(x[5m]) > 0.1 and', 21],
    ['foo bar', 4],
    ['x{a=b}', 4],
  ])('rejects %s at offset %d', (query, offset) => {
    expect(promqlSyntaxError(query)?.offset).toBe(offset);
  });
});

describe('validate parses every quality query and metric source', () => {
  it('finds nothing in the reference platform', async () => {
    expect(syntax(validateDefinitions(asDefinitions(await cloneReference()), NOW))).toEqual([]);
  });

  it('reports a broken model, policy and platform query at its field', async () => {
    const d = await cloneReference();
    modelOf(d, 'fraud-detector').quality![0].query = 'sum(rate(fraud_decisions_total[10m])';
    const progressive = policyOf(d, 'progressive');
    progressive.analysis.quality = [{ name: 'drift', query: 'max(psi) >', condition: '<= 0.2' }];
    d.platform.value.metricSources.requests.selector = 'reporter="destination",destination_workload="{{workload}}';
    expect(syntax(validateDefinitions(asDefinitions(d), NOW)).sort()).toEqual([
      'models/fraud-detector.ts quality[0].query',
      'policies/platform.ts metricSources.requests.selector',
      'policies/progressive.ts analysis.quality[0].query',
    ]);
  });
});

describe('a query that does not parse, in a repository', () => {
  let repo: Repo;
  let diagnostics: readonly Diagnostic[];
  beforeAll(async () => {
    repo = await makeRepo({ models: ['fraud-detector'] });
    await repo.edit('models/fraud-detector.ts', 'decision="approve"}[10m]))', 'decision="approve"}[10m])');
    diagnostics = (await compile(repo.root, { render: false })).diagnostics;
  });
  afterAll(() => repo?.cleanup());

  it('is MP2005 at the query field, naming the offset', async () => {
    const found = diagnostics.filter((d) => d.code === 'MP2005');
    expect(found).toHaveLength(1);
    const text = await repo.read('models/fraud-detector.ts');
    const line = text.split('\n').findIndex((l) => l.includes("query: 'sum(rate(fraud_decisions_total")) + 1;
    expect(found[0]).toMatchObject({ file: 'models/fraud-detector.ts', line, path: ['quality', 0, 'query'] });
    expect(found[0].column).toBe(text.split('\n')[line - 1].indexOf('query:') + 1);
    expect(found[0].message).toMatch(/is not valid PromQL \((unexpected .* at character \d+|it ends too early)\)/);
  });
});

describe('values bound into selectors', () => {
  const matchers = (selector: string) => {
    const names: string[] = [];
    parser.parse(`m{${selector}}`).iterate({
      enter(n) {
        if (n.name === 'LabelName') names.push(n.name);
      },
    });
    return names.length;
  };

  it('cannot close the label value and add matchers or operators', () => {
    const hostile = 'ns"} or vector(1) # ';
    const bound = bindSelector('namespace="{{namespace}}",pod=~"{{workload}}-.*"', hostile, 'w\\"x');
    expect(promqlSyntaxError(bound, 'm{', '}')).toBeUndefined();
    expect(matchers(bound)).toBe(2);
    expect(bound).toBe('namespace="ns\\"} or vector(1) # ",pod=~"w\\\\\\"x-.*"');
    expect(promqlSyntaxError(bindQuery('sum(x{model="{{model}}"})', 'a', 'b', 'm"\n)'))).toBeUndefined();
  });

  it('leaves names and Argo placeholders as they are', () => {
    expect(bindSelector('a="{{namespace}}",b="{{workload}}"', '{{args.namespace}}', 'fraud-detector-v4-1-0-predictor')).toBe('a="{{args.namespace}}",b="fraud-detector-v4-1-0-predictor"');
  });
});

describe('the per-user-label check', () => {
  it.each(['uid', 'user_id', 'userId', 'client_id', 'session_id', 'request_id', 'device_id', 'customer_uuid', 'username', 'email', 'email_address', 'client_ip', 'phone_number'])(
    'finds %s used as a label',
    (label) => {
      expect(userLabelIn(`sum by (${label}) (rate(predictions_total[5m]))`)).toBe(label);
    },
  );

  it.each(['sum by (pod, namespace, instance, job) (rate(predictions_total[5m]))', 'sum(rate(request_ids_seen_total[5m]))', 'sum(rate(x{client="web"}[5m]))'])('does not flag %s', (query) => {
    expect(userLabelIn(query)).toBeUndefined();
  });
});
