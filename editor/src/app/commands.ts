/**
 * Every editor action as a named command, so buttons, menus and keyboard shortcuts share one
 * path (and keyboard edits are undoable exactly like mouse edits).
 */
import type { ReactFlowInstance } from '@xyflow/react';
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument } from '../../../runtime/graph/document.ts';
import { copySelection, parseFragment, pasteFragment } from '../model/clipboard.ts';
import { layeredLayout } from '../model/layout.ts';
import { makeSubgraph, SUBGRAPH_TYPE } from '../model/subgraph.ts';
import { freePosition, freshId, moveNodes, removeEdges, removeNodes, setCollapsed, setMode } from '../model/ops.ts';
import type { Editor } from './editor.ts';
import type { Runner } from './runner.ts';

export interface CommandContext {
  editor: Editor;
  runner: Runner;
  flow: () => ReactFlowInstance | undefined;
  notify: (message: string, kind?: 'info' | 'error') => void;
}

/** Falls back to a tab-local clipboard where the system clipboard is not permitted. */
let localClipboard = '';

export function createCommands(ctx: CommandContext) {
  const { editor, runner, notify } = ctx;
  const selected = () => new Set(editor.getView().selection);
  const selectedNodes = () => editor.graph.nodes.filter((n) => editor.getView().selection.has(n.id)).map((n) => n.id);

  const paste = async (keepIncoming: boolean, text?: string) => {
    let source = text;
    if (source === undefined) {
      try {
        source = await navigator.clipboard.readText();
      } catch {
        source = localClipboard;
      }
    }
    let fragment: GraphDocument;
    try {
      fragment = parseFragment(source);
    } catch (err) {
      notify((err as Error).message, 'error');
      return;
    }
    let ids: string[] = [];
    editor.edit((g) => { ids = pasteFragment(g, fragment, { x: 40, y: 40 }, keepIncoming); });
    editor.select(ids);
  };

  const copy = async () => {
    const ids = selected();
    if (ids.size === 0) return;
    const text = JSON.stringify(copySelection(editor.graph, ids), null, 2);
    localClipboard = text;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      /* the tab-local copy above still serves paste in this tab */
    }
    notify(`copied ${ids.size} item${ids.size === 1 ? '' : 's'} as graph JSON`);
  };

  return {
    undo: () => editor.history.undo(),
    redo: () => editor.history.redo(),
    copy,
    paste: () => paste(false),
    pasteWithLinks: () => paste(true),
    pasteText: (text: string) => paste(false, text),
    duplicate: () => {
      const ids = selected();
      if (ids.size === 0) return;
      let added: string[] = [];
      editor.edit((g) => { added = pasteFragment(g, copySelection(editor.graph, ids), { x: 40, y: 40 }, true); });
      editor.select(added);
    },
    deleteSelection: () => {
      const ids = selected();
      editor.edit((g) => {
        removeNodes(g, ids);
        removeEdges(g, ids);
      });
      editor.select([]);
    },
    selectAll: () => editor.select([...editor.graph.nodes.map((n) => n.id), ...editor.graph.notes.map((n) => n.id)]),
    bypass: () => editor.edit((g) => setMode(g, selected(), 'bypass')),
    collapse: () => {
      const ids = selected();
      const anyOpen = editor.graph.nodes.some((n) => ids.has(n.id) && n.collapsed !== true);
      editor.edit((g) => setCollapsed(g, ids, anyOpen));
    },
    mute: () => editor.edit((g) => setMode(g, selected(), 'mute')),
    group: () => {
      const ids = selectedNodes();
      if (ids.length === 0) return;
      editor.edit((g) => { g.groups.push({ id: freshId('group', new Set(g.groups.map((x) => x.id))), title: `Group of ${ids.length}`, nodes: ids }); });
      notify(`grouped ${ids.length} nodes`);
    },
    makeSubgraph: () => {
      const ids = new Set(selectedNodes());
      const type = editor.types.get(SUBGRAPH_TYPE);
      if (ids.size === 0 || !type) return notify(type ? 'select the nodes to put in a subgraph' : 'the server has no flow.subgraph node type', 'error');
      let id: string | undefined;
      editor.edit((g) => { id = makeSubgraph(g, ids, type.version); });
      if (id) editor.select([id]);
    },
    addNote: () => {
      const flow = ctx.flow();
      const center = flow ? flow.screenToFlowPosition({ x: innerWidth / 2, y: innerHeight / 2 }) : { x: 0, y: 0 };
      let id = '';
      editor.edit((g) => {
        id = freshId('note', new Set([...g.notes.map((n) => n.id), ...g.nodes.map((n) => n.id)]));
        g.notes.push({ id, text: '', position: freePosition(g, center) });
      });
      editor.select([id]);
    },
    autoLayout: () => {
      const only = selectedNodes();
      const positions = layeredLayout(editor.graph, only.length > 1 ? { only: new Set(only) } : {});
      editor.edit((g) => moveNodes(g, positions));
      requestAnimationFrame(() => ctx.flow()?.fitView({ duration: 200 }));
    },
    fitView: () => ctx.flow()?.fitView({ duration: 200 }),
    run: () => runner.start().catch((err: Error) => notify(`run refused: ${err.message}`, 'error')),
    runToSelected: () => {
      const ids = selectedNodes();
      if (ids.length === 0) return notify('select the node to run up to', 'error');
      if (editor.getView().path.length) return notify('open the top-level graph to run up to a node', 'error');
      return runner.start(ids).catch((err: Error) => notify(`run refused: ${err.message}`, 'error'));
    },
    cancel: () => runner.cancel().catch((err: Error) => notify(`cancel failed: ${err.message}`, 'error')),
    openSelectedSubgraph: () => {
      const node = editor.graph.nodes.find((n) => n.graph && editor.getView().selection.has(n.id));
      if (node) editor.setView({ path: [...editor.getView().path, node.id], selection: new Set() });
    },
    up: () => {
      const path = editor.getView().path;
      if (path.length) editor.setView({ path: path.slice(0, -1), selection: new Set([path.at(-1)!]) });
    },
    newGraph: () => editor.load(emptyGraph()),
  };
}

export type Commands = ReturnType<typeof createCommands>;

export function emptyGraph(): GraphDocument {
  const id = `draft-${Date.now().toString(36)}`;
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, id, name: 'Untitled graph', nodes: [], edges: [], inputs: [], outputs: [], groups: [], notes: [], meta: {} };
}
