import { httpRouteManifest } from '../charts/http-route.js';
import type { ModelDefinition } from '../definitions/index.js';
import type { Loaded } from '../load/index.js';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { environment, resolvedModel, type Findings, type GateContext } from './gates-context.js';

/**
 * Limits of the Gateway API HTTPRoute (standard channel, v1) that the API
 * server enforces and a generated route can reach: the schema's `maxItems`,
 * lengths and patterns, and the CEL rules (`x-kubernetes-validations`) that
 * JSON Schema does not carry, such as the 128 matches across all rules. Each
 * entry quotes the rule it stands for.
 */
export const HTTPROUTE_LIMITS = {
  rules: 16,
  matchesPerRule: 64,
  /** CEL on spec.rules: the sum of matches (a rule without matches counts 1) must be <= 128. */
  matchesTotal: 128,
  headersPerMatch: 16,
  queryParamsPerMatch: 16,
  backendRefsPerRule: 16,
  filtersPerRule: 16,
  hostnames: 16,
  parentRefs: 32,
  maxWeight: 1_000_000,
  pathLength: 1024,
  headerNameLength: 256,
  headerValueLength: 4096,
} as const;

/** CEL: characters allowed in an Exact or PathPrefix path. */
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;
/** Schema pattern of header and query parameter names (RFC 7230 token). */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
/** Schema pattern of hostnames. */
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

type Rule = NonNullable<IHTTPRoute['spec']['rules']>[number];
type Match = NonNullable<Rule['matches']>[number];
type Filter = NonNullable<Rule['filters']>[number];

/** One broken limit: where in the route (a JSON path) and what the API server would say. */
export interface RouteViolation {
  readonly at: string;
  readonly message: string;
}

function pathViolations(at: string, path: NonNullable<Match['path']>): RouteViolation[] {
  const out: RouteViolation[] = [];
  const type = path.type ?? 'PathPrefix';
  const value = path.value ?? '/';
  if (!['Exact', 'PathPrefix', 'RegularExpression'].includes(type)) out.push({ at: `${at}.type`, message: `type must be one of ['Exact', 'PathPrefix', 'RegularExpression'], got '${type}'` });
  if (value.length > HTTPROUTE_LIMITS.pathLength) out.push({ at: `${at}.value`, message: `is ${value.length} characters long, at most ${HTTPROUTE_LIMITS.pathLength} are allowed` });
  if (type !== 'Exact' && type !== 'PathPrefix') return out;
  const bad = (message: string) => out.push({ at: `${at}.value`, message: `'${value}' ${message} (type ${type})` });
  if (!value.startsWith('/')) bad("must be an absolute path and start with '/'");
  for (const s of ['//', '/./', '/../', '%2f', '%2F', '#']) if (value.includes(s)) bad(`must not contain '${s}'`);
  for (const s of ['/..', '/.']) if (value.endsWith(s)) bad(`must not end with '${s}'`);
  if (!PATH_CHARS.test(value)) bad(`must only contain valid characters (matching ${PATH_CHARS.source})`);
  return out;
}

function nameViolations(at: string, items: readonly { name: string; value: string }[] | undefined, max: number, maxValue: number): RouteViolation[] {
  const out: RouteViolation[] = [];
  if (!items) return out;
  if (items.length > max) out.push({ at, message: `has ${items.length} entries, at most ${max} are allowed` });
  items.forEach((h, i) => {
    if (h.name.length < 1 || h.name.length > HTTPROUTE_LIMITS.headerNameLength || !HEADER_NAME.test(h.name))
      out.push({ at: `${at}[${i}].name`, message: `'${h.name}' is not a valid name (1–${HTTPROUTE_LIMITS.headerNameLength} characters matching ${HEADER_NAME.source})` });
    if (h.value.length < 1 || h.value.length > maxValue) out.push({ at: `${at}[${i}].value`, message: `must be 1–${maxValue} characters, got ${h.value.length}` });
  });
  return out;
}

function filterViolations(at: string, filters: readonly Filter[] | undefined, matches: readonly Match[]): RouteViolation[] {
  const out: RouteViolation[] = [];
  if (!filters) return out;
  if (filters.length > HTTPROUTE_LIMITS.filtersPerRule) out.push({ at, message: `has ${filters.length} filters, at most ${HTTPROUTE_LIMITS.filtersPerRule} are allowed` });
  for (const type of ['CORS', 'RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite'])
    if (filters.filter((f) => f.type === type).length > 1) out.push({ at, message: `${type} filter cannot be repeated` });
  if (filters.some((f) => f.type === 'RequestRedirect') && filters.some((f) => f.type === 'URLRewrite'))
    out.push({ at, message: 'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both' });
  const prefixReplaced = filters.find((f) => f.requestRedirect?.path?.type === 'ReplacePrefixMatch' || f.urlRewrite?.path?.type === 'ReplacePrefixMatch');
  if (prefixReplaced && !(matches.length === 1 && (matches[0].path?.type ?? 'PathPrefix') === 'PathPrefix'))
    out.push({ at, message: `When using ${prefixReplaced.type} filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified` });
  return out;
}

