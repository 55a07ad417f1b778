import { defineNode, NodeError } from '../../runtime/graph/node-definition.ts';
import { describe } from '../../runtime/graph/values.ts';

export default defineNode({
  type: 'flow.gate',
  version: 1,
  title: 'Gate',
  category: 'flow',
  description: 'Routes a value to `pass` when `open` is true, else to `fail`; the other output stays empty, so what hangs off it is skipped.',
  docs: [
    'An empty output is not an error: every node that needs it is marked *skipped* (with the reason) and the run still succeeds.',
    'Wire `open` from a check (for example an identity score above a threshold) to run the expensive branch only when it',
    'is worth it, and hang a fallback off `fail`.',
  ].join('\n'),
  inputs: {
    value: { type: 'any', description: 'The value to route.' },
    open: { type: 'bool', default: true, description: 'True sends the value to `pass`, false to `fail`.' },
  },
  outputs: {
    pass: { type: 'any', description: 'The value, when the gate is open; empty otherwise.' },
    fail: { type: 'any', description: 'The value, when the gate is closed; empty otherwise.' },
  },
  run(_ctx, inputs: { value: unknown; open: unknown }) {
    if (typeof inputs.open !== 'boolean') throw new NodeError(`inputs.open: expected true or false, got ${describe(inputs.open)}`);
    return inputs.open ? { pass: inputs.value } : { fail: inputs.value };
  },
});
