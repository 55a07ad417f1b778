#!/usr/bin/env node
// The `castgraph` command. The CLI is TypeScript; tsx compiles it on the fly, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../runtime/cli/main.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`castgraph: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 70;
}
