/**
 * The editor shell: toolbar, canvas, side panels and overlays, plus the wiring that keeps state
 * in step (validation worker on every edit, draft autosave, keyboard, file drops).
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type DragEvent } from 'react';
import { ReactFlowProvider, useReactFlow, type ReactFlowInstance } from '@xyflow/react';
import { Canvas, type SearchRequest } from '../canvas/Canvas.tsx';
import { AddNodeSearch } from '../panels/AddNodeSearch.tsx';
import { ConnectPalette } from '../panels/ConnectPalette.tsx';
import { Inspector } from '../panels/Inspector.tsx';
import { LibraryPanel } from '../panels/LibraryPanel.tsx';
import { RunHistory } from '../panels/RunHistory.tsx';
import { ShortcutSheet } from '../panels/ShortcutSheet.tsx';
import { Templates } from '../panels/Templates.tsx';
import { ValidationClient } from '../worker/client.ts';
import { issuesByNode } from '../worker/validate.ts';
import { createCommands } from './commands.ts';
import { useServices } from './context.ts';
import { autosave, graphFromFile } from './persistence.ts';
import { Runner } from './runner.ts';
import { handleShortcut } from './shortcuts.ts';
import { Toolbar } from './Toolbar.tsx';

type Tab = 'inspector' | 'library' | 'templates' | 'runs';

const MINIMAP_MAX_NODES = 200;

export function App() {
  return (
    <ReactFlowProvider>
      <Shell />
    </ReactFlowProvider>
  );
}

function Shell() {
  const { editor, api } = useServices();
  const flow = useReactFlow();
  const flowRef = useRef<ReactFlowInstance | undefined>(undefined);
  flowRef.current = flow as unknown as ReactFlowInstance;
  const [toasts, setToasts] = useState<{ id: number; text: string; kind: 'info' | 'error' }[]>([]);
  const notify = useCallback((text: string, kind: 'info' | 'error' = 'info') => {
    const id = Math.random();
    setToasts((t) => [...t.slice(-3), { id, text, kind }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), kind === 'error' ? 8000 : 3000);
  }, []);
  const runner = useMemo(() => new Runner(editor, api), [editor, api]);
  const commands = useMemo(() => createCommands({ editor, runner, flow: () => flowRef.current, notify }), [editor, runner, notify]);
  const [search, setSearch] = useState<SearchRequest>();
  const [sheet, setSheet] = useState(false);
  const [connectFrom, setConnectFrom] = useState<string>();
  const [snap, setSnap] = useState(true);
  // The minimap redraws every node on every drag frame; on big graphs it is off until asked for.
  const [minimapChoice, setMinimap] = useState<boolean>();
  const bigGraph = useSyncExternalStore(editor.history.subscribe, () => editor.graph.nodes.length > MINIMAP_MAX_NODES);
  const minimap = minimapChoice ?? !bigGraph;
  const [tab, setTab] = useState<Tab>('inspector');
  const [saveRequest, setSaveRequest] = useState(0);

  useEffect(() => {
    const client = new ValidationClient(editor.types.list, (issues, doc) => {
      if (doc === editor.doc) editor.issues.replaceAll(issuesByNode(issues));
    });
    // Trailing debounce: a drag edits the document every frame, and validation need not follow each one.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const request = () => {
      clearTimeout(timer);
      timer = setTimeout(() => client.request(editor.doc), 150);
    };
    request();
    return editor.history.subscribe(request);
  }, [editor]);

  useEffect(() => autosave(editor), [editor]);

  useEffect(() => runner.onChange(() => setTab('runs')), [runner]);

  useEffect(() => {
    const ui = {
      openSearch: () => {
        const x = innerWidth / 2 - 180, y = innerHeight / 3;
        setSearch({ position: flow.screenToFlowPosition({ x: innerWidth / 2, y: innerHeight / 2 }), screen: { x, y } });
      },
      openConnect: () => {
        const id = editor.graph.nodes.find((n) => editor.getView().selection.has(n.id))?.id;
        if (id) setConnectFrom(id);
        else notify('select a node to connect', 'error');
      },
      toggleSheet: () => setSheet((s) => !s),
      save: () => { setTab('library'); setSaveRequest((n) => n + 1); },
      toggleSnap: () => setSnap((s) => !s),
    };
    // Capture phase: a handled shortcut must not also reach React Flow (Enter with Ctrl held
    // would toggle the focused node's selection before "run to node" reads it).
    const onKey = (e: KeyboardEvent) => {
      if (search || connectFrom || (sheet && e.key !== '?')) return;
      if (handleShortcut(e, commands, ui)) e.stopPropagation();
    };
    addEventListener('keydown', onKey, true);
    return () => removeEventListener('keydown', onKey, true);
  }, [commands, flow, search, sheet, connectFrom, editor, notify]);

  const onDrop = async (e: DragEvent) => {
    const file = e.dataTransfer.files[0];
    if (!file) return;
    e.preventDefault();
    try {
      editor.load(await graphFromFile(file));
      notify(`opened ${file.name}`);
      requestAnimationFrame(() => flow.fitView());
    } catch (err) {
      notify((err as Error).message, 'error');
    }
  };

  return (
    <div className="app" onDragOver={(e) => e.dataTransfer.types.includes('Files') && e.preventDefault()} onDrop={(e) => void onDrop(e)}>
      <Toolbar commands={commands} snap={snap} minimap={minimap} toggleSnap={() => setSnap((s) => !s)} toggleMinimap={() => setMinimap(!minimap)}
        showSheet={() => setSheet(true)} save={() => { setTab('library'); setSaveRequest((n) => n + 1); }} notify={notify} />
      <main>
        <Canvas snap={snap} minimap={minimap} onSearch={setSearch} />
        <aside className="side">
          <nav className="tabs" role="tablist">
            {(['inspector', 'library', 'templates', 'runs'] as Tab[]).map((t) => (
              <button type="button" role="tab" key={t} aria-selected={tab === t} className={tab === t ? 'active' : ''} onClick={() => setTab(t)}>{t}</button>
            ))}
          </nav>
          <div className="tab-body">
            {tab === 'inspector' && <Inspector />}
            {tab === 'library' && <LibraryPanel notify={notify} saveRequest={saveRequest} />}
            {tab === 'templates' && <Templates notify={notify} />}
            {tab === 'runs' && <RunHistory notify={notify} />}
          </div>
        </aside>
      </main>
      {search && <AddNodeSearch request={search} onClose={() => setSearch(undefined)} />}
      {sheet && <ShortcutSheet onClose={() => setSheet(false)} />}
      {connectFrom && <ConnectPalette nodeId={connectFrom} onClose={() => setConnectFrom(undefined)} />}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => <div key={t.id} className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>{t.text}</div>)}
      </div>
    </div>
  );
}
