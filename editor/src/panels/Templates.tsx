/** The template gallery: graphs shipped in `graphs/`, each with a schematic thumbnail; one click starts a copy. */
import { useEffect, useState } from 'react';
import type { GraphDocument } from '../../../runtime/graph/document.ts';
import type { TemplateSummary } from '../api/api.ts';
import { useServices } from '../app/context.ts';

export function Templates({ notify }: { notify: (m: string, kind?: 'info' | 'error') => void }) {
  const { editor, api } = useServices();
  const [templates, setTemplates] = useState<{ summary: TemplateSummary; doc?: GraphDocument }[]>();
  useEffect(() => {
    void (async () => {
      const list = await api.client.templates().catch(() => []);
      const docs = await Promise.all(list.map((t) => api.client.template(t.id).catch(() => undefined)));
      setTemplates(list.map((summary, i) => ({ summary, doc: docs[i] })));
    })();
  }, [api]);
  if (!templates) return <p className="muted">Loading templates…</p>;
  if (templates.length === 0) return <p className="muted">No templates on the server (graphs/ is empty).</p>;
  return (
    <ul className="templates">
      {templates.map(({ summary, doc }) => (
        <li key={summary.id}>
          <button type="button" className="template-card" aria-label={`template ${summary.name}`} disabled={!doc}
            onClick={() => {
              if (!doc) return;
              editor.load({ ...structuredClone(doc), id: `${summary.id}-${Date.now().toString(36)}` });
              notify(`started from template ${summary.name}`);
            }}>
            {doc && <Thumbnail doc={doc} />}
            <b>{summary.name}</b>
            <small>{summary.description}</small>
            <small>{summary.nodeCount} nodes {summary.tags.map((t) => <span key={t} className="tag">{t}</span>)}</small>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Boxes and wires at their saved positions, scaled into a small SVG. */
function Thumbnail({ doc }: { doc: GraphDocument }) {
  if (doc.nodes.length === 0) return null;
  const xs = doc.nodes.map((n) => n.position.x);
  const ys = doc.nodes.map((n) => n.position.y);
  const minX = Math.min(...xs), minY = Math.min(...ys);
  const w = Math.max(...xs) - minX + 240, h = Math.max(...ys) - minY + 160;
  const at = new Map(doc.nodes.map((n) => [n.id, n.position]));
  return (
    <svg className="thumb" viewBox={`${minX - 20} ${minY - 20} ${w + 40} ${h + 40}`} width={200} height={110} aria-hidden>
      {doc.edges.map((e) => {
        const a = at.get(e.from.node), b = at.get(e.to.node);
        return a && b ? <line key={e.id} x1={a.x + 220} y1={a.y + 40} x2={b.x} y2={b.y + 40} stroke="#90a4ae" strokeWidth={8} /> : null;
      })}
      {doc.nodes.map((n) => <rect key={n.id} x={n.position.x} y={n.position.y} width={220} height={120} rx={12} fill="#37474f" stroke="#78909c" strokeWidth={6} />)}
    </svg>
  );
}
