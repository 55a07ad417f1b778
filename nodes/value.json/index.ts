import { constantNode } from '../lib/value/constant.ts';

export default constantNode({
  type: 'value.json',
  title: 'JSON',
  description: 'Any JSON value (object, array, number, text, true/false or null), for example the `values` of a text template.',
  docs: 'Outputs its `value` unchanged. Binary data belongs in artifacts, not here.',
  valueType: 'json',
  input: { default: {}, widget: 'textarea', description: 'The JSON value.' },
  check: (v) => (v === undefined ? 'a JSON value' : undefined),
});
