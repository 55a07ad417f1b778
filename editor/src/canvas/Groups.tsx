/**
 * Groups drawn as titled frames behind their nodes, inside the viewport so they pan and zoom with
 * the graph. The frame is the members' bounding box, from positions and measured sizes.
 */
import { memo } from 'react';
import { ViewportPortal } from '@xyflow/react';
import type { Graph } from '../model/ops.ts';

const PAD = 24;

export const Groups = memo(function Groups({ graph, measured }: { graph: Graph; measured: ReadonlyMap<string, { width: number; height: number }> }) {
  if (graph.groups.length === 0) return null;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return (
    <ViewportPortal>
      {graph.groups.map((group) => {
        let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
        for (const id of group.nodes) {
          const node = byId.get(id);
          if (!node) continue;
          const size = measured.get(id) ?? { width: 220, height: 120 };
          x0 = Math.min(x0, node.position.x);
          y0 = Math.min(y0, node.position.y);
          x1 = Math.max(x1, node.position.x + size.width);
          y1 = Math.max(y1, node.position.y + size.height);
        }
        if (!Number.isFinite(x0)) return null;
        return (
          <div key={group.id} className="group-frame" data-group-id={group.id}
            style={{ transform: `translate(${x0 - PAD}px, ${y0 - PAD - 22}px)`, width: x1 - x0 + 2 * PAD, height: y1 - y0 + 2 * PAD + 22, borderColor: group.color ?? undefined }}>
            <span className="group-title">{group.title}</span>
          </div>
        );
      })}
    </ViewportPortal>
  );
});