/**
 * Every limit of the HTTPRoute CRD the route breaks. Pure. Defaults are
 * applied as the API server does before it runs CEL: a rule without matches
 * has one match (PathPrefix `/`).
 */
export function httpRouteViolations(route: IHTTPRoute): RouteViolation[] {
  const L = HTTPROUTE_LIMITS;
  const spec = route.spec;
  const out: RouteViolation[] = [];
  const rules = spec.rules ?? [];
  if (rules.length < 1 || rules.length > L.rules) out.push({ at: 'spec.rules', message: `has ${rules.length} rules, 1 to ${L.rules} are allowed` });
  const total = rules.reduce((n, r) => n + Math.max(1, r.matches?.length ?? 0), 0);
  if (total > L.matchesTotal)
    out.push({ at: 'spec.rules', message: `has ${total} matches across all rules: while 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be at most ${L.matchesTotal}` });
  if ((spec.hostnames?.length ?? 0) > L.hostnames) out.push({ at: 'spec.hostnames', message: `has ${spec.hostnames!.length} hostnames, at most ${L.hostnames} are allowed` });
  (spec.hostnames ?? []).forEach((h, i) => {
    if (h.length > 253 || !HOSTNAME.test(h)) out.push({ at: `spec.hostnames[${i}]`, message: `'${h}' is not a valid hostname` });
  });
  if ((spec.parentRefs?.length ?? 0) > L.parentRefs) out.push({ at: 'spec.parentRefs', message: `has ${spec.parentRefs!.length} parents, at most ${L.parentRefs} are allowed` });
  rules.forEach((rule, r) => {
    const at = `spec.rules[${r}]`;
    const matches = rule.matches ?? [];
    if (matches.length > L.matchesPerRule) out.push({ at: `${at}.matches`, message: `has ${matches.length} matches, at most ${L.matchesPerRule} are allowed` });
    matches.forEach((m, i) => {
      if (m.path) out.push(...pathViolations(`${at}.matches[${i}].path`, m.path));
      out.push(...nameViolations(`${at}.matches[${i}].headers`, m.headers, L.headersPerMatch, L.headerValueLength));
      out.push(...nameViolations(`${at}.matches[${i}].queryParams`, m.queryParams, L.queryParamsPerMatch, 1024));
    });
    const backends = rule.backendRefs ?? [];
    if (backends.length > L.backendRefsPerRule) out.push({ at: `${at}.backendRefs`, message: `has ${backends.length} backends, at most ${L.backendRefsPerRule} are allowed` });
    backends.forEach((b, i) => {
      const w = b.weight ?? 1;
      if (!Number.isInteger(w) || w < 0 || w > L.maxWeight) out.push({ at: `${at}.backendRefs[${i}].weight`, message: `${w} is not an integer from 0 to ${L.maxWeight}` });
      const isService = (b.group ?? '') === '' && (b.kind ?? 'Service') === 'Service';
      if (isService && b.port === undefined) out.push({ at: `${at}.backendRefs[${i}]`, message: 'Must have port for Service reference' });
      if (b.port !== undefined && (b.port < 1 || b.port > 65535)) out.push({ at: `${at}.backendRefs[${i}].port`, message: `${b.port} is not a port (1–65535)` });
      out.push(...filterViolations(`${at}.backendRefs[${i}].filters`, b.filters, matches));
    });
    if (rule.filters?.some((f) => f.type === 'RequestRedirect') && backends.length > 0)
      out.push({ at: `${at}`, message: 'RequestRedirect filter must not be used together with backendRefs' });
    out.push(...filterViolations(`${at}.filters`, rule.filters, matches));
  });
  return out;
}

/** MP8001: every model's HTTPRoute, exactly as it is emitted, within the limits the API server enforces. */
export function checkRoutes(context: GateContext, loaded: Loaded<ModelDefinition>, found: Findings): void {
  for (const env of Object.keys(loaded.value.deploy)) {
    const model = resolvedModel(context, env, loaded.file);
    const resolvedEnv = environment(context, env);
    if (!model || !resolvedEnv) continue;
    const violations = httpRouteViolations(httpRouteManifest({ env: resolvedEnv, model }));
    if (violations.length === 0) continue;
    const field = loaded.value.deploy[env].tenants ? ['deploy', env, 'tenants'] : ['deploy', env];
    found.add('MP8001', loaded.file, field, { route: model.route, env, violations });
  }
}
