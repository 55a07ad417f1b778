/**
 * Keyboard-only wiring: with a node selected, `C` lists every wire the graph model would accept
 * between that node and the others (both directions), filtered as you type; Enter connects.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import { useServices } from '../app/context.ts';
import { portColor } from '../canvas/to-flow.ts';
import { checkConnection } from '../model/connection.ts';
import { connect } from '../model/ops.ts';
import { fuzzyScore } from '../model/search.ts';

interface Candidate {
  from: { node: string; port: string };
  to: { node: string; port: string };
  type: string;
  multi: boolean;
  text: string;
}

export function ConnectPalette({ nodeId, onClose }: { nodeId: string; onClose: () => void }) {
  const { editor } = useServices();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const candidates = useMemo(() => {
    const g = editor.graph;
    const self = g.nodes.find((n) => n.id === nodeId);
    const selfPorts = self && editor.types.ports(self);
    const out: Candidate[] = [];
    if (!self || !selfPorts) return out;
    for (const other of g.nodes) {
      if (other.id === nodeId) continue;
      const ports = editor.types.ports(other);
      if (!ports) continue;
      const tryWire = (from: { node: string; port: string }, to: { node: string; port: string }, type: string) => {
        const check = checkConnection(g, editor.types, from, to);
        if (check.ok) out.push({ from, to, type, multi: check.multi, text: `${from.node}.${from.port} → ${to.node}.${to.port}` });
      };
      for (const [o, spec] of Object.entries(selfPorts.outputs)) for (const i of Object.keys(ports.inputs)) tryWire({ node: nodeId, port: o }, { node: other.id, port: i }, spec.type);
      for (const [o, spec] of Object.entries(ports.outputs)) for (const i of Object.keys(selfPorts.inputs)) tryWire({ node: other.id, port: o }, { node: nodeId, port: i }, spec.type);
    }
    return out;
  }, [editor, nodeId]);
  const shown = useMemo(() => {
    const words = query.trim().split(/\s+/).filter(Boolean);
    return candidates
      .map((c) => ({ c, score: words.reduce((s, w) => s + fuzzyScore(w, `${c.text} ${c.type}`), 0) }))
      .filter((x) => words.length === 0 || x.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, 50)
      .map((x) => x.c);
  }, [candidates, query]);

  const choose = (c: Candidate | undefined) => {
    if (!c) return;
    editor.edit((g) => { connect(g, c.from, c.to, c.multi); });
    onClose();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, shown.length - 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
    else if (e.key === 'Enter') choose(shown[active]);
    else if (e.key === 'Escape') onClose();
    else return;
    e.preventDefault();
  };

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="search-box" role="dialog" aria-label="Connect ports" style={{ left: innerWidth / 2 - 185, top: innerHeight / 4 }}>
        <div className="search-filter">Wires the graph accepts to or from <code>{nodeId}</code></div>
        <input autoFocus aria-label="Filter connections" placeholder="Type a node, port or type…" value={query}
          onChange={(e) => { setQuery(e.target.value); setActive(0); }} onKeyDown={onKey} />
        <ul role="listbox">
          {shown.map((c, i) => (
            <li key={c.text} role="option" aria-selected={i === active} className={i === active ? 'active' : ''}
              onMouseEnter={() => setActive(i)} onMouseDown={(e) => { e.preventDefault(); choose(c); }}>
              <span className="hit-title">{c.text}</span>
              <span className="hit-type" style={{ color: portColor(c.type) }}>{c.type}</span>
            </li>
          ))}
          {shown.length === 0 && <li className="empty">No compatible port.</li>}
        </ul>
      </div>
    </div>
  );
}
