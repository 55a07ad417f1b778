/**
 * Saving and opening: save to the server's library with name, description and tags; browse saved
 * graphs and a graph's revisions (open or restore one); start from a template of `graphs/`.
 * A save that another tab overtook is reported as a conflict with a choice, never overwritten.
 */
import { useEffect, useState } from 'react';
import type { GraphSummary, RevisionInfo } from '../api/api.ts';
import { useDocument, useServices } from '../app/context.ts';
import { saveToLibrary } from '../app/persistence.ts';

export function LibraryPanel({ notify, saveRequest }: { notify: (m: string, kind?: 'info' | 'error') => void; saveRequest: number }) {
  const { editor, api } = useServices();
  const doc = useDocument();
  const [name, setName] = useState(doc.name);
  const [description, setDescription] = useState(doc.description ?? '');
  const [tags, setTags] = useState(Array.isArray(doc.meta.tags) ? (doc.meta.tags as string[]).join(', ') : '');
  const [graphs, setGraphs] = useState<GraphSummary[]>([]);
  const [revisions, setRevisions] = useState<RevisionInfo[]>([]);
  const [conflict, setConflict] = useState<string>();

  useEffect(() => {
    setName(doc.name);
    setDescription(doc.description ?? '');
    setTags(Array.isArray(doc.meta.tags) ? (doc.meta.tags as string[]).join(', ') : '');
  }, [doc.id, doc.name, doc.description, doc.meta.tags]);

  const refresh = async () => {
    setGraphs(await api.client.listGraphs({ sort: 'updated', order: 'desc' }).then((l) => l.items, () => []));
    if (editor.libraryRevision !== undefined) {
      const saved = await api.client.getGraph(editor.doc.id).catch(() => undefined);
      setRevisions(saved?.entry.revisions ?? []);
    } else setRevisions([]);
  };
  useEffect(() => { void refresh(); }, [doc.id]);

  const save = async (force = false) => {
    const result = await saveToLibrary(editor, api, { name, description, tags: tags.split(',').map((t) => t.trim()).filter(Boolean) }, force);
    if (result.ok) {
      setConflict(undefined);
      notify(`saved revision ${result.revision}`);
    } else if (result.conflict) setConflict(result.message);
    else notify(`save failed: ${result.message}`, 'error');
    await refresh();
  };
  useEffect(() => { if (saveRequest > 0) void save(); }, [saveRequest]);

  const open = async (id: string, revision?: number) => {
    try {
      if (revision !== undefined) {
        const old = await api.client.revision(id, revision);
        // Saving an old revision on top of newer ones needs the newest revision number as its base.
        const newest = await api.client.getGraph(id);
        editor.load(old.document, newest.entry.revision);
        notify(`opened revision ${revision}; saving makes it revision ${newest.entry.revision + 1}`);
        return;
      }
      const saved = await api.client.getGraph(id);
      editor.load(saved.document, saved.entry.revision);
      notify(`opened ${saved.document.name}`);
    } catch (err) {
      notify(`open failed: ${(err as Error).message}`, 'error');
    }
  };

  return (
    <div className="library">
      <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <label>Name <input aria-label="graph name" value={name} onChange={(e) => setName(e.target.value)} required /></label>
        <label>Description <textarea aria-label="graph description" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} /></label>
        <label>Tags <input aria-label="graph tags" value={tags} placeholder="comma, separated" onChange={(e) => setTags(e.target.value)} /></label>
        <button type="submit">{editor.libraryRevision === undefined ? 'Save to library' : `Save revision ${editor.libraryRevision + 1}`}</button>
      </form>
      {conflict && (
        <div className="conflict" role="alert">
          <p>Not saved: {conflict}</p>
          <button type="button" onClick={() => void open(editor.doc.id)}>Load theirs (discard mine)</button>
          <button type="button" onClick={() => void save(true)}>Save mine on top</button>
        </div>
      )}
      {revisions.length > 0 && (
        <details open><summary>Revisions of this graph</summary>
          <ul className="revisions">
            {[...revisions].reverse().map((r) => (
              <li key={r.revision}>
                r{r.revision} <small>{new Date(r.savedAt).toLocaleString()}</small> {r.message && <small>{r.message}</small>}
                <button type="button" onClick={() => void open(editor.doc.id, r.revision)}>open</button>
                <button type="button" onClick={async () => { await api.client.restoreRevision(editor.doc.id, r.revision); await open(editor.doc.id); }}>restore</button>
              </li>
            ))}
          </ul>
        </details>
      )}
      <h4>Library</h4>
      <ul className="graph-list">
        {graphs.map((g) => (
          <li key={g.id}><button type="button" className="link" onClick={() => void open(g.id)}>{g.name}</button> <small>{g.nodeCount} nodes {g.tags.map((t) => <span key={t} className="tag">{t}</span>)}</small></li>
        ))}
        {graphs.length === 0 && <li className="muted">Nothing saved yet.</li>}
      </ul>
    </div>
  );
}
