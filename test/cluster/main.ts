// npm run cluster -- verify [--root DIR] [--env E] [--json] [--no-analysis]
// npm run cluster -- test [--root DIR]      (acceptance scenarios on the reference platform)
// npm run cluster -- build                  (only build the pinned components)
// npm run cluster -- argocd [--root DIR] [--env E] [--json]   (generated/<env>/ delivered by Argo CD: lib/argocd-scenario.ts)
// npm run cluster -- drill [--root DIR] [--env E] [--model M] [--healthy] [--json]   (the GitOps loop of one canary, timed: lib/drill.ts)
import { resolve } from 'node:path';
import { runArgoCdScenario } from './lib/argocd-scenario.js';
import { buildAll } from './lib/build.js';
import { DrillError, runDrill } from './lib/drill.js';
import { runCluster } from './lib/cluster.js';
import { readPlatform } from './lib/platform.js';
import { toJson, toText, verifyChecks, type JsonReport } from './lib/report.js';
import { runScenarios } from './lib/scenarios.js';

const USAGE = 'usage: npm run cluster -- <verify|test|build|argocd|drill> [--root DIR] [--env E] [--model M] [--healthy] [--json] [--no-analysis]';

interface Args {
  command: string;
  root: string;
  env?: string;
  model?: string;
  json: boolean;
  analysis: boolean;
  healthy: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const [command, ...rest] = argv;
  if (!command || !['verify', 'test', 'build', 'argocd', 'drill'].includes(command)) return `unknown command '${command ?? ''}'`;
  const args: Args = { command, root: process.cwd(), json: false, analysis: true, healthy: false };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--json') args.json = true;
    else if (a === '--no-analysis') args.analysis = false;
    else if (a === '--healthy') args.healthy = true;
    else if (a === '--root' || a === '--env' || a === '--model') {
      const v = rest[++i];
      if (!v) return `${a} needs a value`;
      if (a === '--root') args.root = resolve(v);
      else if (a === '--model') args.model = v;
      else args.env = v;
    } else return `unknown option '${a}'`;
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(`${args}\n${USAGE}`);
    return 2;
  }
  const log = (line: string) => console.error(`[cluster ${new Date().toISOString().slice(11, 19)}] ${line}`);
  const built = await buildAll(log, ['argocd', 'build', 'drill', 'test'].includes(args.command) ? ['argocd'] : []);
  if (args.command === 'build') {
    log(`binaries in ${built.cacheDir}`);
    return 0;
  }
  if (args.command === 'test') return runScenarios(args.root, built, log);
  if (args.command === 'drill') {
    try {
      return await runDrill({ root: args.root, env: args.env, model: args.model, healthy: args.healthy, json: args.json, log }, built);
    } catch (error) {
      if (!(error instanceof DrillError)) throw error;
      console.error(`cluster drill: ${error.message}`);
      return 2;
    }
  }
  if (args.command === 'argocd') return runArgoCdScenario({ root: args.root, env: args.env ?? 'prod', json: args.json, log }, built);

  const platform = await readPlatform(args.root);
  const envs = args.env ? [args.env] : platform.environments;
  const reports: JsonReport[] = [];
  for (const env of envs) {
    const result = await runCluster({ root: args.root, env, platform, bin: built.bin, analysis: args.analysis, faultyCopy: false, readyTimeoutMs: 480_000, log });
    const report = toJson(result, verifyChecks(result, args.analysis), built.seconds);
    reports.push(report);
    if (!args.json) console.log(toText(report) + '\n');
  }
  if (args.json) console.log(JSON.stringify(envs.length === 1 ? reports[0] : { environments: reports, ok: reports.every((r) => r.ok) }, null, 2));
  return reports.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`cluster: ${(error as Error).message}`);
    process.exit(3);
  },
);
