/** How `castgraph nodes` writes one input: type, default, range, choices. */
import type { InputSpec } from '../graph/index.ts';

/** `width: int = 512 (1..16384)`, `fit: enum = "cover" [cover|contain|…]`, `items: list<any> (multi)`. */
export function describeInput(name: string, spec: InputSpec): string {
  let out = `${name}: ${spec.type}`;
  if (spec.default !== undefined) out += ` = ${JSON.stringify(spec.default)}`;
  const big = (n: number) => Math.abs(n) >= Number.MAX_SAFE_INTEGER;
  if (spec.min !== undefined || spec.max !== undefined) {
    const lo = spec.min === undefined || big(spec.min) ? '' : spec.min;
    const hi = spec.max === undefined || big(spec.max) ? '' : spec.max;
    if (lo !== '' || hi !== '') out += ` (${lo}..${hi})`;
  }
  if (spec.values) out += ` [${spec.values.join('|')}]`;
  if (spec.optional) out += ' (optional)';
  if (spec.multi) out += ' (multi)';
  return out;
}
