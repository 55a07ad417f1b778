/**
 * `npm run bench [filter...]`: runs every `bench/*.bench.ts` whose name contains one of the filters, each
 * in a fresh process, so one benchmark's heap, worker threads or browser never skew the next one.
 * Each benchmark prints `bench <name> <value> <unit>` lines so runs can be compared by a script.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `name` is one token (letters, digits, `._-/`), so lines split on spaces; `note` says in words what was measured. */
export type Report = (name: string, value: number, unit: string, note?: string) => void;
export interface Benchmark {
  default: (report: Report) => Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const NAME = /^[A-Za-z0-9_.\/-]+$/;

const report: Report = (name, value, unit, note) => {
  if (!NAME.test(name) || !NAME.test(unit)) throw new Error(`bench names and units are single tokens, got "${name}" "${unit}"`);
  const shown = Number.isInteger(value) ? String(value) : value.toPrecision(4);
  console.log(`bench ${name} ${shown} ${unit}${note ? `  # ${note}` : ''}`);
};

if (process.env.CASTGRAPH_BENCH_FILE) {
  const mod = (await import(pathToFileURL(join(here, process.env.CASTGRAPH_BENCH_FILE)).href)) as Benchmark;
  await mod.default(report);
} else {
  const filters = process.argv.slice(2);
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  if (files.length === 0) {
    console.error(`no benchmark matches ${filters.join(' ')}`);
    process.exit(1);
  }
  let failed = 0;
  for (const file of files) {
    console.error(`# ${file}`);
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      stdio: 'inherit',
      env: { ...process.env, CASTGRAPH_BENCH_FILE: file },
    });
    if (child.status !== 0) {
      failed++;
      console.error(`# ${file} failed (exit ${child.status ?? child.signal})`);
    }
  }
  process.exit(failed ? 1 : 0);
}
