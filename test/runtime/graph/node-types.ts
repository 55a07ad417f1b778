/** Small node types the graph-model tests build documents from. */
import { defineNode } from '../../../runtime/graph/node-definition.ts';
import { NodeRegistry } from '../../../runtime/graph/registry.ts';
import type { GraphDocument, GraphNode } from '../../../runtime/graph/document.ts';

const none = () => ({});

export const number = defineNode({
  type: 't.number', version: 1, title: 'Number', category: 'test', description: 'An int.',
  inputs: { value: { type: 'int', default: 0 } },
  outputs: { value: { type: 'int' } },
  run: (_ctx, inputs) => ({ value: inputs.value }),
});

export const add = defineNode({
  type: 't.add', version: 1, title: 'Add', category: 'test', description: 'a + b.',
  inputs: { a: { type: 'float' }, b: { type: 'float', default: 0 } },
  outputs: { sum: { type: 'float' } },
  run: (_ctx, inputs) => ({ sum: inputs.a + inputs.b }),
});

export const loadImage = defineNode({
  type: 't.image', version: 1, title: 'Image', category: 'test', description: 'Loads an image.',
  inputs: { path: { type: 'text' } },
  outputs: { image: { type: 'image' }, images: { type: 'list<image>' } },
  run: none,
});

export const saveVideo = defineNode({
  type: 't.video', version: 1, title: 'Video', category: 'test', description: 'Needs a video.',
  inputs: { video: { type: 'video' } },
  outputs: {},
  run: none,
});

export const params = defineNode({
  type: 't.params', version: 1, title: 'Params', category: 'test', description: 'One input of each inline kind.',
  inputs: {
    threshold: { type: 'float', min: 0, max: 1, default: 0.5 },
    count: { type: 'int', min: 1, max: 10, default: 1 },
    mode: { type: 'enum', values: ['fast', 'slow'], default: 'fast' },
    flag: { type: 'bool', default: false },
    name: { type: 'text', optional: true },
    seed: { type: 'seed' },
    data: { type: 'json', optional: true },
    ref: { type: 'image', optional: true },
    lora: { type: 'lora', optional: true },
    tags: { type: 'list<text>', optional: true },
  },
  outputs: { out: { type: 'json' } },
  run: none,
});

export const collect = defineNode({
  type: 't.collect', version: 1, title: 'Collect', category: 'test', description: 'Many into one list.',
  inputs: { items: { type: 'list<any>', multi: true } },
  outputs: { list: { type: 'list<any>' } },
  run: (_ctx, inputs) => ({ list: inputs.items }),
});

export const lora = defineNode({
  type: 't.lora', version: 1, title: 'LoRA', category: 'test', description: 'A LoRA.',
  inputs: {}, outputs: { lora: { type: 'lora' } }, run: none,
});

export const stack = defineNode({
  type: 't.stack', version: 1, title: 'Stack', category: 'test', description: 'Takes a LoRA stack.',
  inputs: { stack: { type: 'lora_stack' } }, outputs: {}, run: none,
});

/** v3 of a resize node: v1 called its inputs `w`/`h` and its output `img`; v2 doubled `scale`. */
export const resize = defineNode({
  type: 't.resize', version: 3, title: 'Resize', category: 'test', description: 'Resizes.',
  inputs: { image: { type: 'image' }, width: { type: 'int', min: 1 }, height: { type: 'int', min: 1 }, scale: { type: 'float', default: 1 } },
  outputs: { image: { type: 'image' } },
  migrations: [
    { from: 1, description: 'inputs and output renamed', renameInputs: { w: 'width', h: 'height' }, renameOutputs: { img: 'image' }, migrate: (inputs) => inputs },
    { from: 2, description: 'scale is now a factor, not a percentage', migrate: (inputs) => ({ ...inputs, scale: typeof inputs.scale === 'number' ? inputs.scale / 100 : inputs.scale }) },
  ],
  run: none,
});

export const subgraph = defineNode({
  type: 'flow.subgraph', version: 1, title: 'Subgraph', category: 'flow', description: 'A nested graph.',
  control: 'subgraph', inputs: {}, outputs: {}, run: none,
});

export const loop = defineNode({
  type: 'flow.loop', version: 1, title: 'Loop', category: 'flow', description: 'Repeats its body.',
  control: 'loop', inputs: { maxIterations: { type: 'int', min: 1, default: 10 } }, outputs: {}, run: none,
});

export function registry(): NodeRegistry {
  return new NodeRegistry([number, add, loadImage, saveVideo, params, collect, lora, stack, resize, subgraph, loop]);
}

/** A document around `nodes` and `edges` ([from node, from port, to node, to port] tuples). */
export function graph(nodes: Partial<GraphNode>[], edges: [string, string, string, string][] = [], extra: Partial<GraphDocument> = {}): GraphDocument {
  return {
    format: 'castgraph.graph', version: 1, id: 'g', name: 'test',
    nodes: nodes.map((n) => ({ typeVersion: 1, inputs: {}, position: { x: 0, y: 0 }, ...n }) as GraphNode),
    edges: edges.map(([a, p, b, q], i) => ({ id: `e${i}`, from: { node: a, port: p }, to: { node: b, port: q } })),
    inputs: [], outputs: [], groups: [], notes: [], meta: {},
    ...extra,
  };
}
