#!/usr/bin/env node
// Entry point of the `modelplane` command. Definitions are TypeScript, so the
// CLI runs under tsx's loader; the loader is registered before anything else.
import { register } from 'tsx/esm/api';

register();
// tsx turns on source-mapped stack traces; Node then keeps every module's map,
// which with thousands of model files costs a third of synth's time and
// hundreds of MiB. Definitions themselves never run in this process: they are
// bundled by a trusted child and evaluated in a sandboxed one (src/load/), and
// positions in diagnostics come from the TypeScript AST and the bundles' source
// maps. `--debug` keeps maps for stack traces of internal errors.
if (!process.argv.includes('--debug')) process.setSourceMapsEnabled(false);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
