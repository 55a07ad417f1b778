/**
 * The wire being dragged. Over a handle that refuses it, the line turns red and shows the reason
 * from the connection check (`image` cannot feed `text`, cycle, ...), before the user lets go.
 */
import { getBezierPath, type ConnectionLineComponentProps } from '@xyflow/react';
import { useServices } from '../app/context.ts';
import { checkConnection } from '../model/connection.ts';
import { portColor } from './to-flow.ts';

export function ConnectionLine({ fromX, fromY, toX, toY, fromPosition, toPosition, fromHandle, toHandle, connectionStatus }: ConnectionLineComponentProps) {
  const { editor } = useServices();
  const [path] = getBezierPath({ sourceX: fromX, sourceY: fromY, sourcePosition: fromPosition, targetX: toX, targetY: toY, targetPosition: toPosition });
  let reason: string | undefined;
  if (toHandle && connectionStatus === 'invalid') {
    const a = { node: fromHandle.nodeId, port: fromHandle.id ?? '' };
    const b = { node: toHandle.nodeId, port: toHandle.id ?? '' };
    if (fromHandle.type === toHandle.type) reason = `cannot join two ${fromHandle.type === 'source' ? 'outputs' : 'inputs'}`;
    else {
      const check = fromHandle.type === 'source' ? checkConnection(editor.graph, editor.types, a, b) : checkConnection(editor.graph, editor.types, b, a);
      reason = check.ok ? undefined : check.reason;
    }
  }
  const fromNode = editor.graph.nodes.find((n) => n.id === fromHandle.nodeId);
  const ports = fromNode && editor.types.ports(fromNode);
  const type = fromHandle.type === 'source' ? ports?.outputs[fromHandle.id ?? '']?.type : ports?.inputs[fromHandle.id ?? '']?.type;
  return (
    <g className="connection-line">
      <path d={path} fill="none" strokeWidth={2} stroke={reason ? '#e53935' : portColor(type ?? 'any')} strokeDasharray={reason ? '6 4' : undefined} />
      {reason && (
        <foreignObject x={toX + 12} y={toY - 14} width={320} height={60} style={{ overflow: 'visible' }}>
          <div className="connection-refused" role="status">{reason}</div>
        </foreignObject>
      )}
    </g>
  );
}
