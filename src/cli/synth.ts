import { hasErrors } from '../diagnostics/index.js';
import { compareGenerated, hasDrift, renderFiles, writeGenerated } from '../synth/index.js';
import { compile } from './compile.js';
import { ExitCode, printDiagnostics, type Output } from './output.js';

export interface SynthOptions {
  readonly root: string;
  readonly check?: boolean;
}

/** `modelplane synth [--check]` */
export async function synthCommand(options: SynthOptions, output: Output): Promise<number> {
  const started = performance.now();
  const result = await compile(options.root, { render: false });
  printDiagnostics(output, result.diagnostics);
  if (hasErrors(result.diagnostics) || !result.platform) {
    output.err('synth: nothing written; fix the errors above');
    return ExitCode.failed;
  }
  const summary = result.platform.environments.map((e) => `${e.name}: ${e.models.length} models`).join(', ');
  if (options.check) {
    const drift = await compareGenerated(options.root, renderFiles(result.platform));
    if (!hasDrift(drift)) {
      output.out(`synth --check: generated/ is up to date (${drift.count} files; ${summary})`);
      return ExitCode.ok;
    }
    for (const p of drift.changed) output.err(`changed: ${p}`);
    for (const p of drift.missing) output.err(`missing: ${p}`);
    for (const p of drift.extra) output.err(`not produced by the definitions: ${p}`);
    const total = drift.changed.length + drift.missing.length + drift.extra.length;
    output.err(`synth --check: ${total} file${total === 1 ? '' : 's'} differ from the definitions; run \`npx modelplane synth\` and commit the result`);
    return ExitCode.failed;
  }
  const count = await writeGenerated(options.root, renderFiles(result.platform));
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  output.out(`synth: wrote ${count} files (${summary}) in ${seconds} s`);
  return ExitCode.ok;
}

/** `modelplane validate` */
export async function validateCommand(options: { root: string }, output: Output): Promise<number> {
  const result = await compile(options.root, { render: false });
  printDiagnostics(output, result.diagnostics);
  if (hasErrors(result.diagnostics)) return ExitCode.failed;
  const models = result.definitions.models.length;
  output.out(`validate: ${models} models and ${result.definitions.policies.length} policies are valid${result.diagnostics.length ? ` (${result.diagnostics.length} warnings)` : ''}`);
  return ExitCode.ok;
}
