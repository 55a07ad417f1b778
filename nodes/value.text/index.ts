import { constantNode } from '../lib/value/constant.ts';

export default constantNode({
  type: 'value.text',
  title: 'Text',
  description: 'A piece of text set once and wired to every node that needs it (a prompt, a file name, a caption).',
  docs: 'Outputs its `value` unchanged. Multi-line text is kept as typed; no trimming.',
  valueType: 'text',
  input: { default: '', widget: 'textarea', description: 'The text.' },
  check: (v) => (typeof v === 'string' ? undefined : 'text'),
});
