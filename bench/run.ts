/**
 * `npm run bench [filter...]`: runs every `bench/*.bench.ts` whose name contains one of the filters.
 * Each benchmark prints `bench <name> <value> <unit>` lines so runs can be compared by a script.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `name` is one token (letters, digits, `._-/`), so lines split on spaces; `note` says in words what was measured. */
export type Report = (name: string, value: number, unit: string, note?: string) => void;
export interface Benchmark {
  default: (report: Report) => Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark matches ${filters.join(' ')}`);
  process.exit(1);
}
const NAME = /^[A-Za-z0-9_.\/-]+$/;
const report: Report = (name, value, unit, note) => {
  if (!NAME.test(name) || !NAME.test(unit)) throw new Error(`bench names and units are single tokens, got "${name}" "${unit}"`);
  const shown = Number.isInteger(value) ? String(value) : value.toPrecision(4);
  console.log(`bench ${name} ${shown} ${unit}${note ? `  # ${note}` : ''}`);
};
for (const file of files) {
  console.error(`# ${file}`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as Benchmark;
  await mod.default(report);
}
