import { defineNode } from '../../runtime/graph/node-definition.ts';

export default defineNode({
  type: 'list.concat',
  version: 1,
  title: 'Join lists',
  category: 'lists',
  description: 'Joins every list wired into `lists` into one, in the order the wires were added.',
  docs: [
    'Each connection contributes its items; a connection carrying a single value (not a list) contributes that value.',
    'Only one level is flattened: lists inside the lists stay lists.',
  ].join('\n'),
  inputs: { lists: { type: 'list<list<any>>', multi: true, default: [], description: 'The lists to join.' } },
  outputs: { list: { type: 'list<any>', description: 'All items, first list first.' } },
  run: (_ctx, inputs: { lists: unknown[] }) => ({ list: inputs.lists.flatMap((part) => (Array.isArray(part) ? part : [part])) }),
});
