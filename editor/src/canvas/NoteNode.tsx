/** A sticky note on the canvas: free text saved in the document's `notes`, edited in place. */
import { memo, useEffect, useRef } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import { useServices } from '../app/context.ts';
import type { NoteData } from './to-flow.ts';

export const NoteNode = memo(function NoteNode({ id, data, selected }: NodeProps<Node<NoteData, 'note'>>) {
  const { editor } = useServices();
  const field = useRef<HTMLTextAreaElement>(null);
  // A new, empty note takes focus so typing fills it. React Flow keeps a node hidden until it is
  // measured, and hidden fields cannot take focus, so retry for a few frames.
  useEffect(() => {
    if (data.text !== '') return;
    let frames = 0;
    let handle = 0;
    const tryFocus = () => {
      field.current?.focus();
      if (document.activeElement !== field.current && ++frames < 20) handle = requestAnimationFrame(tryFocus);
    };
    tryFocus();
    return () => cancelAnimationFrame(handle);
    // Only on mount: later edits must not steal focus back.
  }, []);
  return (
    <div className={`note-node${selected ? ' selected' : ''}`}>
      <textarea ref={field} className="nodrag nowheel" aria-label={`note ${id}`} value={data.text} rows={4} placeholder="Note…"
        onChange={(e) => {
          const text = e.target.value;
          editor.edit((g) => {
            const note = g.notes.find((n) => n.id === id);
            if (note) note.text = text;
          }, { merge: `note:${id}` });
        }}
        onBlur={() => editor.history.endBurst()} />
    </div>
  );
});
