/**
 * The node on the canvas: header, typed handles coloured by port type, inline widgets for
 * unwired primitive inputs, and its run state. A node whose type the server does not know is a
 * placeholder that keeps its values and wires, so a graph from elsewhere loads anyway.
 */
import { memo } from 'react';
import { Handle, Position, useStore, type NodeProps, type Node, type ReactFlowState } from '@xyflow/react';
import type { InputSpec, OutputSpec } from '../../../runtime/graph/node-definition.ts';
import { useServices } from '../app/context.ts';
import { setCollapsed } from '../model/ops.ts';
import { InputWidget, hasWidget } from './widgets.tsx';
import { NodeRunView } from './NodeRunView.tsx';
import { portColor, type GraphNodeData } from './to-flow.ts';

/**
 * Level of detail: zoomed out this far, widgets are unreadable yet they are most of a node's DOM
 * (form controls are costly to style and paint), so nodes draw their ports without widgets or
 * previews. The selector is a boolean, so nodes re-render only when the zoom crosses the line.
 */
export const DETAIL_ZOOM = 0.5;
const zoomedOut = (s: ReactFlowState) => s.transform[2] < DETAIL_ZOOM;

export const GraphNodeView = memo(function GraphNodeView({ data, selected }: NodeProps<Node<GraphNodeData, 'graph'>>) {
  const { editor } = useServices();
  const compact = useStore(zoomedOut);
  const { node, wired, outs } = data;
  const info = editor.types.get(node.type);
  const ports = editor.types.ports(node);
  const wiredSet = new Set(wired ? wired.split(',') : []);
  const mode = node.mode ?? 'active';
  const collapsed = node.collapsed === true;
  return (
    <div className={`graph-node mode-${mode}${selected ? ' selected' : ''}${info ? '' : ' placeholder'}${collapsed ? ' collapsed' : ''}`} data-node-id={node.id} data-type={node.type}>
      <header title={info?.description ?? 'unknown node type'}>
        <button type="button" className="collapse nodrag" aria-label={`${collapsed ? 'expand' : 'collapse'} ${node.id}`} aria-expanded={!collapsed}
          onClick={() => editor.edit((g) => setCollapsed(g, new Set([node.id]), !collapsed))}>{collapsed ? '▸' : '▾'}</button>
        <span className="title">{node.label ?? info?.title ?? node.type}</span>
        <span className="node-id">{node.id}</span>
        {mode !== 'active' && <span className="mode-badge">{mode}</span>}
        {node.graph && <span className="mode-badge" title="double-click the header to open">{info?.control ?? 'body'}</span>}
      </header>
      {ports ? (
        <>
          {Object.entries(ports.outputs).map(([name, spec]) => <OutputRow key={name} name={name} spec={spec} />)}
          {Object.entries(ports.inputs).map(([name, spec]) => (
            <InputRow key={name} nodeId={node.id} name={name} spec={spec} value={node.inputs[name]} wired={wiredSet.has(name) || compact} />
          ))}
        </>
      ) : (
        <Placeholder type={node.type} inputs={node.inputs} wired={wiredSet} outs={outs ? outs.split(',') : []} />
      )}
      <NodeRunView nodeId={node.id} compact={compact} />
    </div>
  );
});

function InputRow({ nodeId, name, spec, value, wired }: { nodeId: string; name: string; spec: InputSpec; value: unknown; wired: boolean }) {
  const list = spec.type.startsWith('list<');
  return (
    <div className="port-row input" data-port={name}>
      <Handle type="target" position={Position.Left} id={name} className={list ? 'handle list' : 'handle'}
        style={{ background: portColor(spec.type) }} title={`${name}: ${spec.type}${spec.multi ? ' (takes many wires)' : ''}`} />
      <span className="port-name" title={spec.description}>{name}{spec.optional ? '' : ''}</span>
      {!wired && hasWidget(spec) ? <InputWidget nodeId={nodeId} name={name} spec={spec} value={value} /> : <span className="port-type">{spec.type}</span>}
    </div>
  );
}

function OutputRow({ name, spec }: { name: string; spec: OutputSpec }) {
  return (
    <div className="port-row output" data-port={name}>
      <span className="port-type">{spec.type}</span>
      <span className="port-name" title={spec.description}>{name}</span>
      <Handle type="source" position={Position.Right} id={name} className={spec.type.startsWith('list<') ? 'handle list' : 'handle'}
        style={{ background: portColor(spec.type) }} title={`${name}: ${spec.type}`} />
    </div>
  );
}

/** Unknown type: show what is stored and keep every wire attached to a handle of its name. */
function Placeholder({ type, inputs, wired, outs }: { type: string; inputs: Record<string, unknown>; wired: ReadonlySet<string>; outs: string[] }) {
  const names = [...new Set([...Object.keys(inputs), ...wired])];
  return (
    <div className="placeholder-body">
      <p>Unknown node type <code>{type}</code>. Its values are kept and saved.</p>
      {names.map((name) => (
        <div className="port-row input" key={name} data-port={name}>
          <Handle type="target" position={Position.Left} id={name} className="handle" />
          <span className="port-name">{name}</span>
          <code className="port-type">{inputs[name] === undefined ? 'wired' : JSON.stringify(inputs[name]).slice(0, 40)}</code>
        </div>
      ))}
      {outs.map((name) => (
        <div className="port-row output" key={name} data-port={name}>
          <span className="port-name">{name}</span>
          <Handle type="source" position={Position.Right} id={name} className="handle" />
        </div>
      ))}
    </div>
  );
}
