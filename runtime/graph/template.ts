/**
 * The `{name}` template language: `{name}` or a dotted path `{user.name}`, `{items.0}`; `{{` and `}}` are
 * literal braces. Part of the graph model because a template input's placeholders become ports of the
 * node (see `InputSpec.placeholders`), which the validator, the engine and the editor all derive alike.
 */
import { NodeError } from './node-definition.ts';

export type Part = { text: string } | { path: string[]; raw: string };

const PLACEHOLDER = /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z0-9_]+)*$/;

export class TemplateSyntaxError extends NodeError {
  constructor(readonly input: string, message: string) {
    super(`inputs.${input}: ${message}`);
  }
}

/** Parses a template; `input` names the input it came from, for errors. */
export function parseTemplate(template: string, input = 'template'): Part[] {
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
      if (close < 0) throw new TemplateSyntaxError(input, `"{" at character ${i + 1} is never closed (write "{{" for a literal brace)`);
      if (!PLACEHOLDER.test(raw)) throw new TemplateSyntaxError(input, `"{${raw}}" at character ${i + 1} is not a placeholder name (letters, digits, "_", dots between parts)`);
      if (text) parts.push({ text });
      text = '';
      parts.push({ path: raw.split('.'), raw });
      i = close;
    } else if (c === '}') {
      throw new TemplateSyntaxError(input, `"}" at character ${i + 1} has no matching "{" (write "}}" for a literal brace)`);
    } else text += c;
  }
  if (text) parts.push({ text });
  return parts;
}

/** The first segment of every placeholder, in order of first use: the names a template needs. */
export function placeholderNames(parts: Part[]): string[] {
  return [...new Set(parts.flatMap((p) => ('path' in p ? [p.path[0]!] : [])))];
}
