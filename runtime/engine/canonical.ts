/**
 * Canonical JSON: the byte-exact text of a value that cache keys hash. Object keys are sorted,
 * `undefined` members are dropped, numbers use JS's shortest round-trip form with -0 as 0, and
 * values that JSON cannot carry (functions, symbols, bigints, NaN, Infinity, cycles) are refused,
 * because a key that silently stops matching (ComfyUI's `Unhashable`) hides a bug.
 */
import { createHash } from 'node:crypto';

export class NotSerializableError extends Error {
  constructor(readonly path: string, what: string) {
    super(`${path || 'value'} is ${what}, which cannot be part of a graph value (use JSON data or an artifact)`);
    this.name = 'NotSerializableError';
  }
}

export function canonicalJson(value: unknown): string {
  return write(value, '', new Set());
}

function write(v: unknown, path: string, seen: Set<object>): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new NotSerializableError(path, String(v));
      return Object.is(v, -0) ? '0' : String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      if (seen.has(v)) throw new NotSerializableError(path, 'a cyclic structure');
      seen.add(v);
      let out: string;
      if (Array.isArray(v)) {
        out = '[';
        for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + (v[i] === undefined ? 'null' : write(v[i], `${path}[${i}]`, seen));
        out += ']';
      } else if (ArrayBuffer.isView(v)) {
        throw new NotSerializableError(path, 'binary data');
      } else {
        const keys = Object.keys(v).sort();
        out = '{';
        let first = true;
        for (const k of keys) {
          const item = (v as Record<string, unknown>)[k];
          if (item === undefined) continue;
          out += (first ? '' : ',') + JSON.stringify(k) + ':' + write(item, path ? `${path}.${k}` : k, seen);
          first = false;
        }
        out += '}';
      }
      seen.delete(v);
      return out;
    }
    case 'undefined':
      return 'null';
    default:
      throw new NotSerializableError(path, `a ${typeof v}`);
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
