/**
 * Keeping work: an autosaved draft in localStorage (recovered after a reload), saving to the
 * server library with a revision check (a second tab's save is a conflict, not a silent
 * overwrite), and opening graphs from JSON files, or PNGs and MP4s that carry their graph.
 */
import { GraphDocument, formatPath, type GraphDocument as Doc } from '../../../runtime/graph/document.ts';
import { CastgraphApiError, type Api } from '../api/api.ts';
import { isMp4, readMp4GraphText } from '../../../runtime/graph/mp4-metadata.ts';
import { readGraphText, isPng } from '../../../runtime/graph/png-metadata.ts';
import type { Editor } from './editor.ts';

const DRAFT_KEY = 'castgraph.draft';

interface Draft {
  doc: Doc;
  revision?: number;
  savedAt: number;
}

export function readDraft(storage: Storage = localStorage): Draft | undefined {
  try {
    const raw = storage.getItem(DRAFT_KEY);
    if (!raw) return undefined;
    const draft = JSON.parse(raw) as Draft;
    const parsed = GraphDocument.safeParse(draft.doc);
    return parsed.success ? { ...draft, doc: parsed.data } : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the draft at most once per `delayMs` while edits keep coming. */
export function autosave(editor: Editor, delayMs = 400, storage: Storage = localStorage): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = () => {
    timer = undefined;
    const draft: Draft = { doc: editor.doc, revision: editor.libraryRevision, savedAt: Date.now() };
    try {
      storage.setItem(DRAFT_KEY, JSON.stringify(draft));
    } catch {
      /* storage full or disabled: the library save still works */
    }
  };
  // Serialising a big graph costs milliseconds: wait for a quiet moment, not the middle of a drag.
  const later = () => (typeof requestIdleCallback === 'function' ? requestIdleCallback(write, { timeout: delayMs * 4 }) : write());
  const unsubscribe = editor.history.subscribe(() => {
    timer ??= setTimeout(later, delayMs);
  });
  // A reload or closed tab inside the debounce window still keeps the last edit.
  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      write();
    }
  };
  addEventListener('pagehide', flush);
  return () => {
    removeEventListener('pagehide', flush);
    unsubscribe();
    if (timer) {
      clearTimeout(timer);
      write();
    }
  };
}

export type SaveResult = { ok: true; revision: number } | { ok: false; conflict: boolean; message: string };

/** Saves the document as a new graph, or as the next revision of the graph it came from. */
export async function saveToLibrary(editor: Editor, api: Api, info: { name: string; description: string; tags: string[] }, force = false): Promise<SaveResult> {
  const doc: Doc = { ...editor.doc, name: info.name, description: info.description || undefined, meta: { ...editor.doc.meta, tags: info.tags } };
  try {
    const saved = editor.libraryRevision === undefined
      ? await api.client.createGraph(doc)
      : await api.client.updateGraph(doc.id, doc, force ? {} : { baseRevision: editor.libraryRevision });
    editor.history.update((d) => {
      d.id = saved.entry.id;
      d.name = info.name;
      d.description = info.description || undefined;
      d.meta.tags = info.tags;
    });
    editor.libraryRevision = saved.entry.revision;
    return { ok: true, revision: saved.entry.revision };
  } catch (err) {
    const conflict = err instanceof CastgraphApiError && err.status === 409;
    return { ok: false, conflict, message: (err as Error).message };
  }
}

/** A graph from a dropped or imported file: graph JSON, or a PNG or MP4 carrying one. */
export async function graphFromFile(file: Blob & { name?: string }): Promise<Doc> {
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  let text: string;
  if (isPng(head) || isMp4(head)) {
    // A video is never read whole: only its box headers and its `moov`.
    const embedded = isPng(head)
      ? readGraphText(new Uint8Array(await file.arrayBuffer()))
      : await readMp4GraphText(async (start, end) => new Uint8Array(await file.slice(start, end).arrayBuffer()), file.size);
    if (!embedded) throw new Error(`${file.name ?? 'the file'} carries no Castgraph graph`);
    text = embedded;
  } else {
    text = new TextDecoder().decode(await file.arrayBuffer());
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file.name ?? 'the file'} is not graph JSON`);
  }
  const parsed = GraphDocument.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file.name ?? 'the file'}: ${formatPath(issue.path)}: ${issue.message}`);
  }
  return parsed.data;
}

export function downloadText(name: string, text: string, mime = 'application/json'): void {
  downloadBlob(name, new Blob([text], { type: mime }));
}

export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
