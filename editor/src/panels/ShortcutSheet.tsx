/** The shortcut sheet (`?`), generated from the same table that handles the keys. */
import { SHORTCUTS } from '../app/shortcuts.ts';

export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  return (
    <div className="overlay" onMouseDown={onClose}>
      <div className="sheet" role="dialog" aria-label="Keyboard shortcuts" onMouseDown={(e) => e.stopPropagation()}>
        <h3>Keyboard shortcuts</h3>
        <table><tbody>
          {SHORTCUTS.map((s) => <tr key={s.keys}><td><kbd>{s.keys}</kbd></td><td>{s.label}</td></tr>)}
          <tr><td><kbd>Drag from a handle to empty canvas</kbd></td><td>Add a node that takes the wire</td></tr>
          <tr><td><kbd>Shift+drag</kbd></td><td>Box-select</td></tr>
        </tbody></table>
        <button type="button" onClick={onClose}>Close</button>
      </div>
    </div>
  );
}
