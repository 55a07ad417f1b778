/**
 * Node types as the editor knows them: the serialisable part of each definition, fetched from
 * `GET /api/node-types`. The editor wraps them in the graph model's own `NodeRegistry`, so ports of
 * control nodes, validation and connection checks run the same code as the server.
 */
import { NodeRegistry } from '../../../runtime/graph/registry.ts';
import { nodePorts } from '../../../runtime/graph/body-ports.ts';
import type { NodeDefinition, NodePorts } from '../../../runtime/graph/node-definition.ts';
import type { GraphNode } from '../../../runtime/graph/document.ts';

/** What `GET /api/node-types` sends per type: a definition without its functions. */
export type NodeTypeInfo = Pick<NodeDefinition, 'type' | 'version' | 'title' | 'category' | 'description' | 'inputs' | 'outputs' | 'docs' | 'control'> &
  Partial<Pick<NodeDefinition, 'resource'>> & {
    /** The ports depend on the node's values or body (the graph model derives them: `nodePorts`). */
    dynamicPorts?: boolean;
  };

export class NodeTypes {
  readonly byType = new Map<string, NodeTypeInfo>();
  readonly registry: NodeRegistry;

  constructor(readonly list: NodeTypeInfo[]) {
    for (const info of list) this.byType.set(info.type, info);
    this.registry = new NodeRegistry(list.map(toDefinition));
  }

  get(type: string): NodeTypeInfo | undefined {
    return this.byType.get(type);
  }

  /** The ports of one node instance; undefined for an unknown type (a placeholder). */
  ports(node: GraphNode): NodePorts | undefined {
    const def = this.registry.get(node.type);
    return def && nodePorts(def, node, this.registry);
  }
}

function toDefinition(info: NodeTypeInfo): NodeDefinition {
  return { ...info, resource: info.resource ?? 'cpu', cache: 'deterministic', migrations: [], run: notRunnable };
}

function notRunnable(): never {
  throw new Error('node types in the editor describe ports only; runs happen on the server');
}
