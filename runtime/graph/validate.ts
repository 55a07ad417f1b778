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
import { cap, checkValue, describe, pathKey, type ValueProblem } from './values.ts';

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
  /**
   * The input ports edges feed, each with the index of the first edge into it (`fedBy`): lists, not
   * a Map, since a node has a few inputs and a Map per node costs more than a sha256's worth of garbage.
   */
  fed?: string[];
  fedBy?: number[];
  /** Input port → name of the graph input exposing it. */
  exposed?: Map<string, string>;
}

/** One graph level's nodes by id, and the edges as vertex pairs (-1 where an end is missing). */
interface Level {
  doc: GraphDocument;
  registry: NodeRegistry;
  /** JSON path prefix (`nodes[1].graph.`) and node path prefix (`loop/`). */
  at: string;
  scope: string;
  entries: Map<string, Entry>;
  order: Entry[];
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  out: ValidationIssue[];
  /** Scratch list for one input's value problems, reused so valid nodes allocate nothing. */
  problems: ValueProblem[];
}

export function validateGraph(doc: GraphDocument, registry: NodeRegistry): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  validateLevel(doc, registry, '', '', issues);
  return issues;
}

const describeNode = (node: GraphNode) => `node \`${node.id}\` (${node.type})`;
const takesOne = (port: string, node: GraphNode) => `Input \`${port}\` of ${describeNode(node)} takes one connection, but`;

function validateLevel(doc: GraphDocument, registry: NodeRegistry, at: string, scope: string, out: ValidationIssue[]): void {
  const level: Level = {
    doc, registry, at, scope, out, entries: new Map(), order: [], problems: [],
    edgeFrom: new Int32Array(doc.edges.length), edgeTo: new Int32Array(doc.edges.length),
  };
  const { entries, order } = level;
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
  checkExposed(level);
  const edgeIds = new Set<string>();
  doc.edges.forEach((edge, j) => {
    if (edgeIds.has(edge.id)) out.push({ path: `${at}edges[${j}].id`, code: 'duplicate_edge_id', message: `Edge id \`${edge.id}\` is used twice; edge ids must be unique.` });
    edgeIds.add(edge.id);
    checkEdge(level, j);
  });
  for (const entry of order) checkNode(level, entry);
  reportCycles(level);
}

function checkEdge(level: Level, j: number): void {
  const { doc, at, scope, entries, out } = level;
  const edge = doc.edges[j]!;
  const from = entries.get(edge.from.node);
  const to = entries.get(edge.to.node);
  level.edgeFrom[j] = from ? from.vertex : -1;
  level.edgeTo[j] = to ? to.vertex : -1;
  if (!from) out.push({ path: `${at}edges[${j}].from.node`, code: 'dangling_edge', message: `Edge \`${edge.id}\` comes from node \`${edge.from.node}\`, which does not exist.` });
  if (!to) out.push({ path: `${at}edges[${j}].to.node`, code: 'dangling_edge', message: `Edge \`${edge.id}\` goes to node \`${edge.to.node}\`, which does not exist.` });
  if (!from || !to) return;

  const outSpec = from.ports?.outputs[edge.from.port];
  const inSpec = to.ports?.inputs[edge.to.port];
  if (from.ports && !outSpec) {
    out.push({ path: `${at}edges[${j}].from.port`, code: 'unknown_output', nodeId: scope + from.node.id, message: `${cap(describeNode(from.node))} has no output \`${edge.from.port}\`; its outputs are ${list(Object.keys(from.ports.outputs))}.` });
  }
  if (to.ports && !inSpec) {
    out.push({ path: `${at}edges[${j}].to.port`, code: 'unknown_input', nodeId: scope + to.node.id, message: `${cap(describeNode(to.node))} has no input \`${edge.to.port}\`; its inputs are ${list(Object.keys(to.ports.inputs))}.` });
  }
  if (!inSpec) return;
  const earlier = firstEdgeInto(to, edge.to.port);
  if (!inSpec.multi) {
    const exposed = to.exposed?.get(edge.to.port);
    if (earlier !== undefined) {
      out.push({ path: `${at}edges[${j}].to`, code: 'too_many_connections', nodeId: scope + to.node.id, message: `${takesOne(edge.to.port, to.node)} edges \`${doc.edges[earlier]!.id}\` and \`${edge.id}\` both feed it.` });
    } else if (exposed !== undefined) {
      out.push({ path: `${at}edges[${j}].to`, code: 'too_many_connections', nodeId: scope + to.node.id, message: `${takesOne(edge.to.port, to.node)} it is both fed by edge \`${edge.id}\` and exposed as graph input \`${exposed}\`.` });
    }
  }
  if (earlier === undefined) {
    if (to.fed) {
      to.fed.push(edge.to.port);
      to.fedBy!.push(j);
    } else {
      to.fed = [edge.to.port];
      to.fedBy = [j];
    }
  }
  if (!outSpec) return;

  let fromType: string = outputType(from.node, outSpec);
  if (to.node.map?.includes(edge.to.port)) {
    const item = listItemType(fromType) ?? (fromType === 'any' ? 'any' : undefined);
    if (item === undefined) {
      out.push({ path: `${at}edges[${j}]`, code: 'map_not_list', nodeId: scope + to.node.id, message: `${cap(describeNode(to.node))} maps over input \`${edge.to.port}\`, so it must be fed a list, but \`${edge.from.node}.${edge.from.port}\` gives \`${fromType}\`.` });
      return;
    }
    fromType = item;
  }
  const rule = compatible(fromType, inSpec.type);
  if (!rule.ok) out.push({ path: `${at}edges[${j}]`, code: 'type_mismatch', nodeId: scope + to.node.id, message: `Edge \`${edge.id}\` from \`${edge.from.node}.${edge.from.port}\` to \`${edge.to.node}.${edge.to.port}\`: ${rule.reason}.` });
}

