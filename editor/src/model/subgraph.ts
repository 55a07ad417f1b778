/**
 * "Make subgraph from selection": the selected nodes move into the body of a new `flow.subgraph`
 * node. Wires inside the selection move with them; wires crossing the boundary become exposed body
 * inputs/outputs, so the outer graph stays wired exactly as before.
 */
import { current, isDraft, type Draft } from 'immer';
import { emptyDocument, type Edge } from '../../../runtime/graph/document.ts';
import { freshId, nodeIds, type Graph } from './ops.ts';

export const SUBGRAPH_TYPE = 'flow.subgraph';

/** A plain deep copy of a draft or plain value. */
function clone<T>(value: T): T {
  return structuredClone(isDraft(value) ? current(value as Draft<T>) : value) as T;
}

export function makeSubgraph(g: Draft<Graph>, ids: ReadonlySet<string>, typeVersion = 1): string | undefined {
  const members = g.nodes.filter((n) => ids.has(n.id));
  if (members.length === 0) return undefined;
  const id = freshId('subgraph', nodeIds(g));
  const body = emptyDocument(`${id}-body`, `Subgraph of ${members.length}`);
  const x0 = Math.min(...members.map((n) => n.position.x));
  const y0 = Math.min(...members.map((n) => n.position.y));
  body.nodes = members.map((n) => ({ ...clone(n), position: { x: n.position.x - x0, y: n.position.y - y0 } }));

  const exposedIn = new Map<string, string>();
  const exposedOut = new Map<string, string>();
  const inNames = new Set<string>();
  const outNames = new Set<string>();
  // Inputs and outputs are separate namespaces on a node.
  const nameFor = (node: string, port: string, names: Set<string>) => {
    const name = freshId(`${node}_${port}`.replace(/[^A-Za-z0-9_]/g, '_').replace(/^[^A-Za-z_]/, 'p'), names);
    names.add(name);
    return name;
  };
  // One exposed body port per inner port, however many outer wires use it.
  const expose = (side: 'inputs' | 'outputs', ref: { node: string; port: string }): string => {
    const seen = side === 'inputs' ? exposedIn : exposedOut;
    const key = `${ref.node}.${ref.port}`;
    let name = seen.get(key);
    if (!name) {
      name = nameFor(ref.node, ref.port, side === 'inputs' ? inNames : outNames);
      seen.set(key, name);
      body[side].push({ name, node: ref.node, port: ref.port });
    }
    return name;
  };
  const outer: Edge[] = [];
  for (const e of g.edges) {
    const fromIn = ids.has(e.from.node);
    const toIn = ids.has(e.to.node);
    if (fromIn && toIn) body.edges.push(clone(e));
    else if (toIn) outer.push({ ...clone(e), to: { node: id, port: expose('inputs', e.to) } });
    else if (fromIn) outer.push({ ...clone(e), from: { node: id, port: expose('outputs', e.from) } });
    else outer.push(clone(e));
  }
  // Graph-level exposed ports that pointed into the selection now point at the subgraph's ports.
  for (const list of [g.inputs, g.outputs] as const) {
    for (const exposed of list) {
      if (!ids.has(exposed.node)) continue;
      const inner = { name: nameFor(exposed.node, exposed.port, list === g.inputs ? inNames : outNames), node: exposed.node, port: exposed.port };
      (list === g.inputs ? body.inputs : body.outputs).push(inner);
      exposed.node = id;
      exposed.port = inner.name;
    }
  }
  g.nodes = g.nodes.filter((n) => !ids.has(n.id));
  g.nodes.push({ id, type: SUBGRAPH_TYPE, typeVersion, inputs: {}, position: { x: x0, y: y0 }, graph: body });
  g.edges = outer;
  for (const group of g.groups) group.nodes = group.nodes.filter((n) => !ids.has(n)).concat(group.nodes.some((n) => ids.has(n)) ? [id] : []);
  return id;
}
