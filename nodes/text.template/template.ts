/**
 * The `{name}` template language of `text.template`: `{name}` or a dotted path `{user.name}`, `{items.0}`;
 * `{{` and `}}` are literal braces. Parsed once into parts so the same parse serves both the
 * per-instance ports (which names the template uses) and rendering.
 */
import { NodeError } from '../../runtime/graph/node-definition.ts';

export type Part = { text: string } | { path: string[]; raw: string };

const PLACEHOLDER = /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z0-9_]+)*$/;

export class TemplateSyntaxError extends NodeError {
  constructor(message: string) {
    super(`inputs.template: ${message}`);
  }
}

export function parseTemplate(template: string): Part[] {
  const parts: Part[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      text += c;
      i++;
    } else if (c === '{') {
      const close = template.indexOf('}', i);
      const raw = close < 0 ? '' : template.slice(i + 1, close);
      if (close < 0) throw new TemplateSyntaxError(`"{" at character ${i + 1} is never closed (write "{{" for a literal brace)`);
      if (!PLACEHOLDER.test(raw)) throw new TemplateSyntaxError(`"{${raw}}" at character ${i + 1} is not a placeholder name (letters, digits, "_", dots between parts)`);
      if (text) parts.push({ text });
      text = '';
      parts.push({ path: raw.split('.'), raw });
      i = close;
    } else if (c === '}') {
      throw new TemplateSyntaxError(`"}" at character ${i + 1} has no matching "{" (write "}}" for a literal brace)`);
    } else text += c;
  }
  if (text) parts.push({ text });
  return parts;
}

/** The first segment of every placeholder, in order of first use: the names a template needs. */
export function placeholderNames(parts: Part[]): string[] {
  return [...new Set(parts.flatMap((p) => ('path' in p ? [p.path[0]!] : [])))];
}

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
