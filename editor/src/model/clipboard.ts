/**
 * Copy/paste as graph JSON, so a selection travels through the system clipboard between tabs and
 * into text editors. The copied fragment is a complete `castgraph.graph` document; the wires that
 * fed the selection from outside ride along in `meta.incoming` for "paste with links".
 */
import type { Draft } from 'immer';
import { GRAPH_FORMAT, GRAPH_VERSION, GraphDocument, formatPath, type Edge } from '../../../runtime/graph/document.ts';
import { freshId, nodeIds, type Graph } from './ops.ts';

export function copySelection(g: Graph, ids: ReadonlySet<string>): Graph {
  const nodes = g.nodes.filter((n) => ids.has(n.id));
  const edges = g.edges.filter((e) => ids.has(e.from.node) && ids.has(e.to.node));
  const incoming = g.edges.filter((e) => !ids.has(e.from.node) && ids.has(e.to.node));
  const notes = g.notes.filter((n) => ids.has(n.id));
  const groups = g.groups.filter((gr) => gr.nodes.every((id) => ids.has(id)));
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    id: 'clipboard',
    name: 'Copied nodes',
    nodes: structuredClone(nodes),
    edges: structuredClone(edges),
    inputs: [],
    outputs: [],
    groups: structuredClone(groups),
    notes: structuredClone(notes),
    meta: { incoming: structuredClone(incoming) },
  };
}

/** Reads clipboard text as a graph fragment; a clear error names what is wrong. */
export function parseFragment(text: string): Graph {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('the clipboard does not hold graph JSON');
  }
  const parsed = GraphDocument.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`clipboard graph: ${formatPath(issue.path)}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Inserts a fragment with fresh node, edge, note and group ids, shifted by `offset`.
 * With `keepIncoming`, wires that fed the copied nodes are re-created when their source still exists.
 * Returns the new ids (to select them).
 */
export function pasteFragment(g: Draft<Graph>, fragment: Graph, offset: { x: number; y: number }, keepIncoming = false): string[] {
  const taken = nodeIds(g);
  for (const n of g.notes) taken.add(n.id);
  const rename = new Map<string, string>();
  for (const node of [...fragment.nodes, ...fragment.notes]) {
    const id = freshId(node.id.replace(/_\d+$/, ''), taken);
    taken.add(id);
    rename.set(node.id, id);
  }
  for (const node of fragment.nodes) {
    g.nodes.push({ ...structuredClone(node), id: rename.get(node.id)!, position: { x: node.position.x + offset.x, y: node.position.y + offset.y } });
  }
  for (const note of fragment.notes) {
    g.notes.push({ ...structuredClone(note), id: rename.get(note.id)!, position: { x: note.position.x + offset.x, y: note.position.y + offset.y } });
  }
  const edgeIds = new Set(g.edges.map((e) => e.id));
  const addEdge = (e: Edge, fromNode: string) => {
    const id = freshId(`${fromNode}_${e.from.port}__${rename.get(e.to.node)}_${e.to.port}`, edgeIds);
    edgeIds.add(id);
    g.edges.push({ id, from: { node: fromNode, port: e.from.port }, to: { node: rename.get(e.to.node)!, port: e.to.port } });
  };
  for (const e of fragment.edges) if (rename.has(e.from.node) && rename.has(e.to.node)) addEdge(e, rename.get(e.from.node)!);
  if (keepIncoming) {
    const existing = nodeIds(g);
    const incoming = Array.isArray(fragment.meta.incoming) ? (fragment.meta.incoming as Edge[]) : [];
    for (const e of incoming) if (existing.has(e.from.node) && !rename.has(e.from.node) && rename.has(e.to.node)) addEdge(e, e.from.node);
  }
  const groupIds = new Set(g.groups.map((gr) => gr.id));
  for (const group of fragment.groups) {
    const id = freshId(group.id, groupIds);
    groupIds.add(id);
    g.groups.push({ ...structuredClone(group), id, nodes: group.nodes.filter((n) => rename.has(n)).map((n) => rename.get(n)!) });
  }
  return [...rename.values()];
}
