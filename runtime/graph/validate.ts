/**
 * Whole-graph validation: every problem at once, each with the JSON path of the offending field
 * and a sentence. Linear in nodes + edges (maps keyed by id, one pass over edges, Kahn's algorithm
 * for cycles), so it can run before every execution of a 10,000-node graph.
 *
 * Modes: a muted node produces nothing, so it needs no inputs (its consumers are skipped at run
 * time, as with an empty output: not an error, since muting is how users switch a branch off). A
 * bypassed node forwards its inputs, so its parameters are not required either. Both still need a
 * known type, and wires into and out of them are still checked.
 */
import type { GraphDocument, GraphNode } from './document.ts';
import type { InputSpec, NodeDefinition, NodePorts } from './node-definition.ts';
import { compatible, listItemType } from './port-types.ts';
import type { NodeRegistry } from './registry.ts';
import { LOOP_DONE_OUTPUT, LOOP_MAX_ITERATIONS, nodePorts, outputType } from './body-ports.ts';
import { cap, checkValue, describe, type ValueProblem } from './values.ts';

export type IssueCode =
  // loading
  | 'schema' | 'unsupported_version' | 'migration_missing' | 'migration_failed' | 'node_version_too_new'
  // nodes and ids
  | 'unknown_node_type' | 'duplicate_node_id' | 'duplicate_edge_id' | 'missing_body' | 'loop_done'
  // wires
  | 'dangling_edge' | 'unknown_input' | 'unknown_output' | 'type_mismatch' | 'too_many_connections' | 'cycle'
  // values
  | 'missing_input' | 'wrong_type' | 'not_integer' | 'out_of_range' | 'not_in_enum' | 'not_inline'
  // map and exposed graph ports
  | 'map_unknown_input' | 'map_not_list' | 'unknown_exposed_node' | 'unknown_exposed_port' | 'duplicate_exposed_name';

export interface ValidationIssue {
  /** JSON path of the field at fault: `nodes[3].inputs.threshold`, `nodes[1].graph.edges[0].to.port`. */
  path: string;
  message: string;
  code: IssueCode;
  /** The node's path (`loop/score` inside a body), when the issue is about one node. */
  nodeId?: string;
}

export { LOOP_DONE_OUTPUT, LOOP_ITERATION_INPUT, LOOP_MAX_ITERATIONS } from './body-ports.ts';
/** Cycles are listed one by one up to this many; past it the graph is hopeless anyway. */
const MAX_CYCLES_REPORTED = 10;

interface Entry {
  /** Position in `doc.nodes`. */
  index: number;
  /** Position among the distinct nodes (duplicates skipped): the vertex number for cycle search. */
  vertex: number;
  node: GraphNode;
  def?: NodeDefinition;
  ports?: NodePorts;
}

export function validateGraph(doc: GraphDocument, registry: NodeRegistry): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  validateLevel(doc, registry, '', '', issues);
  return issues;
}

