#!/usr/bin/env node
// Entry point of the `modelplane` command. Definitions are TypeScript, so the
// CLI runs under tsx's loader; the loader is registered before anything else.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
