import { defineNode } from '../../runtime/graph/node-definition.ts';

export default defineNode({
  type: 'list.make',
  version: 1,
  title: 'Make list',
  category: 'lists',
  description: 'Collects every value wired into `items` into one list, in the order the wires were added.',
  docs: [
    'Connect any number of outputs to `items`; the list keeps the order of the connections.',
    'Unconnected, `items` takes its inline JSON array. An empty list is a valid result.',
  ].join('\n'),
  inputs: { items: { type: 'list<any>', multi: true, default: [], description: 'The values to collect.' } },
  outputs: { list: { type: 'list<any>', description: 'The collected values.' } },
  run: (_ctx, inputs: { items: unknown[] }) => ({ list: [...inputs.items] }),
});