/** `at` prefixes JSON paths (`nodes[1].graph.`), `scope` prefixes node paths (`loop/`). */
function validateLevel(doc: GraphDocument, registry: NodeRegistry, at: string, scope: string, out: ValidationIssue[]): void {
  const nodeName = (e: Entry) => `node \`${e.node.id}\` (${e.node.type})`;
  const entries = new Map<string, Entry>();
  const order: Entry[] = [];

  doc.nodes.forEach((node, index) => {
    const first = entries.get(node.id);
    if (first) {
      out.push({ path: `${at}nodes[${index}].id`, code: 'duplicate_node_id', nodeId: scope + node.id, message: `Node id \`${node.id}\` is used twice (first at ${at}nodes[${first.index}]); node ids must be unique.` });
      return;
    }
    const def = registry.get(node.type);
    const entry: Entry = { index, vertex: order.length, node, def, ports: def && nodePorts(def, node, registry) };
    entries.set(node.id, entry);
    order.push(entry);
    if (!def) {
      out.push({ path: `${at}nodes[${index}].type`, code: 'unknown_node_type', nodeId: scope + node.id, message: `Node \`${node.id}\` has unknown type \`${node.type}\`; it is kept as a placeholder, but the graph cannot run until that node type is installed or the node is removed.` });
    }
  });

  // Inputs fed from outside the node: by an exposed graph input, or by the first edge seen.
  const exposedInputs = new Map<string, string>();
  checkExposed(doc, entries, at, scope, exposedInputs, out);
  const fedBy = new Map<string, number>();
  const edgeIds = new Set<string>();
  const adjacency: number[][] = order.map(() => []);
  const indegree = new Int32Array(order.length);
  const edgeAt: { to: number; edge: number }[] = [];

  doc.edges.forEach((edge, j) => {
    const here = `${at}edges[${j}]`;
    if (edgeIds.has(edge.id)) out.push({ path: `${here}.id`, code: 'duplicate_edge_id', message: `Edge id \`${edge.id}\` is used twice; edge ids must be unique.` });
    edgeIds.add(edge.id);
    const from = entries.get(edge.from.node);
    const to = entries.get(edge.to.node);
    if (!from) out.push({ path: `${here}.from.node`, code: 'dangling_edge', message: `Edge \`${edge.id}\` comes from node \`${edge.from.node}\`, which does not exist.` });
    if (!to) out.push({ path: `${here}.to.node`, code: 'dangling_edge', message: `Edge \`${edge.id}\` goes to node \`${edge.to.node}\`, which does not exist.` });
    if (!from || !to) return;
    adjacency[from.vertex]!.push(edgeAt.length);
    edgeAt.push({ to: to.vertex, edge: j });
    indegree[to.vertex]!++;

    const outSpec = from.ports?.outputs[edge.from.port];
    const inSpec = to.ports?.inputs[edge.to.port];
    if (from.ports && !outSpec) {
      out.push({ path: `${here}.from.port`, code: 'unknown_output', nodeId: scope + from.node.id, message: `${cap(nodeName(from))} has no output \`${edge.from.port}\`; its outputs are ${list(Object.keys(from.ports.outputs))}.` });
    }
    if (to.ports && !inSpec) {
      out.push({ path: `${here}.to.port`, code: 'unknown_input', nodeId: scope + to.node.id, message: `${cap(nodeName(to))} has no input \`${edge.to.port}\`; its inputs are ${list(Object.keys(to.ports.inputs))}.` });
    }
    if (!inSpec) return;
    const key = `${edge.to.node}\u0000${edge.to.port}`;
    if (!inSpec.multi) {
      const earlier = fedBy.get(key);
      const exposed = exposedInputs.get(key);
      if (earlier !== undefined) {
        out.push({ path: `${here}.to`, code: 'too_many_connections', nodeId: scope + to.node.id, message: `Input \`${edge.to.port}\` of ${nodeName(to)} takes one connection, but edges \`${doc.edges[earlier]!.id}\` and \`${edge.id}\` both feed it.` });
      } else if (exposed !== undefined) {
        out.push({ path: `${here}.to`, code: 'too_many_connections', nodeId: scope + to.node.id, message: `Input \`${edge.to.port}\` of ${nodeName(to)} takes one connection, but it is both fed by edge \`${edge.id}\` and exposed as graph input \`${exposed}\`.` });
      }
    }
    if (!fedBy.has(key)) fedBy.set(key, j);
    if (!outSpec) return;
    const fromType = outputType(from.node, outSpec);
    if (to.node.map?.includes(edge.to.port)) {
      const item = listItemType(fromType) ?? (fromType === 'any' ? 'any' : undefined);
      if (item === undefined) {
        out.push({ path: here, code: 'map_not_list', nodeId: scope + to.node.id, message: `${cap(nodeName(to))} maps over input \`${edge.to.port}\`, so it must be fed a list, but \`${edge.from.node}.${edge.from.port}\` gives \`${fromType}\`.` });
        return;
      }
      const rule = compatible(item, inSpec.type);
      if (!rule.ok) out.push({ path: here, code: 'type_mismatch', nodeId: scope + to.node.id, message: `Edge \`${edge.id}\` feeds the items of \`${edge.from.node}.${edge.from.port}\` to mapped input \`${edge.to.node}.${edge.to.port}\`: ${rule.reason}.` });
      return;
    }
    const rule = compatible(fromType, inSpec.type);
    if (!rule.ok) out.push({ path: here, code: 'type_mismatch', nodeId: scope + to.node.id, message: `Edge \`${edge.id}\` from \`${edge.from.node}.${edge.from.port}\` to \`${edge.to.node}.${edge.to.port}\`: ${rule.reason}.` });
  });

  for (const entry of order) checkNode(entry, at, scope, fedBy, exposedInputs, registry, out);
  reportCycles(order, adjacency, edgeAt, indegree, doc, at, scope, out);
}

