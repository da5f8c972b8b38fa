import { Command, CommanderError } from 'commander';
import path from 'node:path';
import { ExitCode, processOutput, UserFacingError, type Output } from './output.js';
import { synthCommand, validateCommand } from './synth.js';

interface GlobalOptions {
  readonly root: string;
  readonly debug?: boolean;
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  let code: number = ExitCode.ok;
  let debug = argv.includes('--debug');
  const program = new Command()
    .name('modelplane')
    .description('Compile model, version and rollout definitions into Kubernetes YAML under generated/.')
    .option('--root <dir>', 'repository root holding models/, policies/ and generated/', process.cwd())
    .option('--debug', 'print stack traces of internal errors')
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) })
    .showHelpAfterError('(run `modelplane --help` for usage)');

  const globals = (): GlobalOptions => {
    const o = program.opts<GlobalOptions>();
    debug = Boolean(o.debug);
    return { root: path.resolve(o.root), debug: o.debug };
  };

  program
    .command('synth')
    .description('compile models/ and policies/ into generated/ (exit 0 ok, 1 diagnostics or drift)')
    .option('--check', 'compare generated/ with the definitions instead of writing; exit 1 on any difference')
    .action(async (o: { check?: boolean }) => {
      code = await synthCommand({ root: globals().root, check: o.check }, output);
    });

  program
    .command('validate')
    .description('run every check without writing anything (exit 0 ok, 1 diagnostics)')
    .action(async () => {
      code = await validateCommand({ root: globals().root }, output);
    });

  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof UserFacingError) {
      output.err(`modelplane: ${error.message}`);
      return error.exitCode;
    }
    const err = error instanceof Error ? error : new Error(String(error));
    const ioCode = (err as NodeJS.ErrnoException).code;
    if (ioCode && /^E[A-Z]+$/.test(ioCode)) {
      output.err(`modelplane: ${err.message}`);
      return ExitCode.external;
    }
    output.err(`modelplane: internal error: ${err.message}`);
    output.err(debug ? (err.stack ?? '') : 'This is a bug in modelplane; run again with --debug for the stack trace and report it.');
    return ExitCode.failed;
  }
}
