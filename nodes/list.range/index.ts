import { defineNode, NodeError } from '../../runtime/graph/node-definition.ts';
import { requireInt } from '../lib/value/list.ts';

/** A range is materialised as JSON, so cap it where a wire value stays reasonable. */
const MAX_ITEMS = 100_000;

export default defineNode({
  type: 'list.range',
  version: 1,
  title: 'Number range',
  category: 'lists',
  description: 'The whole numbers from `start` up to (not including) `stop`, `step` apart; for example seeds or frame indices.',
  docs: `Like Python's \`range(start, stop, step)\`. A negative \`step\` counts down. At most ${MAX_ITEMS.toLocaleString('en')} items.`,
  inputs: {
    start: { type: 'int', default: 0, step: 1, description: 'First number.' },
    stop: { type: 'int', default: 10, step: 1, description: 'The range ends before this number.' },
    step: { type: 'int', default: 1, step: 1, description: 'Distance between numbers; not 0.' },
  },
  outputs: { list: { type: 'list<int>', description: 'The numbers.' } },
  run(_ctx, inputs: { start: unknown; stop: unknown; step: unknown }) {
    const start = requireInt(inputs.start, 'start');
    const stop = requireInt(inputs.stop, 'stop');
    const step = requireInt(inputs.step, 'step');
    if (step === 0) throw new NodeError('inputs.step: must not be 0 (the range would never end)');
    const count = Math.max(0, Math.ceil((stop - start) / step));
    if (count > MAX_ITEMS) throw new NodeError(`inputs.stop: the range would have ${count} items; at most ${MAX_ITEMS} are allowed`);
    return { list: Array.from({ length: count }, (_, i) => start + i * step) };
  },
});
