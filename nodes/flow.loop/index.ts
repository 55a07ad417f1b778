import { defineNode } from '../../runtime/graph/node-definition.ts';

/**
 * Repeats a body graph until its `done` output is true or `maxIterations` is reached. Iterations are
 * materialised one at a time (never unrolled up front), with node paths `loop/<i>/<node>`.
 */
export default defineNode({
  type: 'flow.loop',
  version: 1,
  title: 'Loop',
  category: 'flow',
  description: 'Repeats a body graph until its `done` output is true, at most `maxIterations` times.',
  docs: [
    'The body (the node\'s `graph` field) must expose a `bool` output named `done`.',
    'Each body output whose name matches a body input is carried into that input on the next iteration (loop state).',
    'A body input named `iteration` receives the 0-based iteration number.',
    'The loop outputs the last iteration\'s body outputs, plus `iterations` (how many ran) and `exhausted` (true when it stopped at `maxIterations` without `done`).',
  ].join('\n\n'),
  inputs: {
    maxIterations: { type: 'int', min: 1, max: 10_000, description: 'Hard bound on the number of iterations: a loop always ends.' },
  },
  outputs: {
    iterations: { type: 'int', description: 'How many iterations ran.' },
    exhausted: { type: 'bool', description: 'True when the loop hit maxIterations before `done` became true.' },
  },
  control: 'loop',
  run() {
    throw new Error('flow.loop bodies are run by the engine, not by a node body');
  },
});
