import { Command, CommanderError } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isRepository, sweepStaleWorktrees } from '../git/git.js';
import { recoverInterruptedSwap } from '../synth/index.js';
import { ExitCode, processOutput, UserFacingError, type Output } from './output.js';
import { analyzeCommand } from './analyze.js';
import { planCommand } from './plan.js';
import { promoteCommand } from './promote.js';
import { watchCommand } from './watch.js';
import { releaseCommand } from './release.js';
import { rollbackCommand } from './rollback.js';
import { simulateCommand } from './simulate.js';
import { synthCommand, validateCommand } from './synth.js';

interface GlobalOptions {
  readonly root: string;
  readonly debug?: boolean;
}

/** The exit codes as README's CLI table states them. */
const EXIT_CODES = '0 ok; 1 diagnostics, drift, a refused change or a failed check; 2 usage error; 3 external failure (git, GitHub, Prometheus or the cluster)';

function endOnBrokenPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  // `modelplane simulate ... | head`: a reader that goes away ends the output quietly.
  if (output === processOutput) process.stdout.on('error', endOnBrokenPipe);
  let code: number = ExitCode.ok;
  let debug = argv.includes('--debug');
  const program = new Command()
    .name('modelplane')
    .description('Compile model, version and rollout definitions into Kubernetes YAML under generated/.')
    .option('--root <dir>', 'repository root holding models/, policies/ and generated/', process.cwd())
    .option('--debug', 'print stack traces of internal errors')
    .version(packageVersion(), '-V, --version', 'print the version of modelplane')
    .addHelpText('after', `\nExit codes: ${EXIT_CODES}.`)
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) })
    .showHelpAfterError('(run `modelplane --help` for usage)');

  const globals = (): GlobalOptions => {
    const o = program.opts<GlobalOptions>();
    debug = Boolean(o.debug);
    return { root: path.resolve(o.root), debug: o.debug };
  };

  // Before every command: the root must exist, and what killed runs left behind is cleared.
  program.hook('preAction', async () => {
    const { root } = globals();
    let isDirectory = false;
    try {
      isDirectory = statSync(root).isDirectory();
    } catch {
      throw new UserFacingError(`--root ${root} does not exist: pass the repository root that holds models/ and policies/`, ExitCode.usage);
    }
    if (!isDirectory) throw new UserFacingError(`--root ${root} is not a folder: pass the repository root that holds models/ and policies/`, ExitCode.usage);
    await recoverInterruptedSwap(root);
    if (await isRepository(root)) await sweepStaleWorktrees(root);
  });

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

  program
    .command('plan')
    .description('summarise what changes against REF: versions, traffic, replicas, GPUs, cost, warnings (exit 0, 1, 3)')
    .option('--base <ref>', 'git ref to compare with', 'HEAD')
    .option('--format <format>', 'markdown or json', 'markdown')
    .option('--comment', "create or update the pull request's plan comment (GITHUB_TOKEN, GITHUB_REPOSITORY)")
    .option('--pr <number>', 'pull request number for --comment (default: from GITHUB_EVENT_PATH)')
    .action(async (o: { base: string; format: string; comment?: boolean; pr?: string }) => {
      if (o.format !== 'markdown' && o.format !== 'json') throw new UserFacingError(`--format ${o.format} is not one of markdown, json`, ExitCode.usage);
      const pr = o.pr === undefined ? undefined : Number(o.pr);
      if (pr !== undefined && !(Number.isInteger(pr) && pr > 0)) throw new UserFacingError(`--pr ${o.pr} is not a pull request number`, ExitCode.usage);
      code = (await planCommand({ root: globals().root, base: o.base, format: o.format, comment: o.comment, pr }, output)).code;
    });

  program
    .command('release')
    .description('start a canary of VERSION (or deploy it where the policy has no steps) and commit it (exit 0, 1, 3)')
    .argument('<model>', 'model id')
    .argument('<version>', 'a version declared in the model file')
    .requiredOption('--env <env>', 'environment')
    .option('--policy <policy>', "rollout policy (default: the environment's)")
    .option('--no-pr', 'commit on a local branch instead of opening a pull request')
    .option('--base <branch>', 'base branch of the pull request (default: GITHUB_BASE_REF or the default branch)')
    .action(async (model: string, version: string, o: { env: string; policy?: string; pr: boolean; base?: string }) => {
      code = await releaseCommand({ root: globals().root, model, version, env: o.env, policy: o.policy, delivery: { noPr: !o.pr, base: o.base } }, output);
    });

  program
    .command('promote')
    .description("read each canary step's AnalysisRun and commit the next step, the promotion or a rollback (exit 0, 1, 3)")
    .requiredOption('--env <env>', 'environment')
    .option('--model <model>', 'only this model')
    .option('--status-file <file>', 'AnalysisRuns as JSON (`kubectl get analysisruns -o json`) instead of reading the cluster')
    .option('--no-pr', 'commit on a local branch instead of opening a pull request')
    .option('--base <branch>', 'base branch of the pull requests (default: GITHUB_BASE_REF or the default branch)')
    .option('--auto-merge', 'enable auto-merge on the pull requests it opens')
    .option('--watch', 'keep running: watch AnalysisRuns in the cluster and decide the moment one finishes (SIGTERM stops it, exit 0)')
    .option('--pull', 'with --watch: `git pull --ff-only` before each decision')
    .option('--refresh-kubeconfig <file>', "kubeconfig of Argo CD's cluster: refresh the model's Application right after a rollback is pushed (rollbackDelivery: 'push')")
    .action(async (o: { env: string; model?: string; statusFile?: string; pr: boolean; base?: string; autoMerge?: boolean; watch?: boolean; pull?: boolean; refreshKubeconfig?: string }) => {
      const delivery = { noPr: !o.pr, base: o.base, autoMerge: o.autoMerge };
      if (o.watch) {
        if (o.statusFile) throw new UserFacingError('--watch reads the cluster; it cannot be combined with --status-file', ExitCode.usage);
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGTERM', onSignal);
        process.once('SIGINT', onSignal);
        try {
          code = await watchCommand({ root: globals().root, env: o.env, model: o.model, delivery, pull: o.pull, signal: stop.signal, refreshKubeconfig: o.refreshKubeconfig }, output);
        } finally {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
        }
        return;
      }
      code = await promoteCommand({ root: globals().root, env: o.env, model: o.model, statusFile: o.statusFile, delivery, refreshKubeconfig: o.refreshKubeconfig }, output);
    });

  program
    .command('rollback')
    .description("revert the model's latest rollout in the environment with git revert and commit it (exit 0, 1, 3)")
    .argument('<model>', 'model id')
    .requiredOption('--env <env>', 'environment')
    .option('--no-pr', 'commit on a local branch instead of opening a pull request')
    .option('--base <branch>', 'base branch of the pull request (default: GITHUB_BASE_REF or the default branch)')
    .option('--refresh-kubeconfig <file>', "kubeconfig of Argo CD's cluster: refresh the model's Application right after the rollback is pushed (rollbackDelivery: 'push')")
    .action(async (model: string, o: { env: string; pr: boolean; base?: string; refreshKubeconfig?: string }) => {
      code = await rollbackCommand({ root: globals().root, model, env: o.env, delivery: { noPr: !o.pr, base: o.base }, refreshKubeconfig: o.refreshKubeconfig }, output);
    });

  program
    .command('analyze')
    .description("run the current canary step's analysis queries now and print the verdict (exit 0 pass, 1 fail or no data, 3 Prometheus unreachable)")
    .argument('<model>', 'model id')
    .requiredOption('--env <env>', 'environment')
    .requiredOption('--prometheus <url>', 'Prometheus base URL, e.g. http://127.0.0.1:9090')
    .action(async (model: string, o: { env: string; prometheus: string }) => {
      if (!isHttpUrl(o.prometheus)) throw new UserFacingError(`--prometheus ${o.prometheus} is not an http:// or https:// URL (e.g. http://127.0.0.1:9090)`, ExitCode.usage);
      code = await analyzeCommand({ root: globals().root, model, env: o.env, prometheus: o.prometheus }, output);
    });

  program
    .command('simulate')
    .description('simulate the declared traffic ramp and a spike against the emitted autoscaler settings (exit 0, 1 when the ramp leaves requests unserved)')
    .argument('<model>', 'model id')
    .requiredOption('--env <env>', 'environment')
    .action(async (model: string, o: { env: string }) => {
      code = await simulateCommand({ root: globals().root, model, env: o.env }, output);
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
