/**
 * Engine overhead per node for a chain and a fan-in of no-op nodes, cold (empty cache) and fully cached,
 * at 1,000 and 2,000 nodes. The baseline, measured in the same run, is the minimum work per node:
 * one canonical-JSON sha256 of the same inputs. Each figure is the best of several repetitions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, canonicalJson, sha256 } from '../runtime/engine/index.ts';
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument } from '../runtime/graph/document.ts';
import { defineNode } from '../runtime/graph/node-definition.ts';
import { NodeRegistry } from '../runtime/graph/registry.ts';
import { ArtifactStore } from '../runtime/store/artifact-store.ts';
import type { Report } from './run.ts';

let bodies = 0;
const registry = new NodeRegistry([
  defineNode({
    type: 'bench.noop',
    version: 1,
    title: 'No-op',
    category: 'bench',
    description: 'Passes its input on.',
    // `salt` gives every node of the chain its own key: without it they would all share one (ids never enter keys)
    inputs: { x: { type: 'float', default: 0 }, salt: { type: 'int', default: 0 } },
    outputs: { value: { type: 'float' } },
    run: (_ctx, { x }) => {
      bodies++;
      return { value: x };
    },
  }),
  defineNode({
    type: 'bench.collect',
    version: 1,
    title: 'Collect',
    category: 'bench',
    description: 'Takes every connected value.',
    inputs: { values: { type: 'list<float>', multi: true } },
    outputs: { count: { type: 'int' } },
    run: (_ctx, { values }) => {
      bodies++;
      return { count: (values as number[]).length };
    },
  }),
]);

function doc(nodes: GraphDocument['nodes'], edges: GraphDocument['edges']): GraphDocument {
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, id: 'bench', name: 'bench', nodes, edges, inputs: [], outputs: [], groups: [], notes: [], meta: {} };
}

const at = { x: 0, y: 0 };
function chain(n: number): GraphDocument {
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 'bench.noop', typeVersion: 1, position: at, inputs: i === 0 ? { x: 1, salt: i } : { salt: i } }));
  const edges = Array.from({ length: n - 1 }, (_, i) => ({ id: `e${i}`, from: { node: `n${i}`, port: 'value' }, to: { node: `n${i + 1}`, port: 'x' } }));
  return doc(nodes, edges);
}

function fanIn(n: number): GraphDocument {
  const nodes = Array.from({ length: n - 1 }, (_, i) => ({ id: `n${i}`, type: 'bench.noop', typeVersion: 1, position: at, inputs: { x: i } as Record<string, unknown> }));
  nodes.push({ id: 'sink', type: 'bench.collect', typeVersion: 1, position: at, inputs: {} });
  const edges = Array.from({ length: n - 1 }, (_, i) => ({ id: `e${i}`, from: { node: `n${i}`, port: 'value' }, to: { node: 'sink', port: 'values' } }));
  return doc(nodes, edges);
}

/** The minimum work per node: one canonical-JSON sha256 of the inputs the node has. */
function hashingMinimum(n: number, shape: 'chain' | 'fanin'): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sha256('bench.noop@1\n' + canonicalJson(shape === 'chain' ? { salt: i, x: 1 } : { salt: 0, x: i }));
  return (performance.now() - t0) / n;
}

function best(reps: number, f: () => number): number {
  let min = Infinity;
  for (let i = 0; i < reps; i++) min = Math.min(min, f());
  return min;
}

function freshEngine(dir: string): Engine {
  return new Engine({ registry, store: new ArtifactStore(join(dir, 'artifacts')), cacheDir: join(dir, 'cache'), workRoot: join(dir, 'work') });
}

async function timed(engine: Engine, json: unknown, n: number): Promise<number> {
  const t0 = performance.now();
  const result = await engine.run(json);
  const perNode = (performance.now() - t0) / n;
  if (result.status !== 'succeeded') throw new Error(`bench run failed: ${JSON.stringify(result.error)}`);
  return perNode;
}

/** Cold: best of several runs, each on a fresh engine with an empty cache. Cached: best of many re-runs on one engine. */
async function measure(n: number, shape: 'chain' | 'fanin', report: Report): Promise<{ cold: number; cached: number }> {
  const json = JSON.parse(JSON.stringify(shape === 'chain' ? chain(n) : fanIn(n))); // what a file or an API request hands the engine
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-bench-'));
  try {
    let cold = Infinity;
    for (let rep = 0; rep < 12; rep++) cold = Math.min(cold, await timed(freshEngine(join(dir, `cold${rep}`)), json, n));
    const warm = freshEngine(join(dir, 'warm'));
    await warm.run(json);
    let cached = Infinity;
    bodies = 0;
    for (let rep = 0; rep < 12; rep++) cached = Math.min(cached, await timed(warm, json, n));
    const cachedBodies = bodies;
    const minimum = best(20, () => hashingMinimum(n, shape));
    const name = `engine.${shape}.${n}`;
    report(`${name}.hash_minimum`, minimum * 1000, 'us/node', 'one canonical-JSON sha256 of the node inputs');
    report(`${name}.cold`, cold * 1000, 'us/node', 'load + validate + plan + run with an empty cache, outputs written to the cache index');
    report(`${name}.cold_ratio`, cold / minimum, 'x');
    report(`${name}.cached`, cached * 1000, 'us/node', 'the same graph again, every node from the cache');
    report(`${name}.cached_ratio`, cached / minimum, 'x');
    report(`${name}.cached_body_executions`, cachedBodies, 'nodes', 'node bodies run during the cached re-runs');
    return { cold, cached };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function engineBench(report: Report): Promise<void> {
  await measure(200, 'chain', () => {}); // warm the JIT
  await measure(200, 'fanin', () => {});
  for (const shape of ['chain', 'fanin'] as const) {
    const small = await measure(1000, shape, report);
    const large = await measure(2000, shape, report);
    report(`engine.${shape}.growth_2000_vs_1000.cold`, (large.cold * 2000) / (small.cold * 1000), 'x');
    report(`engine.${shape}.growth_2000_vs_1000.cached`, (large.cached * 2000) / (small.cached * 1000), 'x');
  }
}
