/** Compiles one TypeScript file of the repository with the project's compiler options (the TypeScript compiler API, as `tsc` does). */
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../support/repo.js';

export interface Compiled {
  readonly program: ts.Program;
  readonly source: ts.SourceFile;
  /** Every diagnostic of the file: syntax, semantics, unused `@ts-expect-error`. */
  readonly diagnostics: readonly ts.Diagnostic[];
}

function options(): ts.CompilerOptions {
  const configFile = path.join(REPO_ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configFile, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config.config, ts.sys, REPO_ROOT, undefined, configFile).options;
}

/** Compiles `relPath`; `rewrite` may replace its text (the file on disk is not changed). */
export function compile(relPath: string, rewrite?: (text: string) => string): Compiled {
  const file = path.join(REPO_ROOT, relPath);
  const compilerOptions = options();
  const host = ts.createCompilerHost(compilerOptions, true);
  if (rewrite) {
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, onError, shouldCreate) =>
      path.resolve(name) === file ? ts.createSourceFile(name, rewrite(ts.sys.readFile(file) ?? ''), language, true) : getSourceFile(name, language, onError, shouldCreate);
  }
  const program = ts.createProgram({ rootNames: [file], options: compilerOptions, host });
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`test setup: ${relPath} was not compiled`);
  return { program, source, diagnostics: [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)] };
}

/** `line: TScode message` of a diagnostic (1-based line). */
export function describeDiagnostic(d: ts.Diagnostic): string {
  const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
  return `${line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
}
