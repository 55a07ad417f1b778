/**
 * Keyboard shortcuts: one table drives both the key handler and the shortcut sheet (`?`).
 * Keys typed into a field stay with the field, except Ctrl+Enter (run) and Escape.
 */
import type { Commands } from './commands.ts';

export interface Shortcut {
  keys: string;
  label: string;
  /** Matches a key event; `mod` is Ctrl or Cmd. */
  match: (e: KeyboardEvent, mod: boolean) => boolean;
  run: (c: Commands, ui: UiActions) => unknown;
  /** Also fires while focus is in a text field. */
  inFields?: boolean;
}

export interface UiActions {
  openSearch: () => void;
  openConnect: () => void;
  toggleSheet: () => void;
  save: () => void;
  toggleSnap: () => void;
}

const key = (k: string) => (e: KeyboardEvent) => e.key.toLowerCase() === k;

export const SHORTCUTS: Shortcut[] = [
  { keys: 'Space / double-click', label: 'Add a node (search)', match: (e, m) => e.key === ' ' && !m, run: (_c, ui) => ui.openSearch() },
  { keys: 'Ctrl+Enter', label: 'Run the graph', match: (e, m) => m && !e.shiftKey && !e.altKey && e.key === 'Enter', run: (c) => c.run(), inFields: true },
  { keys: 'Ctrl+Shift+Enter', label: 'Run up to the selected node', match: (e, m) => m && e.shiftKey && e.key === 'Enter', run: (c) => c.runToSelected(), inFields: true },
  { keys: 'Ctrl+Alt+Enter', label: 'Cancel the run', match: (e, m) => m && e.altKey && e.key === 'Enter', run: (c) => c.cancel(), inFields: true },
  { keys: 'Ctrl+Z', label: 'Undo', match: (e, m) => m && !e.shiftKey && key('z')(e), run: (c) => c.undo() },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', label: 'Redo', match: (e, m) => m && ((e.shiftKey && key('z')(e)) || key('y')(e)), run: (c) => c.redo() },
  { keys: 'Ctrl+C', label: 'Copy selection as graph JSON', match: (e, m) => m && key('c')(e), run: (c) => c.copy() },
  { keys: 'Ctrl+V', label: 'Paste (new ids)', match: (e, m) => m && !e.shiftKey && key('v')(e), run: (c) => c.paste() },
  { keys: 'Ctrl+Shift+V', label: 'Paste keeping incoming wires', match: (e, m) => m && e.shiftKey && key('v')(e), run: (c) => c.pasteWithLinks() },
  { keys: 'Ctrl+D', label: 'Duplicate with incoming wires', match: (e, m) => m && key('d')(e), run: (c) => c.duplicate() },
  { keys: 'Ctrl+A', label: 'Select all', match: (e, m) => m && key('a')(e), run: (c) => c.selectAll() },
  { keys: 'Delete / Backspace', label: 'Delete selection', match: () => false, run: (c) => c.deleteSelection() },
  { keys: 'Ctrl+B', label: 'Bypass selected nodes', match: (e, m) => m && key('b')(e), run: (c) => c.bypass() },
  { keys: 'Ctrl+M', label: 'Mute selected nodes', match: (e, m) => m && key('m')(e), run: (c) => c.mute() },
  { keys: 'Alt+C', label: 'Collapse / expand selected nodes', match: (e, m) => !m && e.altKey && e.code === 'KeyC', run: (c) => c.collapse() },
  { keys: 'Ctrl+G', label: 'Group selected nodes', match: (e, m) => m && key('g')(e), run: (c) => c.group() },
  { keys: 'C', label: 'Connect the selected node from the keyboard', match: (e, m) => !m && !e.altKey && key('c')(e), run: (_c, ui) => ui.openConnect() },
  { keys: 'Ctrl+Shift+E', label: 'Make a subgraph from the selection', match: (e, m) => m && e.shiftKey && key('e')(e), run: (c) => c.makeSubgraph() },
  { keys: 'N', label: 'Add a note', match: (e, m) => !m && key('n')(e), run: (c) => c.addNote() },
  { keys: 'L', label: 'Auto-layout (selection or all)', match: (e, m) => !m && key('l')(e), run: (c) => c.autoLayout() },
  { keys: 'F', label: 'Fit view', match: (e, m) => !m && key('f')(e), run: (c) => c.fitView() },
  { keys: 'G', label: 'Toggle snap to grid', match: (e, m) => !m && key('g')(e), run: (_c, ui) => ui.toggleSnap() },
  { keys: 'Enter', label: 'Open the selected subgraph', match: (e, m) => !m && e.key === 'Enter', run: (c) => c.openSelectedSubgraph() },
  { keys: 'Alt+↑', label: 'Back to the parent graph', match: (e) => e.altKey && e.key === 'ArrowUp', run: (c) => c.up() },
  { keys: 'Ctrl+S', label: 'Save to the library', match: (e, m) => m && key('s')(e), run: (_c, ui) => ui.save(), inFields: true },
  { keys: '?', label: 'Show this sheet', match: (e) => e.key === '?', run: (_c, ui) => ui.toggleSheet() },
];

export function handleShortcut(e: KeyboardEvent, commands: Commands, ui: UiActions): boolean {
  const target = e.target as HTMLElement | null;
  const inField = !!target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
  const mod = e.ctrlKey || e.metaKey;
  for (const s of SHORTCUTS) {
    if ((inField && !s.inFields) || !s.match(e, mod)) continue;
    e.preventDefault();
    void s.run(commands, ui);
    return true;
  }
  return false;
}
