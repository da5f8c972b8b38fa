/** The HTTPRoute limits the API server enforces (schema and CEL), checked on routes as modelplane emits them. */
import { describe, expect, it } from 'vitest';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { httpRouteViolations } from '../../src/validate/gates-route.js';

type Rule = NonNullable<IHTTPRoute['spec']['rules']>[number];
const backend = { name: 'fraud-detector-v4-1-0-predictor', port: 80, weight: 100 };
const route = (rules: Rule[], extra: Partial<IHTTPRoute['spec']> = {}): IHTTPRoute => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'fraud-detector' },
  spec: { parentRefs: [{ name: 'public' }], hostnames: ['models.acme.com'], rules, ...extra },
});
const exact = (value: string) => ({ path: { type: 'Exact' as const, value } });
const rule = (matches: Rule['matches'], more: Partial<Rule> = {}): Rule => ({ matches, backendRefs: [backend], ...more });
const at = (r: IHTTPRoute) => httpRouteViolations(r).map((v) => v.at);
const messages = (r: IHTTPRoute) => httpRouteViolations(r).map((v) => v.message).join('\n');

describe('httpRouteViolations', () => {
  it('accepts the KServe paths, colon included', () => {
    expect(httpRouteViolations(route([rule([exact('/v1/models/fraud-detector:predict'), { path: { type: 'PathPrefix', value: '/v2/models/fraud-detector' } }])]))).toEqual([]);
  });

  it('accepts exactly 128 matches in all and refuses 129 (the CEL sum over rules)', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => exact(`/p${i}`));
    expect(httpRouteViolations(route([rule(many(64)), rule(many(64))]))).toEqual([]);
    expect(at(route([rule(many(64)), rule(many(64)), rule(undefined)]))).toEqual(['spec.rules']);
    expect(messages(route([rule(many(64)), rule(many(64)), rule(undefined)]))).toContain('129 matches across all rules');
  });

  it.each([
    ['17 rules', route(Array.from({ length: 17 }, (_, i) => rule([exact(`/r${i}`)]))), 'spec.rules'],
    ['65 matches in one rule', route([rule(Array.from({ length: 65 }, (_, i) => exact(`/m${i}`)))]), 'spec.rules[0].matches'],
    ['17 headers in one match', route([rule([{ ...exact('/a'), headers: Array.from({ length: 17 }, (_, i) => ({ type: 'Exact' as const, name: `x-h${i}`, value: 'v' })) }])]), 'spec.rules[0].matches[0].headers'],
    ['a header name with a space', route([rule([{ ...exact('/a'), headers: [{ type: 'Exact' as const, name: 'x tenant', value: 'a' }] }])]), 'spec.rules[0].matches[0].headers[0].name'],
    ['a relative path', route([rule([exact('v1/models/x')])]), 'spec.rules[0].matches[0].path.value'],
    ["a path with '//'", route([rule([exact('/v1//models')])]), 'spec.rules[0].matches[0].path.value'],
    ["a path ending in '/.'", route([rule([exact('/v1/models/.')])]), 'spec.rules[0].matches[0].path.value'],
    ['a path with a space', route([rule([exact('/v1/models/a b')])]), 'spec.rules[0].matches[0].path.value'],
    ['a weight above 1000000', route([rule([exact('/a')], { backendRefs: [{ ...backend, weight: 1_000_001 }] })]), 'spec.rules[0].backendRefs[0].weight'],
    ['a Service backend without a port', route([rule([exact('/a')], { backendRefs: [{ name: 'svc' }] })]), 'spec.rules[0].backendRefs[0]'],
    ['17 backends', route([rule([exact('/a')], { backendRefs: Array.from({ length: 17 }, (_, i) => ({ ...backend, name: `b${i}` })) })]), 'spec.rules[0].backendRefs'],
    ['17 hostnames', route([rule([exact('/a')])], { hostnames: Array.from({ length: 17 }, (_, i) => `h${i}.acme.com`) }), 'spec.hostnames'],
    [
      'a prefix rewrite on two matches',
      route([rule([{ path: { type: 'PathPrefix', value: '/a' } }, { path: { type: 'PathPrefix', value: '/b' } }], { filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }] })]),
      'spec.rules[0].filters',
    ],
  ])('refuses %s', (_what, r, path) => {
    expect(at(r)).toContain(path);
  });
});