function checkNode(entry: Entry, at: string, scope: string, fedBy: Map<string, number>, exposedInputs: Map<string, string>, registry: NodeRegistry, out: ValidationIssue[]): void {
  const { node, def, ports, index } = entry;
  const here = `${at}nodes[${index}]`;
  const nodeId = scope + node.id;
  if (node.graph) validateLevel(node.graph, registry, `${here}.graph.`, `${nodeId}/`, out);
  if (!def || !ports) return;
  const name = `node \`${node.id}\` (${node.type})`;
  const mapped = new Set(node.map ?? []);
  for (const input of mapped) {
    if (!(input in ports.inputs)) out.push({ path: `${here}.map`, code: 'map_unknown_input', nodeId, message: `${cap(name)} maps over \`${input}\`, which is not one of its inputs (${list(Object.keys(ports.inputs))}).` });
  }
  for (const key of Object.keys(node.inputs)) {
    if (!(key in ports.inputs)) out.push({ path: `${here}.inputs.${key}`, code: 'unknown_input', nodeId, message: `${cap(name)} has no input \`${key}\`; its inputs are ${list(Object.keys(ports.inputs))}.` });
  }
  if (def.control && !node.graph) {
    out.push({ path: `${here}.graph`, code: 'missing_body', nodeId, message: `${cap(name)} needs a body graph in \`graph\`.` });
  }
  if (def.control === 'loop' && node.graph) {
    const done = ports.outputs[LOOP_DONE_OUTPUT];
    if (!done || !compatible(done.type, 'bool').ok) {
      out.push({ path: `${here}.graph.outputs`, code: 'loop_done', nodeId, message: `The body of loop ${name} must expose a bool output named \`${LOOP_DONE_OUTPUT}\`${done ? `, not \`${done.type}\`` : ''}: the loop stops when it is true.` });
    }
  }
  // A muted node never runs; a bypassed one forwards its inputs. Neither needs its parameters.
  if (node.mode === 'mute' || node.mode === 'bypass') return;
  const problems: ValueProblem[] = [];
  for (const [port, spec] of Object.entries(ports.inputs)) {
    const key = `${node.id}\u0000${port}`;
    if (fedBy.has(key) || exposedInputs.has(key)) continue;
    const path = `${here}.inputs.${port}`;
    const value = node.inputs[port];
    const what = `Input \`${port}\` of ${name}`;
    if (value === undefined) {
      if (mapped.has(port)) out.push({ path, code: 'map_not_list', nodeId, message: `${cap(name)} maps over input \`${port}\`, so it must be connected to a list or set to one.` });
      else if (isRequired(spec, def, port)) out.push({ path, code: 'missing_input', nodeId, message: `${what} (\`${spec.type}\`) is required: connect it or set a value.` });
      continue;
    }
    if (!mapped.has(port)) checkValue(value, spec.type, spec, path, what, problems);
    else if (Array.isArray(value)) value.forEach((item, i) => checkValue(item, spec.type, spec, `${path}[${i}]`, `${what}, item ${i},`, problems));
    else out.push({ path, code: 'map_not_list', nodeId, message: `${cap(name)} maps over input \`${port}\`, so its value must be a list, got ${describe(value)}.` });
  }
  for (const p of problems) out.push({ ...p, nodeId });
}

/**
 * Required: no default and not optional. A seed is never missing (unset means random), and a
 * loop's `maxIterations` is always required, default or not, so no loop runs unbounded by accident.
 */
function isRequired(spec: InputSpec, def: NodeDefinition, port: string): boolean {
  if (def.control === 'loop' && port === LOOP_MAX_ITERATIONS) return true;
  return !spec.optional && spec.default === undefined && spec.type !== 'seed';
}

function checkExposed(doc: GraphDocument, entries: Map<string, Entry>, at: string, scope: string, exposedInputs: Map<string, string>, out: ValidationIssue[]): void {
  for (const side of ['inputs', 'outputs'] as const) {
    const names = new Set<string>();
    doc[side].forEach((exposed, k) => {
      const here = `${at}${side}[${k}]`;
      if (names.has(exposed.name)) out.push({ path: `${here}.name`, code: 'duplicate_exposed_name', message: `Graph ${side.slice(0, -1)} \`${exposed.name}\` is declared twice; names must be unique.` });
      names.add(exposed.name);
      const entry = entries.get(exposed.node);
      if (!entry) {
        out.push({ path: `${here}.node`, code: 'unknown_exposed_node', message: `Graph ${side.slice(0, -1)} \`${exposed.name}\` refers to node \`${exposed.node}\`, which does not exist.` });
        return;
      }
      const ports = entry.ports?.[side];
      if (ports && !(exposed.port in ports)) {
        out.push({ path: `${here}.port`, code: 'unknown_exposed_port', nodeId: scope + exposed.node, message: `Graph ${side.slice(0, -1)} \`${exposed.name}\` refers to \`${exposed.node}.${exposed.port}\`, but node \`${exposed.node}\` (${entry.node.type}) has no ${side.slice(0, -1)} \`${exposed.port}\`; it has ${list(Object.keys(ports))}.` });
      }
      if (side === 'inputs') exposedInputs.set(`${exposed.node}\u0000${exposed.port}`, exposed.name);
    });
  }
}

/**
 * Kahn's algorithm peels off every node not on or behind a cycle; an iterative DFS over what is
 * left then names each cycle in order (no recursion: 10,000-node chains must not blow the stack).
 */
function reportCycles(order: Entry[], adjacency: number[][], edgeAt: { to: number; edge: number }[], indegree: Int32Array, doc: GraphDocument, at: string, scope: string, out: ValidationIssue[]): void {
  const remaining = indegree.slice();
  const queue: number[] = [];
  for (let i = 0; i < order.length; i++) if (remaining[i] === 0) queue.push(i);
  for (let q = 0; q < queue.length; q++) {
    for (const e of adjacency[queue[q]!]!) if (--remaining[edgeAt[e]!.to]! === 0) queue.push(edgeAt[e]!.to);
  }
  if (queue.length === order.length) return;

  const state = new Uint8Array(order.length); // 0 unseen, 1 on the DFS stack, 2 finished
  let reported = 0;
  for (let root = 0; root < order.length && reported < MAX_CYCLES_REPORTED; root++) {
    if (remaining[root] === 0 || state[root] !== 0) continue;
    const stack: number[] = [root];
    const cursor: number[] = [0];
    state[root] = 1;
    while (stack.length && reported < MAX_CYCLES_REPORTED) {
      const top = stack.length - 1;
      const v = stack[top]!;
      const edges = adjacency[v]!;
      if (cursor[top]! >= edges.length) {
        state[v] = 2;
        stack.pop();
        cursor.pop();
        continue;
      }
      const e = edgeAt[edges[cursor[top]!++]!]!;
      if (state[e.to] === 1) {
        const ids = stack.slice(stack.lastIndexOf(e.to)).map((i) => order[i]!.node.id);
        ids.push(order[e.to]!.node.id);
        const closing = doc.edges[e.edge]!;
        out.push({ path: `${at}edges[${e.edge}]`, code: 'cycle', nodeId: scope + ids[0], message: `Cycle: ${ids.map((id) => `\`${id}\``).join(' → ')} (closed by edge \`${closing.id}\`); a graph cannot feed a node's output back into its own inputs (use a flow.loop node to repeat work).` });
        reported++;
      } else if (state[e.to] === 0 && remaining[e.to] !== 0) {
        state[e.to] = 1;
        stack.push(e.to);
        cursor.push(0);
      }
    }
  }
}

function list(names: string[]): string {
  return names.length ? names.map((n) => `\`${n}\``).join(', ') : 'none';
}
