/**
 * Rendering for `text.template`: the parse (and the ports it implies) belongs to the graph model,
 * runtime/graph/template.ts; filling the placeholders in is this node's own work.
 */
import { NodeError } from '../../runtime/graph/node-definition.ts';
import type { Part } from '../../runtime/graph/template.ts';

/** Renders with set `named` values (not null) taking precedence over keys of `values`; a missing value is an error naming it. */
export function renderTemplate(parts: Part[], named: Record<string, unknown>, values: unknown): string {
  return parts
    .map((part) => {
      if ('text' in part) return part.text;
      const [root, ...rest] = part.path as [string, ...string[]];
      let value = named[root] !== undefined && named[root] !== null ? named[root] : lookup(values, root);
      for (const key of rest) value = lookup(value, key);
      if (value === undefined || value === null) {
        throw new NodeError(`inputs.template: placeholder {${part.raw}} has no value: connect or set input "${root}", or give "values" a key "${part.raw}"`);
      }
      return typeof value === 'string' ? value : JSON.stringify(value);
    })
    .join('');
}

function lookup(container: unknown, key: string): unknown {
  if (typeof container !== 'object' || container === null) return undefined;
  return Object.hasOwn(container, key) ? (container as Record<string, unknown>)[key] : undefined;
}
