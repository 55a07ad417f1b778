/**
 * Node types whose ports depend on the node's own values (`dynamicPorts: true` from the server).
 * Their port functions are pure modules next to the node type, imported here so the editor shows
 * exactly the ports the server will validate against. A dynamic type missing from this table
 * keeps its declared ports, and the validation worker's issues say what does not match.
 */
import type { GraphNode } from '../../../runtime/graph/document.ts';
import type { NodePorts } from '../../../runtime/graph/node-definition.ts';
import { templatePorts } from '../../../nodes/text.template/ports.ts';

export const DYNAMIC_PORTS: Readonly<Record<string, (node: GraphNode) => NodePorts>> = {
  'text.template': templatePorts,
};