function firstEdgeInto(entry: Entry, port: string): number | undefined {
  const i = entry.fed ? entry.fed.indexOf(port) : -1;
  return i < 0 ? undefined : entry.fedBy![i];
}

const NOT_MAPPED: readonly string[] = [];

function checkNode(level: Level, entry: Entry): void {
  const { node, def, ports } = entry;
  if (node.graph) validateLevel(node.graph, level.registry, `${nodeAt(level, entry)}.graph.`, `${level.scope}${node.id}/`, level.out);
  if (!def || !ports) return;
  const mapped = node.map ?? NOT_MAPPED;
  for (const input of mapped) {
    if (!(input in ports.inputs)) nodeIssue(level, entry, '.map', 'map_unknown_input', `maps over \`${input}\`, which is not one of its inputs (${list(Object.keys(ports.inputs))}).`);
  }
  for (const key in node.inputs) {
    if (!(key in ports.inputs)) nodeIssue(level, entry, `.inputs${pathKey(key)}`, 'unknown_input', `has no input \`${key}\`; its inputs are ${list(Object.keys(ports.inputs))}.`);
  }
  if (def.control && !node.graph) nodeIssue(level, entry, '.graph', 'missing_body', 'needs a body graph in `graph`.');
  if (def.control === 'loop' && node.graph) {
    const done = ports.outputs[LOOP_DONE_OUTPUT];
    if (!done || !compatible(done.type, 'bool').ok) {
      nodeIssue(level, entry, '.graph.outputs', 'loop_done', `is a loop, so its body must expose a bool output named \`${LOOP_DONE_OUTPUT}\`${done ? `, not \`${done.type}\`` : ''}: the loop stops when it is true.`);
    }
  }
  // A muted node never runs; a bypassed one forwards its inputs. Neither needs its parameters.
  if (node.mode === 'mute' || node.mode === 'bypass') return;
  const problems = level.problems;
  for (const port in ports.inputs) {
    if (entry.fed?.includes(port) || entry.exposed?.has(port)) continue;
    const spec = ports.inputs[port]!;
    const value = node.inputs[port];
    const isMapped = mapped.length > 0 && mapped.includes(port);
    if (value === undefined) {
      if (isMapped) problems.push({ at: '', code: 'map_not_list', text: 'is mapped over, so it must be connected to a list or set to one.' });
      else if (isRequired(spec, def, port)) problems.push({ at: '', code: 'missing_input', text: `(\`${spec.type}\`) is required: connect it or set a value.` });
    } else if (!isMapped) {
      checkValue(value, spec.type, spec, problems);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) checkValue(value[i], spec.type, spec, problems, `[${i}]`);
    } else {
      problems.push({ at: '', code: 'map_not_list', text: `is mapped over, so its value must be a list, got ${describe(value)}.` });
    }
    if (problems.length === 0) continue;
    for (const p of problems) {
      level.out.push({ path: `${nodeAt(level, entry)}.inputs.${port}${p.at}`, code: p.code, nodeId: level.scope + node.id, message: `Input \`${port}\` of ${describeNode(node)}${p.at ? `, item ${p.at},` : ''} ${p.text}` });
    }
    problems.length = 0;
  }
}

function nodeAt(level: Level, entry: Entry): string {
  return `${level.at}nodes[${entry.index}]`;
}

/** An issue about one node, worded "Node `id` (type) <text>". */
function nodeIssue(level: Level, entry: Entry, field: string, code: IssueCode, text: string): void {
  level.out.push({ path: nodeAt(level, entry) + field, code, nodeId: level.scope + entry.node.id, message: `${cap(describeNode(entry.node))} ${text}` });
}

/**
 * Required: no default and not optional. A seed is never missing (unset means random), and a
 * loop's `maxIterations` is always required, default or not, so no loop runs unbounded by accident.
 */
