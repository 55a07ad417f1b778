import { defineNode } from '../../runtime/graph/node-definition.ts';

/**
 * A nested graph used as one node. Its ports are the body's exposed inputs and outputs; the engine
 * runs the body as a scope of its own, so events, cache entries and errors carry paths like `face/detect`.
 */
export default defineNode({
  type: 'flow.subgraph',
  version: 1,
  title: 'Subgraph',
  category: 'flow',
  description: 'Runs a nested graph as one node; its ports are the inputs and outputs the nested graph exposes.',
  docs: 'The body lives in the node\'s `graph` field. Expose body ports through the body\'s `inputs` and `outputs` lists; they appear on this node with the types of the ports they point at. Inner nodes are cached one by one, so editing one inner node re-runs only what depends on it.',
  inputs: {},
  outputs: {},
  control: 'subgraph',
  run() {
    throw new Error('flow.subgraph bodies are run by the engine, not by a node body');
  },
});
