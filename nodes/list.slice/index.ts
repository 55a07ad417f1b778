import { defineNode } from '../../runtime/graph/node-definition.ts';
import { requireList, requireInt } from '../lib/value/list.ts';

export default defineNode({
  type: 'list.slice',
  version: 1,
  title: 'Slice list',
  category: 'lists',
  description: 'The items from `start` up to (not including) `end`; negative positions count from the end.',
  docs: [
    'Works like JavaScript `Array.prototype.slice`: `start` 0 and `end` unset give the whole list,',
    '`start` -3 gives the last three items. Positions past the end are clamped, so the result may be shorter or empty.',
  ].join('\n'),
  inputs: {
    list: { type: 'list<any>', description: 'The list to cut.' },
    start: { type: 'int', default: 0, step: 1, description: 'First position kept.' },
    end: { type: 'int', optional: true, step: 1, description: 'First position dropped; unset means the end of the list.' },
  },
  outputs: { list: { type: 'list<any>', description: 'The selected items.' } },
  run(_ctx, inputs: { list: unknown; start: unknown; end?: unknown }) {
    const list = requireList(inputs.list, 'list');
    const start = requireInt(inputs.start, 'start');
    const end = inputs.end === undefined || inputs.end === null ? undefined : requireInt(inputs.end, 'end');
    return { list: list.slice(start, end) };
  },
});
