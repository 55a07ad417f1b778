/**
 * Document → React Flow nodes and edges. Immer keeps unchanged document nodes identical, so the
 * cache hands React Flow the very same objects for them: during a drag only the dragged nodes are
 * new, and memoised node components of the others never re-render.
 */
import type { Edge as FlowEdge, Node as FlowNode } from '@xyflow/react';
import type { Edge, GraphNode } from '../../../runtime/graph/document.ts';
import type { Graph } from '../model/ops.ts';
import type { NodeTypes } from '../model/node-types.ts';

export interface GraphNodeData extends Record<string, unknown> {
  node: GraphNode;
  /** Names of the inputs that have a wire, joined (a string keeps memo comparison cheap). */
  wired: string;
  /** Output names that have a wire (placeholders draw handles for them). */
  outs: string;
}
export interface NoteData extends Record<string, unknown> {
  text: string;
}

export type CanvasNode = FlowNode<GraphNodeData, 'graph'> | FlowNode<NoteData, 'note'>;

interface Dims {
  width: number;
  height: number;
}

interface Cached {
  src: unknown;
  selected: boolean;
  wired: string;
  dims?: Dims;
  out: CanvasNode;
}

export class FlowCache {
  #nodes = new Map<string, Cached>();
  #edges = new Map<string, { src: Edge; selected: boolean; out: FlowEdge }>();

  #wiredEdges: readonly Edge[] | undefined;
  #wiredPorts = new Map<string, string>();

  /** `inputs|outputs` with wires, per node; recomputed only when the edges change (not on a drag). */
  #wired(edges: readonly Edge[]): Map<string, string> {
    if (edges === this.#wiredEdges) return this.#wiredPorts;
    const ins = new Map<string, Set<string>>();
    const outs = new Map<string, Set<string>>();
    const add = (map: Map<string, Set<string>>, key: string, port: string) => {
      let set = map.get(key);
      if (!set) map.set(key, (set = new Set()));
      set.add(port);
    };
    for (const e of edges) {
      add(ins, e.to.node, e.to.port);
      add(outs, e.from.node, e.from.port);
    }
    const out = new Map<string, string>();
    for (const id of new Set([...ins.keys(), ...outs.keys()])) out.set(id, `${[...(ins.get(id) ?? [])].sort().join(',')}|${[...(outs.get(id) ?? [])].sort().join(',')}`);
    this.#wiredEdges = edges;
    this.#wiredPorts = out;
    return out;
  }

  nodes(g: Graph, selection: ReadonlySet<string>, measured: ReadonlyMap<string, Dims>): CanvasNode[] {
    const wired = this.#wired(g.edges);
    const next = new Map<string, Cached>();
    const out: CanvasNode[] = [];
    for (const node of g.nodes) {
      const selected = selection.has(node.id);
      const ports = wired.get(node.id) ?? '|';
      const dims = measured.get(node.id);
      const prev = this.#nodes.get(node.id);
      let flow: CanvasNode;
      if (prev && prev.src === node && prev.selected === selected && prev.wired === ports && prev.dims === dims) flow = prev.out;
      else {
        const [ins, outs] = ports.split('|') as [string, string];
        flow = { id: node.id, type: 'graph', position: node.position, data: { node, wired: ins, outs }, selected, measured: dims };
      }
      next.set(node.id, { src: node, selected, wired: ports, dims, out: flow });
      out.push(flow);
    }
    for (const note of g.notes) {
      const selected = selection.has(note.id);
      const dims = measured.get(note.id);
      const prev = this.#nodes.get(note.id);
      let flow: CanvasNode;
      if (prev && prev.src === note && prev.selected === selected && prev.dims === dims) flow = prev.out;
      else flow = { id: note.id, type: 'note', position: note.position, data: { text: note.text }, selected, measured: dims };
      next.set(note.id, { src: note, selected, wired: '', dims, out: flow });
      out.push(flow);
    }
    this.#nodes = next;
    return out;
  }

  edges(g: Graph, types: NodeTypes, selection: ReadonlySet<string>): FlowEdge[] {
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    const next = new Map<string, { src: Edge; selected: boolean; out: FlowEdge }>();
    const out: FlowEdge[] = [];
    for (const e of g.edges) {
      const selected = selection.has(e.id);
      const prev = this.#edges.get(e.id);
      let flow: FlowEdge;
      if (prev && prev.src === e && prev.selected === selected) flow = prev.out;
      else {
        const from = byId.get(e.from.node);
        const type = from ? types.ports(from)?.outputs[e.from.port]?.type : undefined;
        flow = {
          id: e.id,
          source: e.from.node,
          sourceHandle: e.from.port,
          target: e.to.node,
          targetHandle: e.to.port,
          selected,
          style: { stroke: portColor(type ?? 'any') },
        };
      }
      next.set(e.id, { src: e, selected, out: flow });
      out.push(flow);
    }
    this.#edges = next;
    return out;
  }
}

const COLORS: Record<string, string> = {
  text: '#8bc34a',
  int: '#4fc3f7',
  float: '#29b6f6',
  bool: '#ba68c8',
  enum: '#9575cd',
  seed: '#4dd0e1',
  image: '#ffb74d',
  video: '#ff8a65',
  audio: '#f06292',
  dataset: '#a1887f',
  lora: '#e57373',
  lora_stack: '#ef5350',
  identity: '#ffd54f',
  scenes: '#7986cb',
  json: '#90a4ae',
  report: '#b0bec5',
  any: '#cfd8dc',
};

/** Lists share their item's colour; the handle shape tells them apart. */
export function portColor(type: string): string {
  const item = type.replace(/^(list<)+/, '').replace(/>+$/, '');
  return COLORS[item] ?? COLORS.any!;
}
