/**
 * The set of node types a graph can use. Pure: the Node-side loader fills it from `nodes/`,
 * the editor fills it from `GET /api/node-types`.
 */
import type { NodeDefinition } from './node-definition.ts';

export class NodeRegistry {
  readonly #types = new Map<string, NodeDefinition>();

  constructor(defs: Iterable<NodeDefinition> = []) {
    for (const def of defs) this.add(def);
  }

  add(def: NodeDefinition): this {
    if (this.#types.has(def.type)) throw new Error(`node type ${def.type} is registered twice`);
    this.#types.set(def.type, def);
    return this;
  }

  get(type: string): NodeDefinition | undefined {
    return this.#types.get(type);
  }

  has(type: string): boolean {
    return this.#types.has(type);
  }

  list(): NodeDefinition[] {
    return [...this.#types.values()].sort((a, b) => a.type.localeCompare(b.type));
  }
}
