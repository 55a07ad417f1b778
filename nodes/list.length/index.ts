import { defineNode } from '../../runtime/graph/node-definition.ts';
import { requireList } from '../lib/value/list.ts';

export default defineNode({
  type: 'list.length',
  version: 1,
  title: 'List length',
  category: 'lists',
  description: 'How many items a list has.',
  docs: 'Outputs the number of items in `list` (0 for an empty list).',
  inputs: { list: { type: 'list<any>', description: 'The list to count.' } },
  outputs: { length: { type: 'int', description: 'The number of items.' } },
  run: (_ctx, inputs: { list: unknown }) => ({ length: requireList(inputs.list, 'list').length }),
});
