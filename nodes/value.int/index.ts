import { constantNode } from '../lib/value/constant.ts';

export default constantNode({
  type: 'value.int',
  title: 'Integer',
  description: 'A whole number set once and wired to several inputs (a size, a count, a step).',
  docs: 'Outputs its `value` unchanged. An `int` can feed `float` and `seed` inputs too.',
  valueType: 'int',
  input: { default: 0, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, step: 1, description: 'The number.' },
  check: (v) => (Number.isSafeInteger(v) ? undefined : 'a whole number within ±2^53'),
});
