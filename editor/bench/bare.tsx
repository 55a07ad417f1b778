/**
 * The benchmark's baseline: a bare @xyflow/react page (default nodes, the documented controlled
 * pattern with applyNodeChanges) showing the same graph as the editor. Built only by the benchmark.
 */
import { useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ReactFlow, applyNodeChanges, type Edge, type Node, type NodeChange } from '@xyflow/react';
import '@xyflow/react/dist/style.css';

interface BenchGraph {
  nodes: { id: string; type: string; position: { x: number; y: number } }[];
  edges: { id: string; from: { node: string; port: string }; to: { node: string; port: string } }[];
}

const graph = (globalThis as unknown as { __benchGraph: BenchGraph }).__benchGraph;
const initialNodes: Node[] = graph.nodes.map((n) => ({ id: n.id, position: n.position, data: { label: `${n.type} ${n.id}` } }));
const edges: Edge[] = graph.edges.map((e) => ({ id: e.id, source: e.from.node, target: e.to.node }));

function Bare() {
  const [nodes, setNodes] = useState(initialNodes);
  const onNodesChange = useCallback((changes: NodeChange[]) => setNodes((ns) => applyNodeChanges(changes, ns)), []);
  return <ReactFlow nodes={nodes} edges={edges} onNodesChange={onNodesChange} fitView minZoom={0.05} />;
}

createRoot(document.getElementById('root')!).render(<Bare />);
