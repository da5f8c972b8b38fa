#!/usr/bin/env node
// Entry point of the `modelplane` command. Definitions are TypeScript, so the
// CLI runs under tsx's loader; the loader is registered before anything else.
import { register } from 'tsx/esm/api';

register();
// tsx turns on source-mapped stack traces; Node then keeps every module's map,
// which with thousands of model files costs a third of synth's time and
// hundreds of MiB. Positions in diagnostics come from the TypeScript AST (and a
// file that throws is re-imported with maps in a child process). `--debug`
// keeps them for stack traces of internal errors.
if (!process.argv.includes('--debug')) process.setSourceMapsEnabled(false);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
