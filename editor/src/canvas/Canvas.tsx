/**
 * The React Flow canvas over the graph being edited. React Flow is controlled: every change goes
 * through the document history (drags merge into one step) or the view (selection, never a step).
 * Node components are memoised and receive cached objects, so a drag re-renders the dragged nodes.
 */
import { useCallback, useMemo, useState, type MouseEvent as ReactMouseEvent } from 'react';
import {
  Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useReactFlow,
  type Connection, type Edge as FlowEdge, type EdgeChange, type FinalConnectionState, type NodeChange, type NodeTypes as FlowNodeTypes,
} from '@xyflow/react';
import { useDocument, useServices, useView } from '../app/context.ts';
import { checkConnection } from '../model/connection.ts';
import { connect, graphAt, moveNodes, removeEdges, removeNodes } from '../model/ops.ts';
import type { PendingWire } from '../model/search.ts';
import { ConnectionLine } from './ConnectionLine.tsx';
import { GraphNodeView } from './GraphNodeView.tsx';
import { Groups } from './Groups.tsx';
import { NoteNode } from './NoteNode.tsx';
import { FlowCache, type CanvasNode } from './to-flow.ts';

const nodeTypes: FlowNodeTypes = { graph: GraphNodeView, note: NoteNode };
const SNAP: [number, number] = [20, 20];
const PRO = { hideAttribution: true };
const FIT = { maxZoom: 1, padding: 0.15 };
const VIEWPORT = { x: 40, y: 40, zoom: 1 };

/** Where a new node goes, and (after a wire dropped on the canvas) what to connect it to. */
export interface SearchRequest {
  position: { x: number; y: number };
  screen: { x: number; y: number };
  wire?: PendingWire & { node: string; port: string };
}

interface Props {
  snap: boolean;
  minimap: boolean;
  onSearch: (req: SearchRequest) => void;
}

export function Canvas({ snap, minimap, onSearch }: Props) {
  const { editor } = useServices();
  const doc = useDocument();
  const view = useView();
  const flow = useReactFlow();
  const pathKey = view.path.join('/');
  const cache = useMemo(() => new FlowCache(), [pathKey]);
  const [measured, setMeasured] = useState<ReadonlyMap<string, { width: number; height: number }>>(new Map());
  const graph = graphAt(doc, view.path);
  // Fit once when a graph opens; later edits keep the user's viewport.
  const fitOnOpen = useMemo(() => graph.nodes.length > 0, [pathKey, doc.id]);
  const nodes = useMemo(() => cache.nodes(graph, view.selection, measured), [cache, graph, view.selection, measured]);
  // Moving nodes leaves `graph.edges` untouched (immer), so a drag hands React Flow the same edges array.
  const edgeList = graph.edges;
  const edges = useMemo(() => cache.edges(graph, editor.types, view.selection), [cache, edgeList, editor.types, view.selection]);

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    let moved: Map<string, { x: number; y: number }> | undefined;
    let dragEnded = false;
    let selection: Set<string> | undefined;
    let dims: Map<string, { width: number; height: number }> | undefined;
    for (const c of changes) {
      if (c.type === 'position') {
        if (c.position) (moved ??= new Map()).set(c.id, c.position);
        if (c.dragging === false) dragEnded = true;
      } else if (c.type === 'select') {
        selection ??= new Set(editor.getView().selection);
        if (c.selected) selection.add(c.id);
        else selection.delete(c.id);
      } else if (c.type === 'dimensions' && c.dimensions) {
        (dims ??= new Map()).set(c.id, c.dimensions);
      }
    }
    if (moved) editor.edit((g) => moveNodes(g, moved), { merge: 'drag' });
    if (dragEnded) editor.history.endBurst();
    if (selection) editor.select(selection);
    if (dims) setMeasured((prev) => new Map([...prev, ...dims]));
  }, [editor]);

  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => {
    let selection: Set<string> | undefined;
    for (const c of changes) {
      if (c.type !== 'select') continue;
      selection ??= new Set(editor.getView().selection);
      if (c.selected) selection.add(c.id);
      else selection.delete(c.id);
    }
    if (selection) editor.select(selection);
  }, [editor]);

  const onDelete = useCallback(({ nodes: n, edges: e }: { nodes: CanvasNode[]; edges: FlowEdge[] }) => {
    const nodeIds = new Set(n.map((x) => x.id));
    const edgeIds = new Set(e.map((x) => x.id));
    editor.edit((g) => {
      removeNodes(g, nodeIds);
      removeEdges(g, edgeIds);
    });
    editor.select([]);
  }, [editor]);

  const isValidConnection = useCallback((c: Connection | FlowEdge) =>
    checkConnection(editor.graph, editor.types, { node: c.source, port: c.sourceHandle ?? '' }, { node: c.target, port: c.targetHandle ?? '' }).ok, [editor]);

  const onConnect = useCallback((c: Connection) => {
    const from = { node: c.source, port: c.sourceHandle ?? '' };
    const to = { node: c.target, port: c.targetHandle ?? '' };
    const check = checkConnection(editor.graph, editor.types, from, to);
    if (check.ok) editor.edit((g) => { connect(g, from, to, check.multi); });
  }, [editor]);

  const onConnectEnd = useCallback((event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid || state.toNode || !state.fromHandle) return;
    const point = 'changedTouches' in event ? event.changedTouches[0]! : event;
    const from = state.fromHandle;
    const node = editor.graph.nodes.find((n) => n.id === from.nodeId);
    const ports = node && editor.types.ports(node);
    const side = from.type === 'source' ? 'input' : 'output';
    const type = from.type === 'source' ? ports?.outputs[from.id ?? '']?.type : ports?.inputs[from.id ?? '']?.type;
    if (!type) return;
    onSearch({
      position: flow.screenToFlowPosition({ x: point.clientX, y: point.clientY }),
      screen: { x: point.clientX, y: point.clientY },
      wire: { side, type, node: from.nodeId, port: from.id ?? '' },
    });
  }, [editor, flow, onSearch]);

  const onDoubleClick = useCallback((e: ReactMouseEvent) => {
    if (!(e.target as Element).classList.contains('react-flow__pane')) return;
    onSearch({ position: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }), screen: { x: e.clientX, y: e.clientY } });
  }, [flow, onSearch]);

  const onNodeDoubleClick = useCallback((_e: ReactMouseEvent, node: CanvasNode) => {
    const target = editor.graph.nodes.find((n) => n.id === node.id);
    if (target?.graph) editor.setView({ path: [...editor.getView().path, node.id], selection: new Set() });
  }, [editor]);

  const onNodeDragStop = useCallback(() => editor.history.endBurst(), [editor]);

  return (
    <div className="canvas" onDoubleClick={onDoubleClick}>
      <ReactFlow<CanvasNode, FlowEdge>
        key={pathKey}
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onDelete={onDelete}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        connectionLineComponent={ConnectionLine}
        onNodeDoubleClick={onNodeDoubleClick}
        onNodeDragStop={onNodeDragStop}
        deleteKeyCode={['Delete', 'Backspace']}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        zoomOnDoubleClick={false}
        snapToGrid={snap}
        snapGrid={SNAP}
        minZoom={0.1}
        fitView={fitOnOpen}
        fitViewOptions={FIT}
        defaultViewport={VIEWPORT}
        proOptions={PRO}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} />
        <Groups graph={graph} measured={measured} />
        <Controls />
        {minimap && <MiniMap pannable zoomable />}
      </ReactFlow>
    </div>
  );
}
