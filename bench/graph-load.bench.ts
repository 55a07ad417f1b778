/**
 * Loading cost per node: `loadDocument` (schema check, migrations, full validation) on a chain and
 * a fan-in, at 1,000, 2,000 and 10,000 nodes, beside the minimum work per node measured in the same
 * run (one canonical-JSON sha256 of a node's inputs) and beside the zod schema alone, which the
 * loader's fast path replaces for valid documents.
 */
import { canonicalJson, sha256 } from '../runtime/engine/canonical.ts';
import { GRAPH_FORMAT, GRAPH_VERSION, GraphDocument, type GraphDocumentT } from '../runtime/graph/document.ts';
import { defineNode, loadDocument, NodeRegistry } from '../runtime/graph/index.ts';
import type { Report } from './run.ts';

const registry = new NodeRegistry([
  defineNode({
    type: 'bench.step', version: 1, title: 'Step', category: 'bench', description: 'One float in, one out.',
    inputs: { x: { type: 'float', default: 0, min: -1e9, max: 1e9 }, label: { type: 'text', optional: true } },
    outputs: { value: { type: 'float' } },
    run: ({}, { x }) => ({ value: x }),
  }),
  defineNode({
    type: 'bench.sink', version: 1, title: 'Sink', category: 'bench', description: 'Takes every wire.',
    inputs: { values: { type: 'list<float>', multi: true } },
    outputs: { count: { type: 'int' } },
    run: ({}, { values }) => ({ count: (values as number[]).length }),
  }),
]);

function graph(n: number, shape: 'chain' | 'fanin'): GraphDocumentT {
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 'bench.step', typeVersion: 1, position: { x: i, y: 0 }, inputs: { x: i, label: `step ${i}` } as Record<string, unknown> }));
  if (shape === 'fanin') nodes[n - 1] = { id: `n${n - 1}`, type: 'bench.sink', typeVersion: 1, position: { x: 0, y: 0 }, inputs: {} };
  const edges = Array.from({ length: n - 1 }, (_, i) => ({
    id: `e${i}`,
    from: { node: `n${i}`, port: 'value' },
    to: shape === 'chain' ? { node: `n${i + 1}`, port: 'x' } : { node: `n${n - 1}`, port: 'values' },
  }));
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, id: 'bench', name: 'bench', nodes, edges, inputs: [], outputs: [], groups: [], notes: [], meta: {} };
}

/** Best time per node over `reps` runs of `f`, in microseconds. */
function perNode(n: number, reps: number, f: () => void): number {
  let min = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    min = Math.min(min, performance.now() - t0);
  }
  return (min * 1000) / n;
}

export default async function graphLoadBench(report: Report): Promise<void> {
  for (const shape of ['chain', 'fanin'] as const) {
    for (const n of [1000, 2000, 10_000]) {
      const json = JSON.parse(JSON.stringify(graph(n, shape)));
      const loaded = loadDocument(json, registry);
      if (loaded.errors.length) throw new Error(`bench graph is invalid: ${loaded.errors[0]!.message}`);
      const reps = n > 2000 ? 5 : 15;
      const load = perNode(n, reps, () => loadDocument(json, registry));
      const zod = perNode(n, reps, () => GraphDocument.parse(json));
      const hash = perNode(n, reps, () => {
        for (const node of json.nodes) sha256(`${node.type}@1\n${canonicalJson(node.inputs)}`);
      });
      const name = `graph.load.${shape}.${n}`;
      report(`${name}.hash_minimum`, hash, 'us/node');
      report(`${name}.load`, load, 'us/node');
      report(`${name}.load_ratio`, load / hash, 'x');
      report(`${name}.zod_schema_only`, zod, 'us/node');
    }
  }
}
