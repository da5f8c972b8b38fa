import { parser } from '@prometheus-io/lezer-promql';
import type { ModelDefinition, PlatformDefinition, QualityCheckDefinition, RolloutPolicyDefinition } from '../definitions/index.js';
import { diagnostic, type Diagnostic, type FieldPath, type PromqlText } from '../diagnostics/index.js';
import type { Loaded } from '../load/index.js';

/** `{{namespace}}`, `{{workload}}`, `{{model}}` and Argo's `{{args.x}}`: replaced by letters of the same length before parsing. */
const PLACEHOLDER = /\{\{[A-Za-z_.]+\}\}/g;

/**
 * Where a PromQL text does not parse, with the Prometheus project's own
 * grammar (@prometheus-io/lezer-promql): the offset of the first error in
 * `text`, or undefined when it parses. `prefix` and `suffix` wrap a fragment
 * (a label matcher list, a metric name) into a whole query.
 */
export function promqlSyntaxError(text: string, prefix = '', suffix = ''): { offset: number; found: string } | undefined {
  const bound = text.replace(PLACEHOLDER, (p) => 'x'.repeat(p.length));
  const query = `${prefix}${bound}${suffix}`;
  let error: number | undefined;
  parser.parse(query).iterate({
    enter(node) {
      if (error !== undefined) return false;
      if (node.type.isError) error = node.from;
      return undefined;
    },
  });
  if (error === undefined) return undefined;
  const offset = Math.min(Math.max(error - prefix.length, 0), text.length);
  return { offset, found: text.slice(offset, offset + 12) };
}

function check(out: Diagnostic[], file: string, path: FieldPath, of: PromqlText, text: unknown, prefix = '', suffix = ''): void {
  if (typeof text !== 'string') return;
  const error = promqlSyntaxError(text, prefix, suffix);
  if (!error) return;
  out.push(diagnostic('MP2005', { file, path: [...path] }, { path, of, text, offset: error.offset, found: error.found }));
}

function checkQuality(out: Diagnostic[], file: string, base: FieldPath, quality: readonly QualityCheckDefinition[] | undefined): void {
  if (!Array.isArray(quality)) return;
  quality.forEach((q, i) => check(out, file, [...base, i, 'query'], { check: String(q?.name) }, q?.query));
}

/** Quality queries of policies and models, and the platform's metric sources, parsed at validate time (MP2005). */
export function checkPromqlSyntax(platform: Loaded<PlatformDefinition> | undefined, policies: readonly Loaded<RolloutPolicyDefinition>[], models: readonly Loaded<ModelDefinition>[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const requests = platform?.value.metricSources?.requests;
  if (platform && requests) {
    const base = ['metricSources', 'requests'];
    check(out, platform.file, [...base, 'total'], { fragment: 'a metric name' }, requests.total, '', '{}');
    check(out, platform.file, [...base, 'durationBucketMs'], { fragment: 'a metric name' }, requests.durationBucketMs, '', '{}');
    check(out, platform.file, [...base, 'selector'], { fragment: 'label matchers' }, requests.selector, 'm{', '}');
    check(out, platform.file, [...base, 'errorMatcher'], { fragment: 'label matchers' }, requests.errorMatcher, 'm{', '}');
    check(out, platform.file, ['metricSources', 'gpuUtilization'], { fragment: 'a metric name' }, platform.value.metricSources.gpuUtilization, '', '{}');
  }
  for (const p of policies) checkQuality(out, p.file, ['analysis', 'quality'], p.value.analysis?.quality);
  for (const m of models) checkQuality(out, m.file, ['quality'], m.value.quality);
  return out;
}
