import { constantNode } from '../lib/value/constant.ts';

export default constantNode({
  type: 'value.bool',
  title: 'Switch',
  description: 'A true/false switch, for example to open or close a `flow.gate`.',
  docs: 'Outputs its `value` unchanged.',
  valueType: 'bool',
  input: { default: false, description: 'On (true) or off (false).' },
  check: (v) => (typeof v === 'boolean' ? undefined : 'true or false'),
});
