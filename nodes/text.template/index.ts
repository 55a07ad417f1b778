import { defineNode, NodeError } from '../../runtime/graph/node-definition.ts';
import { describe } from '../../runtime/graph/values.ts';
import { parseTemplate } from '../../runtime/graph/template.ts';
import { renderTemplate } from './template.ts';

export default defineNode({
  type: 'text.template',
  version: 1,
  title: 'Text template',
  category: 'text',
  description: 'Fills {name} placeholders in a text from named inputs and a JSON object, e.g. a prompt built from a subject and a style.',
  docs: [
    'Every placeholder in an inline `template` becomes an input of its own (type `any`), so `A photo of {subject}` gets',
    'a `subject` input to wire. Values can also come from `values`, a JSON object: `{user.name}` reads a nested key,',
    '`{items.0}` an array item. A named input wins over a key of `values`. Text is inserted as is, anything else as JSON.',
    'A placeholder with no value fails the node with an error naming it; it is never silently left empty.',
    'A placeholder input wired to an empty output (a closed `flow.gate`) skips the node instead.',
  ].join('\n'),
  inputs: {
    template: {
      type: 'text',
      default: '',
      widget: 'textarea',
      description: 'Text with {name} placeholders; {{ and }} are literal braces.',
      // Not `optional` but defaulting to null: unwired, a placeholder falls back to `values`; wired to an
      // empty output (a closed gate), the node is skipped like any consumer that needs its input.
      placeholders: { type: 'any', default: null, description: 'Fills the placeholder of the same name; unset, the key of `values` with that name does.' },
    },
    values: { type: 'json', optional: true, description: 'An object whose keys fill placeholders ({a.b} reads nested keys).' },
  },
  outputs: { text: { type: 'text', description: 'The filled-in text.' } },
  run(_ctx, all: Record<string, unknown>) {
    const { template, values, ...named } = all;
    if (typeof template !== 'string') throw new NodeError(`inputs.template: expected text, got ${describe(template)}`);
    if (values !== undefined && values !== null && typeof values !== 'object') {
      throw new NodeError(`inputs.values: expected a JSON object or array, got ${describe(values)}`);
    }
    return { text: renderTemplate(parseTemplate(template), named, values) };
  },
});