function isRequired(spec: InputSpec, def: NodeDefinition, port: string): boolean {
  if (def.control === 'loop' && port === LOOP_MAX_ITERATIONS) return true;
  return !spec.optional && spec.default === undefined && spec.type !== 'seed';
}

function checkExposed(level: Level): void {
  const { doc, at, scope, entries, out } = level;
  for (const side of ['inputs', 'outputs'] as const) {
    const names = new Set<string>();
    const what = side === 'inputs' ? 'input' : 'output';
    doc[side].forEach((exposed, k) => {
      const here = `${at}${side}[${k}]`;
      if (names.has(exposed.name)) out.push({ path: `${here}.name`, code: 'duplicate_exposed_name', message: `Graph ${what} \`${exposed.name}\` is declared twice; names must be unique.` });
      names.add(exposed.name);
      const entry = entries.get(exposed.node);
      if (!entry) {
        out.push({ path: `${here}.node`, code: 'unknown_exposed_node', message: `Graph ${what} \`${exposed.name}\` refers to node \`${exposed.node}\`, which does not exist.` });
        return;
      }
      const ports = entry.ports?.[side];
      if (ports && !(exposed.port in ports)) {
        out.push({ path: `${here}.port`, code: 'unknown_exposed_port', nodeId: scope + exposed.node, message: `Graph ${what} \`${exposed.name}\` refers to \`${exposed.node}.${exposed.port}\`, but ${describeNode(entry.node)} has no ${what} \`${exposed.port}\`; it has ${list(Object.keys(ports))}.` });
      }
      if (side === 'inputs') (entry.exposed ??= new Map()).set(exposed.port, exposed.name);
    });
  }
}

/**
 * Kahn's algorithm peels off every node not on or behind a cycle; an iterative DFS over what is
 * left then names each cycle in order (no recursion: 10,000-node chains must not blow the stack).
 */
function reportCycles(level: Level): void {
  const { order, edgeFrom, edgeTo, doc } = level;
  const n = order.length;
  // Outgoing edges by vertex, in compressed rows: edges of v are outEdges[start[v] .. start[v+1]).
  const start = new Int32Array(n + 1);
  for (let j = 0; j < edgeFrom.length; j++) if (edgeFrom[j]! >= 0 && edgeTo[j]! >= 0) start[edgeFrom[j]! + 1]!++;
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const outEdges = new Int32Array(start[n]!);
  const fill = start.slice(0, n);
  const remaining = new Int32Array(n);
  for (let j = 0; j < edgeFrom.length; j++) {
    if (edgeFrom[j]! < 0 || edgeTo[j]! < 0) continue;
    outEdges[fill[edgeFrom[j]!]!++] = j;
    remaining[edgeTo[j]!]!++;
  }
  const queue = new Int32Array(n);
  let tail = 0;
  for (let v = 0; v < n; v++) if (remaining[v] === 0) queue[tail++] = v;
  for (let head = 0; head < tail; head++) {
    const v = queue[head]!;
    for (let k = start[v]!; k < start[v + 1]!; k++) if (--remaining[edgeTo[outEdges[k]!]!]! === 0) queue[tail++] = edgeTo[outEdges[k]!]!;
  }
  if (tail === n) return;

  const state = new Uint8Array(n); // 0 unseen, 1 on the DFS stack, 2 finished
  const stack: number[] = [];
  const cursor: number[] = [];
  let reported = 0;
  for (let root = 0; root < n && reported < MAX_CYCLES_REPORTED; root++) {
    if (remaining[root] === 0 || state[root] !== 0) continue;
    stack.push(root);
    cursor.push(start[root]!);
    state[root] = 1;
    while (stack.length && reported < MAX_CYCLES_REPORTED) {
      const top = stack.length - 1;
      const v = stack[top]!;
      if (cursor[top]! >= start[v + 1]!) {
        state[v] = 2;
        stack.pop();
        cursor.pop();
        continue;
      }
      const j = outEdges[cursor[top]!++]!;
      const w = edgeTo[j]!;
      if (state[w] === 1) {
        const ids = stack.slice(stack.lastIndexOf(w)).map((i) => order[i]!.node.id);
        ids.push(order[w]!.node.id);
        level.out.push({ path: `${level.at}edges[${j}]`, code: 'cycle', nodeId: level.scope + ids[0], message: `Cycle: ${ids.map((id) => `\`${id}\``).join(' → ')} (closed by edge \`${doc.edges[j]!.id}\`); a graph cannot feed a node's output back into its own inputs (use a flow.loop node to repeat work).` });
        reported++;
      } else if (state[w] === 0 && remaining[w] !== 0) {
        state[w] = 1;
        stack.push(w);
        cursor.push(start[w]!);
      }
    }
    stack.length = 0;
    cursor.length = 0;
  }
}

function list(names: string[]): string {
  return names.length ? names.map((n) => `\`${n}\``).join(', ') : 'none';
}
