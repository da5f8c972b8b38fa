import type { Diagnostic } from '../diagnostics/index.js';
import { formatAnnotation, formatDiagnostic } from '../diagnostics/index.js';

/** Where commands print; tests pass their own. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Prints diagnostics, plus GitHub annotations when running in GitHub Actions. */
export function printDiagnostics(output: Output, diagnostics: readonly Diagnostic[], env: NodeJS.ProcessEnv = process.env): void {
  for (const d of diagnostics) {
    output.err(formatDiagnostic(d));
    if (env.GITHUB_ACTIONS === 'true') output.out(formatAnnotation(d));
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (diagnostics.length > 0) output.err(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
}

/** Exit codes of every command (DESIGN.md). */
export const ExitCode = { ok: 0, failed: 1, usage: 2, external: 3 } as const;

/** An error the user can act on without a stack trace: a missing tool, an unreachable server. */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.external,
  ) {
    super(message);
  }
}
