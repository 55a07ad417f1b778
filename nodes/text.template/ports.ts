/**
 * The ports of a `text.template` node: its fixed inputs plus one input per placeholder of an inline
 * template. Pure (no Node APIs) so the editor can import it and show the same ports as the server.
 */
import type { GraphNode } from '../../runtime/graph/document.ts';
import type { InputSpec, NodePorts, OutputSpec } from '../../runtime/graph/node-definition.ts';
import { parseTemplate, placeholderNames } from './template.ts';

export const outputs: Record<string, OutputSpec> = { text: { type: 'text', description: 'The filled-in text.' } };
export const inputs: Record<string, InputSpec> = {
  template: { type: 'text', default: '', widget: 'textarea', description: 'Text with {name} placeholders; {{ and }} are literal braces.' },
  values: { type: 'json', optional: true, description: 'An object whose keys fill placeholders ({a.b} reads nested keys).' },
};

/** A template typed inline declares its placeholders as ports; a wired template can only use `values`. */
export function templatePorts(node: Pick<GraphNode, 'inputs'>): NodePorts {
  const template = node.inputs.template;
  let names: string[] = [];
  try {
    names = typeof template === 'string' ? placeholderNames(parseTemplate(template)) : [];
  } catch {
    // A malformed template gets no extra ports; running it reports the syntax error with its position.
  }
  // Not `optional` but defaulting to null: unwired it falls back to `values`, yet wired to an empty
  // output (a closed gate) the node is skipped like any consumer that needs its input.
  const extra = names
    .filter((n) => !(n in inputs))
    .map((n): [string, InputSpec] => [n, { type: 'any', default: null, description: `Fills {${n}}; unset, the key "${n}" of \`values\` does.` }]);
  return { inputs: { ...inputs, ...Object.fromEntries(extra) }, outputs };
}
