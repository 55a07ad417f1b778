/**
 * The add-node palette (double-click the canvas, or Space). Fuzzy over title, type id, category
 * and port types; after a wire was dropped on the canvas it lists only node types that can take
 * the wire, and the chosen node is connected through its first compatible port.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import { useServices } from '../app/context.ts';
import type { SearchRequest } from '../canvas/Canvas.tsx';
import { portColor } from '../canvas/to-flow.ts';
import { addNode, connect } from '../model/ops.ts';
import { searchNodeTypes } from '../model/search.ts';

export function AddNodeSearch({ request, onClose }: { request: SearchRequest; onClose: (added?: string) => void }) {
  const { editor } = useServices();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const hits = useMemo(() => searchNodeTypes(editor.types.list, query, request.wire).slice(0, 40), [editor, query, request.wire]);

  const choose = (index: number) => {
    const hit = hits[index];
    if (!hit) return;
    let id = '';
    editor.edit((g) => {
      id = addNode(g, hit.info, request.position);
      const wire = request.wire;
      if (wire && hit.port) {
        const multi = wire.side === 'input' && hit.info.inputs[hit.port]?.multi === true;
        if (wire.side === 'input') connect(g, { node: wire.node, port: wire.port }, { node: id, port: hit.port }, multi);
        else connect(g, { node: id, port: hit.port }, { node: wire.node, port: wire.port }, editor.types.ports(g.nodes.find((n) => n.id === wire.node)!)?.inputs[wire.port]?.multi === true);
      }
    });
    editor.select([id]);
    onClose(id);
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, hits.length - 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
    else if (e.key === 'Enter') choose(active);
    else if (e.key === 'Escape') onClose();
    else return;
    e.preventDefault();
  };

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="search-box" role="dialog" aria-label="Add node" style={{ left: Math.min(request.screen.x, innerWidth - 380), top: Math.min(request.screen.y, innerHeight - 420) }}>
        {request.wire && (
          <div className="search-filter">
            nodes with {request.wire.side === 'input' ? 'an input' : 'an output'} for <code style={{ color: portColor(request.wire.type) }}>{request.wire.type}</code>
          </div>
        )}
        <input autoFocus aria-label="Search node types" placeholder="Search nodes: name, category or port type…" value={query}
          onChange={(e) => { setQuery(e.target.value); setActive(0); }} onKeyDown={onKey} />
        <ul role="listbox">
          {hits.map((hit, i) => (
            <li key={hit.info.type} role="option" aria-selected={i === active} className={i === active ? 'active' : ''}
              onMouseEnter={() => setActive(i)} onMouseDown={(e) => { e.preventDefault(); choose(i); }} data-type={hit.info.type}>
              <span className="hit-title">{hit.info.title}</span>
              <span className="hit-type">{hit.info.type}</span>
              <span className="hit-category">{hit.info.category}</span>
              {hit.port && <span className="hit-port">→ {hit.port}</span>}
            </li>
          ))}
          {hits.length === 0 && <li className="empty">No node type matches.</li>}
        </ul>
      </div>
    </div>
  );
}
