/**
 * The graph document, v1: the JSON users save, share and run. Every object is "loose" so fields
 * this version does not know (written by a newer editor or a plugin) survive a load/save round trip.
 */
import { z } from 'zod';

export const GRAPH_FORMAT = 'castgraph.graph';
export const GRAPH_VERSION = 1;

/** Node ids become parts of node paths (`refine/3/score`), so they cannot hold `/`. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const nodeId = z.string().regex(NODE_ID_PATTERN, 'a node id: 1-64 letters, digits, `_`, `-` or `.`, not starting with `.` or `-`');
/** Port names are also graph output names and `--out` file names, so every place that checks one uses this. */
export const PORT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const portName = z.string().regex(PORT_NAME_PATTERN, 'a port name: letters, digits and `_`');

export const PortRef = z.looseObject({ node: nodeId, port: portName });

export const Edge = z.looseObject({
  id: z.string().min(1).max(128),
  from: PortRef,
  to: PortRef,
});

export const NodeMode = z.enum(['active', 'bypass', 'mute']);

export const RetryPolicy = z.looseObject({
  attempts: z.int().min(1).max(20),
  backoffMs: z.number().min(0).max(600_000).optional(),
});

export const Position = z.looseObject({ x: z.number(), y: z.number() });

/** A graph's exposed input: a headless run sets `name`, which becomes the value of `node.port`. */
export const GraphInput = z.looseObject({
  name: portName,
  node: nodeId,
  port: portName,
  description: z.string().optional(),
});

/** A graph's exposed output: what a headless run returns under `name`. */
export const GraphOutput = z.looseObject({
  name: portName,
  node: nodeId,
  port: portName,
  description: z.string().optional(),
});

export const Group = z.looseObject({
  id: z.string().min(1).max(128),
  title: z.string(),
  nodes: z.array(nodeId),
  color: z.string().optional(),
});

export const Note = z.looseObject({
  id: z.string().min(1).max(128),
  text: z.string(),
  position: Position,
});

export interface GraphNodeT {
  id: string;
  type: string;
  typeVersion: number;
  inputs: Record<string, unknown>;
  position: { x: number; y: number; [k: string]: unknown };
  label?: string;
  mode?: 'active' | 'bypass' | 'mute';
  /** Input names this node maps over: it runs once per item (zipped when several). */
  map?: string[];
  retry?: { attempts: number; backoffMs?: number; [k: string]: unknown };
  /** The body of a `flow.subgraph` or `flow.loop` node. */
  graph?: GraphDocumentT;
  [k: string]: unknown;
}

export interface GraphDocumentT {
  format: typeof GRAPH_FORMAT;
  version: number;
  id: string;
  name: string;
  description?: string;
  nodes: GraphNodeT[];
  edges: z.infer<typeof Edge>[];
  inputs: z.infer<typeof GraphInput>[];
  outputs: z.infer<typeof GraphOutput>[];
  groups: z.infer<typeof Group>[];
  notes: z.infer<typeof Note>[];
  meta: Record<string, unknown>;
  [k: string]: unknown;
}

export const GraphNode: z.ZodType<GraphNodeT> = z.looseObject({
  id: nodeId,
  type: z.string().regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'a node type id `family.name` (lower case)'),
  typeVersion: z.int().min(1),
  inputs: z.record(z.string(), z.unknown()).default({}),
  position: Position.default({ x: 0, y: 0 }),
  label: z.string().max(200).optional(),
  mode: NodeMode.optional(),
  map: z.array(portName).min(1).optional(),
  retry: RetryPolicy.optional(),
  get graph() {
    return GraphDocument.optional();
  },
}) as unknown as z.ZodType<GraphNodeT>;

export const GraphDocument: z.ZodType<GraphDocumentT> = z.looseObject({
  format: z.literal(GRAPH_FORMAT),
  version: z.literal(GRAPH_VERSION),
  id: z.string().min(1).max(128),
  name: z.string().max(200),
  description: z.string().max(20_000).optional(),
  get nodes() {
    return z.array(GraphNode);
  },
  edges: z.array(Edge).default([]),
  inputs: z.array(GraphInput).default([]),
  outputs: z.array(GraphOutput).default([]),
  groups: z.array(Group).default([]),
  notes: z.array(Note).default([]),
  meta: z.record(z.string(), z.unknown()).default({}),
}) as unknown as z.ZodType<GraphDocumentT>;

export type GraphDocument = GraphDocumentT;
export type GraphNode = GraphNodeT;
export type Edge = z.infer<typeof Edge>;
export type PortRef = z.infer<typeof PortRef>;
export type GraphInput = z.infer<typeof GraphInput>;
export type GraphOutput = z.infer<typeof GraphOutput>;

/** A zod issue path as the JSON path users read in errors: `nodes[3].inputs.threshold`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(document)';
}

export function emptyDocument(id: string, name: string): GraphDocument {
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, id, name, nodes: [], edges: [], inputs: [], outputs: [], groups: [], notes: [], meta: {} };
}
