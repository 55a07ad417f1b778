/**
 * Edits of one graph (the root document or a subgraph body), written against immer drafts so
 * the history records each as patches. Pure: no React, no DOM; unit-tested in test/editor/model.
 */
import type { Draft } from 'immer';
import { emptyDocument, type Edge, type GraphDocument, type GraphNode, type PortRef } from '../../../runtime/graph/document.ts';
import type { NodeTypeInfo } from './node-types.ts';

export type Graph = GraphDocument;
type D<T> = Draft<T>;

/** The graph shown at a breadcrumb path of subgraph node ids (empty path: the document itself). */
export function graphAt<G extends Graph | D<Graph>>(doc: G, path: readonly string[]): G {
  let g = doc;
  for (const id of path) {
    const node = g.nodes.find((n) => n.id === id);
    if (!node?.graph) throw new Error(`no subgraph body at ${[...path].join('/')}`);
    g = node.graph as G;
  }
  return g;
}

/** A fresh id from the type's name (`resize`, `resize_2`, ...) not used in `taken`. */
export function freshId(base: string, taken: ReadonlySet<string>): string {
  const stem = base.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 48) || 'node';
  if (!taken.has(stem)) return stem;
  for (let i = 2; ; i++) if (!taken.has(`${stem}_${i}`)) return `${stem}_${i}`;
}

export function nodeIds(g: Graph | D<Graph>): Set<string> {
  return new Set(g.nodes.map((n) => n.id));
}

/** Room a typical node takes; new items are placed so that they do not cover another's corner. */
const SLOT = { width: 240, height: 120 };

/** `at`, or the first spot to the right of it where no node or note starts nearby (new items never hide others). */
export function freePosition(g: Graph | D<Graph>, at: { x: number; y: number }): { x: number; y: number } {
  const taken = [...g.nodes.map((n) => n.position), ...g.notes.map((n) => n.position)];
  let p = { x: Math.round(at.x), y: Math.round(at.y) };
  for (let i = 0; i < 50 && taken.some((t) => Math.abs(t.x - p.x) < SLOT.width && Math.abs(t.y - p.y) < SLOT.height); i++) p = { x: p.x + SLOT.width + 20, y: p.y };
  return p;
}

export function addNode(g: D<Graph>, info: NodeTypeInfo, position: { x: number; y: number }): string {
  const id = freshId(info.type.split('.')[1] ?? info.type, nodeIds(g));
  const inputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(info.inputs)) if (spec.default !== undefined) inputs[name] = spec.default;
  const node: GraphNode = { id, type: info.type, typeVersion: info.version, inputs, position: freePosition(g, position) };
  // Control nodes start with an empty body to open and fill.
  if (info.control) node.graph = emptyDocument(`${id}-body`, `${info.title} body`);
  g.nodes.push(node);
  return id;
}

/** Wires `from` into `to`; a single (non-multi) input keeps only its newest wire. */
export function connect(g: D<Graph>, from: PortRef, to: PortRef, multi = false): string {
  if (!multi) g.edges = g.edges.filter((e) => !(e.to.node === to.node && e.to.port === to.port));
  const taken = new Set(g.edges.map((e) => e.id));
  const id = freshId(`${from.node}_${from.port}__${to.node}_${to.port}`, taken);
  g.edges.push({ id, from: { node: from.node, port: from.port }, to: { node: to.node, port: to.port } });
  return id;
}

export function removeEdges(g: D<Graph>, ids: ReadonlySet<string>): void {
  g.edges = g.edges.filter((e) => !ids.has(e.id));
}

export function removeNodes(g: D<Graph>, ids: ReadonlySet<string>): void {
  g.nodes = g.nodes.filter((n) => !ids.has(n.id));
  g.edges = g.edges.filter((e) => !ids.has(e.from.node) && !ids.has(e.to.node));
  g.inputs = g.inputs.filter((i) => !ids.has(i.node));
  g.outputs = g.outputs.filter((o) => !ids.has(o.node));
  for (const group of g.groups) group.nodes = group.nodes.filter((id) => !ids.has(id));
  g.groups = g.groups.filter((group) => group.nodes.length > 0);
  g.notes = g.notes.filter((n) => !ids.has(n.id));
}

export function setInput(g: D<Graph>, nodeId: string, port: string, value: unknown): void {
  const node = g.nodes.find((n) => n.id === nodeId);
  if (!node) return;
  if (value === undefined) delete node.inputs[port];
  else node.inputs[port] = value as never;
}

export function moveNodes(g: D<Graph>, positions: ReadonlyMap<string, { x: number; y: number }>): void {
  for (const node of g.nodes) {
    const p = positions.get(node.id);
    if (p) node.position = { x: p.x, y: p.y };
  }
  for (const note of g.notes) {
    const p = positions.get(note.id);
    if (p) note.position = { x: p.x, y: p.y };
  }
}

export function setMode(g: D<Graph>, ids: ReadonlySet<string>, mode: GraphNode['mode']): void {
  for (const node of g.nodes) {
    if (!ids.has(node.id)) continue;
    if (mode === 'active' || node.mode === mode) delete node.mode;
    else node.mode = mode;
  }
}

/** Collapsed nodes show only their header; `collapsed` is an editor-only field the engine ignores. */
export function setCollapsed(g: D<Graph>, ids: ReadonlySet<string>, collapsed: boolean): void {
  for (const node of g.nodes) {
    if (!ids.has(node.id)) continue;
    if (collapsed) node.collapsed = true;
    else delete node.collapsed;
  }
}

/** The wires that end at a node's inputs, by input name (what hides an inline widget). */
export function wiredInputs(edges: readonly Edge[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const e of edges) {
    let set = out.get(e.to.node);
    if (!set) out.set(e.to.node, (set = new Set()));
    set.add(e.to.port);
  }
  return out;
}
