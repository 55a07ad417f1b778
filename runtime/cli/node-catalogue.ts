/**
 * Node definitions as plain data (no functions): what `castgraph nodes --json` prints and what any
 * client that lists node types needs.
 */
import type { InputSpec, NodeDefinition, OutputSpec } from '../graph/index.ts';

export interface NodeTypeInfo {
  type: string;
  version: number;
  title: string;
  category: string;
  description: string;
  resource: 'cpu' | 'gpu';
  cache: 'deterministic' | 'volatile' | 'fingerprint';
  inputs: Record<string, InputSpec>;
  outputs: Record<string, OutputSpec>;
  /** Per-instance ports (subgraph/loop bodies, template placeholders) are added to these on each node. */
  dynamicPorts: boolean;
  control?: 'subgraph' | 'loop';
  docs?: string;
}

export function nodeTypeInfo(def: NodeDefinition): NodeTypeInfo {
  return {
    type: def.type,
    version: def.version,
    title: def.title,
    category: def.category,
    description: def.description,
    resource: def.resource,
    cache: typeof def.cache === 'string' ? def.cache : 'fingerprint',
    inputs: def.inputs,
    outputs: def.outputs,
    dynamicPorts: typeof def.ports === 'function',
    ...(def.control ? { control: def.control } : {}),
    ...(def.docs ? { docs: def.docs } : {}),
  };
}

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
