/**
 * Runs one graph in a fresh process over a given data folder and prints what executed, so tests can
 * prove that the cache survives a process restart. Usage: run-graph-child.ts <dataDir> <graph.json>
 */
import { readFileSync } from 'node:fs';
import { executions, testEngine } from './engine-fixtures.ts';

const [dir, file] = process.argv.slice(2);
const t = testEngine({}, dir);
const result = await t.engine.run(JSON.parse(readFileSync(file, 'utf8')));
const statuses = Object.fromEntries(Object.entries(result.nodes).map(([path, st]) => [path, st.status]));
process.stdout.write(JSON.stringify({ status: result.status, outputs: result.outputs, executions, statuses }));
