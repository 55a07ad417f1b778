/**
 * Can this wire be drawn? The graph model's `canConnect` decides (types, cycles, occupancy), so
 * the editor and the server refuse the same wires with the same reasons. The one editor policy on
 * top: dropping a wire on an occupied single input replaces the old wire, as every node editor does.
 */
import { canConnect } from '../../../runtime/graph/connect.ts';
import type { PortRef } from '../../../runtime/graph/document.ts';
import type { Graph } from './ops.ts';
import type { NodeTypes } from './node-types.ts';

export type ConnectionCheck = { ok: true; multi: boolean } | { ok: false; reason: string };

export function checkConnection(g: Graph, types: NodeTypes, from: PortRef, to: PortRef): ConnectionCheck {
  const result = canConnect(g, types.registry, from, to);
  if (result.ok || result.code === 'occupied') {
    const target = g.nodes.find((n) => n.id === to.node);
    const multi = target ? types.ports(target)?.inputs[to.port]?.multi === true : false;
    return { ok: true, multi };
  }
  return { ok: false, reason: `${to.node}.${to.port}: ${result.reason}` };
}
