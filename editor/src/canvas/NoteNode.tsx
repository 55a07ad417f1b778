/** A sticky note on the canvas: free text saved in the document's `notes`, edited in place. */
import { memo } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import { useServices } from '../app/context.ts';
import type { NoteData } from './to-flow.ts';

export const NoteNode = memo(function NoteNode({ id, data, selected }: NodeProps<Node<NoteData, 'note'>>) {
  const { editor } = useServices();
  return (
    <div className={`note-node${selected ? ' selected' : ''}`}>
      <textarea className="nodrag nowheel" aria-label={`note ${id}`} value={data.text} rows={4}
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
