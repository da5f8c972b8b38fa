import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';

/**
 * A model route found in the last synthesized state (the working tree's
 * generated/): the model sends traffic in that environment.
 */
export interface LiveRoute {
  readonly env: string;
  readonly model: string;
  /** Repository-relative path of the HTTPRoute file. */
  readonly file: string;
  /** Predictor Services the route sends traffic to (a backend without weight counts as weight 1), sorted. */
  readonly backends: readonly string[];
}

/** Folders of generated/<env>/ that are not models. */
const NOT_MODELS = new Set(['_platform', '_argocd']);

/**
 * Every model route of generated/ that sends traffic: an HTTPRoute of
 * generated/<env>/<model>/ with at least one backend whose weight is not 0.
 * generated/ is what the previous `synth` wrote and Argo CD syncs (with prune),
 * so a route here is a model that serves traffic until the next sync. A file
 * that does not parse counts as a route with traffic (the safe side).
 */
export async function readLiveRoutes(root: string): Promise<LiveRoute[]> {
  const base = path.join(root, 'generated');
  if (!existsSync(base)) return [];
  const out: LiveRoute[] = [];
  for (const env of await folders(base)) {
    for (const model of await folders(path.join(base, env))) {
      if (NOT_MODELS.has(model)) continue;
      const dir = path.join(base, env, model);
      for (const name of (await readdir(dir)).filter((f) => f.startsWith('httproute-') && f.endsWith('.yaml')).sort()) {
        const backends = routeBackends(await readFile(path.join(dir, name), 'utf8'));
        if (backends.length > 0) out.push({ env, model, file: `generated/${env}/${model}/${name}`, backends });
      }
    }
  }
  return out;
}

async function folders(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** Backends an HTTPRoute sends traffic to: every backend whose weight is not 0, by name, sorted. */
export function routeBackends(text: string): string[] {
  let object: unknown;
  try {
    object = parseDocument(text).toJS();
  } catch {
    return ['(unreadable route)'];
  }
  const route = object as { spec?: { rules?: { backendRefs?: { name?: string; weight?: number }[] }[] } } | null;
  if (!route || typeof route !== 'object') return ['(unreadable route)'];
  const backends = (route.spec?.rules ?? []).flatMap((r) => r.backendRefs ?? []).filter((b) => b.weight === undefined || b.weight > 0);
  if (backends.length === 0) return [];
  return [...new Set(backends.map((b) => String(b.name ?? '(unnamed)')))].sort();
}
