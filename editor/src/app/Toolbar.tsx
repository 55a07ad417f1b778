/** The top bar: run controls with the live run status, editing actions, files, and the subgraph breadcrumb. */
import { useRef, useSyncExternalStore } from 'react';
import { useDocument, useServices, useView } from './context.ts';
import type { Commands } from './commands.ts';
import { downloadText, graphFromFile } from './persistence.ts';

interface Props {
  commands: Commands;
  snap: boolean;
  minimap: boolean;
  toggleSnap: () => void;
  toggleMinimap: () => void;
  showSheet: () => void;
  save: () => void;
  notify: (m: string, kind?: 'info' | 'error') => void;
}

export function Toolbar({ commands, snap, minimap, toggleSnap, toggleMinimap, showSheet, save, notify }: Props) {
  const { editor } = useServices();
  const doc = useDocument();
  const view = useView();
  const run = useSyncExternalStore((l) => editor.run.summary.subscribe('current', l), () => editor.run.summary.get('current'));
  const file = useRef<HTMLInputElement>(null);
  const running = run?.status === 'running' || run?.status === 'queued';
  const crumbs: { id: string; label: string }[] = [];
  let g = doc;
  for (const id of view.path) {
    const node = g.nodes.find((n) => n.id === id);
    if (!node?.graph) break;
    crumbs.push({ id, label: node.label ?? node.id });
    g = node.graph;
  }
  return (
    <div className="toolbar-wrap">
      <div className="toolbar" role="toolbar">
        <strong className="doc-name" title={doc.id}>{doc.name}</strong>
        <button type="button" onClick={() => void commands.run()} title="Ctrl+Enter" disabled={running}>▶ Run</button>
        <button type="button" onClick={() => void commands.runToSelected()} title="Ctrl+Shift+Enter">Run to node</button>
        <button type="button" onClick={() => void commands.cancel()} title="Ctrl+Alt+Enter" disabled={!running}>■ Cancel</button>
        {run && <span className={`run-status status-${run.status}`} data-run-status={run.status}>{run.status}</span>}
        <span className="sep" />
        <button type="button" onClick={commands.undo} title="Ctrl+Z" disabled={!editor.history.canUndo}>Undo</button>
        <button type="button" onClick={commands.redo} title="Ctrl+Shift+Z" disabled={!editor.history.canRedo}>Redo</button>
        <button type="button" onClick={commands.autoLayout} title="L">Layout</button>
        <button type="button" onClick={commands.fitView} title="F">Fit</button>
        <label className="toggle"><input type="checkbox" checked={snap} onChange={toggleSnap} /> Snap</label>
        <label className="toggle"><input type="checkbox" checked={minimap} onChange={toggleMinimap} /> Minimap</label>
        <span className="sep" />
        <button type="button" onClick={commands.newGraph}>New</button>
        <button type="button" onClick={save} title="Ctrl+S">Save</button>
        <button type="button" onClick={() => file.current?.click()}>Import</button>
        <input ref={file} type="file" accept=".json,application/json,image/png,video/mp4" hidden aria-label="import graph file"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (!f) return;
            try {
              editor.load(await graphFromFile(f));
              notify(`opened ${f.name}`);
            } catch (err) {
              notify((err as Error).message, 'error');
            }
          }} />
        <button type="button" onClick={() => downloadText(`${doc.name.replace(/[^\w.-]+/g, '_') || 'graph'}.json`, JSON.stringify(doc, null, 2))}>Export</button>
        <button type="button" onClick={showSheet} title="?">Shortcuts</button>
      </div>
      {crumbs.length > 0 && (
        <nav className="breadcrumb" aria-label="subgraph path">
          <button type="button" className="link" onClick={() => editor.setView({ path: [], selection: new Set() })}>{doc.name}</button>
          {crumbs.map((c, i) => (
            <span key={c.id}> › <button type="button" className="link" onClick={() => editor.setView({ path: view.path.slice(0, i + 1), selection: new Set() })}>{c.label}</button></span>
          ))}
          <button type="button" onClick={commands.up} title="Alt+↑">Back</button>
        </nav>
      )}
    </div>
  );
}
