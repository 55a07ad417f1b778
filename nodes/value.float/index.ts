import { constantNode } from '../lib/value/constant.ts';

export default constantNode({
  type: 'value.float',
  title: 'Number',
  description: 'A decimal number set once and wired to several inputs (a strength, a threshold, a scale).',
  docs: 'Outputs its `value` unchanged. NaN and infinities are refused: they cannot travel as JSON.',
  valueType: 'float',
  input: { default: 0, step: 0.01, description: 'The number.' },
  check: (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'a finite number'),
});
