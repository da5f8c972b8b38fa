import type { PlatformDefinition } from '../definitions/index.js';
import { diagnostic, type Diagnostic } from '../diagnostics/index.js';
import type { Loaded } from '../load/index.js';
import { RUNTIME_CONTRACTS, RUNTIME_KINDS, runtimeKindOf } from '../resolve/index.js';

/**
 * Every platform runtime must have a container contract modelplane knows
 * (MP3015), and may declare only protocols its model server serves (MP3016):
 * a ServingRuntime that lists a protocol the server does not speak gets
 * InferenceServices whose probes and routes 404.
 */
export function checkRuntimes(loaded: Loaded<PlatformDefinition>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { file, value: platform } = loaded;
  for (const name of Object.keys(platform.runtimes).sort()) {
    const r = platform.runtimes[name];
    const kind = runtimeKindOf(r);
    if (!kind) {
      out.push(diagnostic('MP3015', { file, path: ['runtimes', name, 'image'] }, { runtime: name, image: r.image, kinds: RUNTIME_KINDS }));
      continue;
    }
    const served = RUNTIME_CONTRACTS[kind].protocols;
    (r.protocols ?? []).forEach((p, i) => {
      if (!(served as readonly string[]).includes(p))
        out.push(diagnostic('MP3016', { file, path: ['runtimes', name, 'protocols', i] }, { runtime: name, kind, protocol: p, served }));
    });
  }
  return out;
}
