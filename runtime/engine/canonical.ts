/**
 * Canonical JSON: the byte-exact text of a value that cache keys hash. Object keys are sorted,
 * `undefined` members are dropped, numbers use JS's shortest round-trip form with -0 as 0, and
 * values that JSON cannot carry (functions, symbols, bigints, NaN, Infinity, binary, cycles) are
 * refused, because a key that silently stops matching (ComfyUI's `Unhashable`) hides a bug.
 */
import { createHash } from 'node:crypto';

export class NotSerializableError extends Error {
  constructor(readonly path: string, what: string) {
    super(`${path || 'value'} is ${what}, which cannot be part of a graph value (use JSON data or an artifact)`);
    this.name = 'NotSerializableError';
  }
}

/** Deeper than this is taken for a cycle: real graph values are nowhere near it, and no Set is needed per call. */
const MAX_DEPTH = 256;

class Refused extends Error {
  constructor(readonly what: string) {
    super(what);
  }
}

export function canonicalJson(value: unknown): string {
  try {
    return write(value, 0);
  } catch (err) {
    if (err instanceof Refused) throw new NotSerializableError(pathOfRefused(value, '', 0) ?? '', err.what);
    throw err;
  }
}

function write(v: unknown, depth: number): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new Refused(String(v));
      return Object.is(v, -0) ? '0' : String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object': {
      if (v === null) return 'null';
      if (depth > MAX_DEPTH) throw new Refused(`nested more than ${MAX_DEPTH} levels deep (or cyclic)`);
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + write(v[i], depth + 1);
        return out + ']';
      }
      if (ArrayBuffer.isView(v)) throw new Refused('binary data');
      const keys = Object.keys(v).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const item = (v as Record<string, unknown>)[k];
        if (item === undefined) continue;
        out += (first ? '' : ',') + JSON.stringify(k) + ':' + write(item, depth + 1);
        first = false;
      }
      return out + '}';
    }
    default:
      throw new Refused(`a ${typeof v}`);
  }
}

/** The slow path, run only after a refusal: where in the value the offending part is. */
function pathOfRefused(v: unknown, path: string, depth: number): string | undefined {
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return path;
  if (typeof v === 'number' && !Number.isFinite(v)) return path;
  if (typeof v !== 'object' || v === null) return undefined;
  if (depth > MAX_DEPTH || ArrayBuffer.isView(v)) return path;
  for (const [k, item] of Object.entries(v)) {
    const found = pathOfRefused(item, Array.isArray(v) ? `${path}[${k}]` : path ? `${path}.${k}` : k, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
