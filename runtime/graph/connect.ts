/**
 * `canConnect`: the one rule the editor asks while a wire is dragged, and the same rules
 * validation applies to a saved graph. Checks run from the most to the least fundamental, so a
 * refusal for `occupied` means everything else is fine and the editor may offer to replace the
 * existing wire.
 */
import type { GraphDocument, GraphNode, PortRef } from './document.ts';
import { compatible, listItemType, type Compatibility } from './port-types.ts';
import type { NodeRegistry } from './registry.ts';
import { nodePorts, outputType } from './body-ports.ts';

export type ConnectRefusal = 'unknown_node' | 'unknown_port' | 'type' | 'cycle' | 'duplicate' | 'occupied';

export type ConnectResult =
  | { ok: true; widening?: Extract<Compatibility, { ok: true }>['widening'] }
  | { ok: false; reason: string; code: ConnectRefusal };

export function canConnect(doc: GraphDocument, registry: NodeRegistry, from: PortRef, to: PortRef): ConnectResult {
  const refuse = (code: ConnectRefusal, reason: string): ConnectResult => ({ ok: false, code, reason });
  let source: GraphNode | undefined;
  let target: GraphNode | undefined;
  for (const node of doc.nodes) {
    if (node.id === from.node) source ??= node;
    if (node.id === to.node) target ??= node;
  }
  if (!source) return refuse('unknown_node', `node \`${from.node}\` does not exist`);
  if (!target) return refuse('unknown_node', `node \`${to.node}\` does not exist`);
  const sourceDef = registry.get(source.type);
  const targetDef = registry.get(target.type);
  if (!sourceDef) return refuse('unknown_node', `node \`${from.node}\` has unknown type \`${source.type}\``);
  if (!targetDef) return refuse('unknown_node', `node \`${to.node}\` has unknown type \`${target.type}\``);
  const outSpec = nodePorts(sourceDef, source, registry).outputs[from.port];
  const inSpec = nodePorts(targetDef, target, registry).inputs[to.port];
  if (!outSpec) return refuse('unknown_port', `\`${from.node}\` (${source.type}) has no output \`${from.port}\``);
  if (!inSpec) return refuse('unknown_port', `\`${to.node}\` (${target.type}) has no input \`${to.port}\``);

  let fromType: string = outputType(source, outSpec);
  if (target.map?.includes(to.port)) {
    // A mapped input takes a list and runs the node once per item.
    const item = listItemType(fromType) ?? (fromType === 'any' ? 'any' : undefined);
    if (item === undefined) return refuse('type', `\`${to.node}\` maps over \`${to.port}\`, so it needs a list, and \`${fromType}\` is not one`);
    fromType = item;
  }
  const rule = compatible(fromType, inSpec.type);
  if (!rule.ok) return refuse('type', rule.reason);
  if (from.node === to.node || reaches(doc, to.node, from.node)) return refuse('cycle', 'would create a cycle');

  for (const edge of doc.edges) {
    if (edge.to.node !== to.node || edge.to.port !== to.port) continue;
    if (edge.from.node === from.node && edge.from.port === from.port) return refuse('duplicate', 'already connected');
    if (!inSpec.multi) return refuse('occupied', 'input takes one connection');
  }
  if (!inSpec.multi && doc.inputs.some((e) => e.node === to.node && e.port === to.port)) {
    return refuse('occupied', 'input takes one connection (it is exposed as a graph input)');
  }
  return rule.widening ? { ok: true, widening: rule.widening } : { ok: true };
}

/** Is `goal` downstream of `start`? Breadth-first over outgoing edges: O(V + E). */
export function reaches(doc: GraphDocument, start: string, goal: string): boolean {
  const next = new Map<string, string[]>();
  for (const edge of doc.edges) {
    const list = next.get(edge.from.node);
    if (list) list.push(edge.to.node);
    else next.set(edge.from.node, [edge.to.node]);
  }
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const n of next.get(queue[i]!) ?? []) {
      if (n === goal) return true;
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return false;
}
