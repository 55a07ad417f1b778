/**
 * Port types: the vocabulary every port, wire and value check speaks.
 * A type is written as a string (`image`, `list<image>`, `list<list<int>>`) so documents,
 * node definitions and error messages all read the same way.
 */

export const PRIMITIVE_TYPES = ['text', 'int', 'float', 'bool', 'enum', 'seed'] as const;
export const MEDIA_TYPES = ['image', 'video', 'audio'] as const;
export const DOMAIN_TYPES = ['dataset', 'lora', 'lora_stack', 'identity', 'scenes', 'json', 'report'] as const;
/** `any` accepts every type; used by generic nodes (list tools, passthroughs). */
export const BASE_TYPES = [...PRIMITIVE_TYPES, ...MEDIA_TYPES, ...DOMAIN_TYPES, 'any'] as const;

export type BaseType = (typeof BASE_TYPES)[number];
export type PortType = BaseType | `list<${string}>`;

const BASE_SET: ReadonlySet<string> = new Set(BASE_TYPES);
const PRIMITIVE_SET: ReadonlySet<string> = new Set(PRIMITIVE_TYPES);

export function isPortType(s: string): s is PortType {
  const inner = listItemType(s);
  return inner !== undefined ? isPortType(inner) : BASE_SET.has(s);
}

/** `list<T>` → `T`; anything else → undefined. */
export function listItemType(t: string): string | undefined {
  return t.startsWith('list<') && t.endsWith('>') ? t.slice(5, -1) : undefined;
}

export function listOf(t: PortType): PortType {
  return `list<${t}>`;
}

/** Primitive inputs get inline widgets when they are not wired. */
export function isPrimitive(t: string): boolean {
  return PRIMITIVE_SET.has(t);
}

export type Compatibility =
  | { ok: true; widening?: 'int→float' | 'lora→lora_stack' | 'T→list<T>' | 'any' }
  | { ok: false; reason: string };

/**
 * Can a value of type `from` feed an input of type `to`? Only safe widenings are allowed:
 * int→float, seed→int, lora→lora_stack, T→list<T> (a single item becomes a one-item list), and `any`.
 */
export function compatible(from: string, to: string): Compatibility {
  if (from === to) return { ok: true };
  if (to === 'any' || from === 'any') return { ok: true, widening: 'any' };
  if (from === 'int' && to === 'float') return { ok: true, widening: 'int→float' };
  if ((from === 'seed' && to === 'int') || (from === 'int' && to === 'seed')) return { ok: true };
  if (from === 'enum' && to === 'text') return { ok: true };
  if (from === 'lora' && to === 'lora_stack') return { ok: true, widening: 'lora→lora_stack' };
  const toItem = listItemType(to);
  const fromItem = listItemType(from);
  if (toItem !== undefined && fromItem !== undefined) {
    const inner = compatible(fromItem, toItem);
    return inner.ok ? { ok: true, widening: inner.widening } : { ok: false, reason: `\`${from}\` cannot feed \`${to}\`: ${inner.reason}` };
  }
  if (toItem !== undefined && compatible(from, toItem).ok) return { ok: true, widening: 'T→list<T>' };
  return { ok: false, reason: `\`${from}\` cannot feed \`${to}\`` };
}

/** Convert a value produced as `from` into what an input of type `to` expects (the runtime half of a widening). */
export function widenValue(value: unknown, from: string, to: string): unknown {
  if (value === undefined || from === to) return value;
  if (to === 'lora_stack' && from === 'lora') return { loras: [{ lora: value, weight: 1 }] };
  const toItem = listItemType(to);
  if (toItem !== undefined && listItemType(from) === undefined && to !== 'any') return [widenValue(value, from, toItem)];
  return value;
}
