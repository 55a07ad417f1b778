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
    inputs: { x: { type: 'float', default: 0 } },
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
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 'bench.noop', typeVersion: 1, position: at, inputs: i === 0 ? { x: 1 } : {} }));
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
  for (let i = 0; i < n; i++) sha256('bench.noop@1\n' + canonicalJson({ x: shape === 'chain' ? 1 : i }));
  return (performance.now() - t0) / n;
}

function best(reps: number, f: () => number): number {
  let min = Infinity;
  for (let i = 0; i < reps; i++) min = Math.min(min, f());
  return min;
}

async function measure(n: number, shape: 'chain' | 'fanin', report: Report): Promise<{ cold: number; cached: number }> {
  const graph = shape === 'chain' ? chain(n) : fanIn(n);
  const json = JSON.parse(JSON.stringify(graph)); // what a file or an API request hands the engine
  let cold = Infinity;
  let cached = Infinity;
  let cachedBodies = -1;
  for (let rep = 0; rep < 5; rep++) {
    const dir = mkdtempSync(join(tmpdir(), 'castgraph-bench-'));
    try {
      const engine = new Engine({ registry, store: new ArtifactStore(join(dir, 'artifacts')), cacheDir: join(dir, 'cache'), workRoot: join(dir, 'work') });
      let t0 = performance.now();
      const first = await engine.run(json);
      cold = Math.min(cold, (performance.now() - t0) / n);
      if (first.status !== 'succeeded') throw new Error(`bench run failed: ${JSON.stringify(first.error)}`);
      bodies = 0;
      t0 = performance.now();
      await engine.run(json);
      cached = Math.min(cached, (performance.now() - t0) / n);
      cachedBodies = Math.max(cachedBodies, bodies);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const minimum = best(20, () => hashingMinimum(n, shape));
  const name = `engine.${shape}.${n}`;
  report(`${name}.hash_minimum`, minimum * 1000, 'us/node');
  report(`${name}.cold`, cold * 1000, 'us/node');
  report(`${name}.cold_ratio`, cold / minimum, 'x');
  report(`${name}.cached`, cached * 1000, 'us/node');
  report(`${name}.cached_ratio`, cached / minimum, 'x');
  report(`${name}.cached_body_executions`, cachedBodies, 'nodes');
  return { cold, cached };
}

export default async function engineBench(report: Report): Promise<void> {
  await measure(200, 'chain', () => {}); // warm the JIT
  for (const shape of ['chain', 'fanin'] as const) {
    const small = await measure(1000, shape, report);
    const large = await measure(2000, shape, report);
    report(`engine.${shape}.growth_2000_vs_1000.cold`, (large.cold * 2000) / (small.cold * 1000), 'x');
    report(`engine.${shape}.growth_2000_vs_1000.cached`, (large.cached * 2000) / (small.cached * 1000), 'x');
  }
}
