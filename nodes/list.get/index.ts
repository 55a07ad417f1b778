import { defineNode, NodeError } from '../../runtime/graph/node-definition.ts';
import { requireList, requireInt } from '../lib/value/list.ts';

export default defineNode({
  type: 'list.get',
  version: 1,
  title: 'Get item',
  category: 'lists',
  description: 'One item of a list by position; negative positions count from the end (-1 is the last item).',
  docs: 'Fails with a clear error when the position is outside the list, rather than passing on nothing.',
  inputs: {
    list: { type: 'list<any>', description: 'The list to read.' },
    index: { type: 'int', default: 0, step: 1, description: 'Position: 0 is the first item, -1 the last.' },
  },
  outputs: { item: { type: 'any', description: 'The item at that position.' } },
  run(_ctx, inputs: { list: unknown; index: unknown }) {
    const list = requireList(inputs.list, 'list');
    const index = requireInt(inputs.index, 'index');
    const at = index < 0 ? list.length + index : index;
    if (at < 0 || at >= list.length) {
      throw new NodeError(`inputs.index: ${index} is outside the list, which has ${list.length} item${list.length === 1 ? '' : 's'} (valid: ${list.length ? `-${list.length}..${list.length - 1}` : 'none'})`);
    }
    return { item: list[at] };
  },
});
