/**
 * The graph library: one folder per graph under `<data>/library/<id>/`, holding every saved revision
 * (`rev-<n>.json`) and an `entry.json` index. Each save adds a revision; restoring one adds a new
 * revision with the old content, so history only grows. Files are written atomically, revision first,
 * so a crash leaves at worst an unreferenced revision file.
 */
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { GraphDocument } from '../../runtime/graph/document.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { readJson, writeJsonAtomic } from '../../runtime/store/atomic-file.ts';
import { checkId, LIBRARY_ID, slugId } from './ids.ts';

export interface RevisionInfo {
  revision: number;
  savedAt: string;
  message?: string;
  restoredFrom?: number;
}

export interface GraphEntry {
  id: string;
  name: string;
  description?: string;
  tags: string[];
  nodeCount: number;
  revision: number;
  createdAt: string;
  updatedAt: string;
  revisions: RevisionInfo[];
}

export type GraphSummary = Omit<GraphEntry, 'revisions'>;

export interface ListQuery {
  q?: string;
  tags?: string[];
  sort?: 'name' | 'created' | 'updated';
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export function tagsOf(doc: GraphDocument): string[] {
  const tags = doc.meta?.tags;
  return Array.isArray(tags) ? [...new Set(tags.filter((t): t is string => typeof t === 'string'))] : [];
}

export class GraphLibrary {
  readonly #root: string;
  readonly #entries = new Map<string, GraphEntry>();
  /** Saves to one graph are serialized so two writers cannot both claim revision n+1. */
  readonly #locks = new Map<string, Promise<unknown>>();

  private constructor(root: string) {
    this.#root = root;
  }

  static async open(dataDir: string): Promise<GraphLibrary> {
    const lib = new GraphLibrary(join(dataDir, 'library'));
    if (existsSync(lib.#root)) {
      for (const name of readdirSync(lib.#root)) {
        if (!LIBRARY_ID.test(name)) continue;
        const entry = await readJson<GraphEntry>(join(lib.#root, name, 'entry.json'));
        if (entry) lib.#entries.set(name, entry);
      }
    }
    return lib;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  list(query: ListQuery = {}): { items: GraphSummary[]; total: number } {
    const q = query.q?.toLowerCase();
    let items = [...this.#entries.values()].filter((e) => {
      if (query.tags?.length && !query.tags.every((t) => e.tags.includes(t))) return false;
      if (!q) return true;
      return [e.id, e.name, e.description ?? '', ...e.tags].some((s) => s.toLowerCase().includes(q));
    });
    const sort = query.sort ?? 'updated';
    const key = (e: GraphEntry): string => (sort === 'name' ? e.name.toLowerCase() : sort === 'created' ? e.createdAt : e.updatedAt);
    const dir = (query.order ?? (sort === 'name' ? 'asc' : 'desc')) === 'asc' ? 1 : -1;
    items.sort((a, b) => dir * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id.localeCompare(b.id)));
    const total = items.length;
    const offset = query.offset ?? 0;
    items = items.slice(offset, offset + (query.limit ?? 100));
    return { items: items.map(summary), total };
  }

  entry(id: string): GraphEntry {
    const e = this.#entries.get(checkId(id, 'graph'));
    if (!e) throw notFound('graph', id);
    return e;
  }

  async get(id: string, revision?: number): Promise<{ entry: GraphEntry; document: GraphDocument }> {
    const entry = this.entry(id);
    const rev = revision ?? entry.revision;
    if (!entry.revisions.some((r) => r.revision === rev)) throw new ApiError('not_found', `graph ${JSON.stringify(id)} has no revision ${rev}`);
    const document = await readJson<GraphDocument>(this.#revFile(id, rev));
    if (!document) throw new ApiError('internal', `revision ${rev} of graph ${id} is missing on disk`);
    return { entry, document };
  }

  /** Adds a graph; its id is `id` if given (409 when taken) or derived from the document's name. */
  async create(doc: GraphDocument, opts: { id?: string; message?: string } = {}): Promise<{ entry: GraphEntry; document: GraphDocument }> {
    let id = opts.id;
    if (id !== undefined) {
      if (!LIBRARY_ID.test(id)) throw new ApiError('validation_failed', 'invalid id', [{ path: 'body.id', message: "1-64 letters, digits, '_' or '-'" }]);
      if (this.#entries.has(id)) throw new ApiError('conflict', `graph ${JSON.stringify(id)} already exists`);
    } else id = slugId(doc.name, (x) => this.#entries.has(x) || existsSync(join(this.#root, x)));
    const newId = id;
    return this.#locked(newId, async () => {
      if (this.#entries.has(newId)) throw new ApiError('conflict', `graph ${JSON.stringify(newId)} already exists`);
      const now = new Date().toISOString();
      const entry: GraphEntry = { ...describe(doc), id: newId, revision: 0, createdAt: now, updatedAt: now, revisions: [] };
      return this.#save(entry, doc, { message: opts.message });
    });
  }

  /** Saves a new revision. With `baseRevision`, refuses (409) when someone saved in between. */
  async update(id: string, doc: GraphDocument, opts: { message?: string; baseRevision?: number } = {}): Promise<{ entry: GraphEntry; document: GraphDocument }> {
    this.entry(id);
    return this.#locked(id, async () => {
      const entry = this.entry(id);
      if (opts.baseRevision !== undefined && opts.baseRevision !== entry.revision)
        throw new ApiError('conflict', `graph ${id} is at revision ${entry.revision}, not ${opts.baseRevision}: reload it and save again`);
      return this.#save({ ...entry, ...describe(doc) }, doc, { message: opts.message });
    });
  }

  async restore(id: string, revision: number): Promise<{ entry: GraphEntry; document: GraphDocument }> {
    const { document } = await this.get(id, revision);
    return this.#locked(id, async () => {
      const entry = this.entry(id);
      return this.#save({ ...entry, ...describe(document) }, document, { message: `restored revision ${revision}`, restoredFrom: revision });
    });
  }

  async delete(id: string): Promise<void> {
    this.entry(id);
    await this.#locked(id, async () => {
      this.#entries.delete(id);
      await rm(join(this.#root, id), { recursive: true, force: true });
    });
  }

  async #save(
    base: GraphEntry,
    doc: GraphDocument,
    info: { message?: string; restoredFrom?: number },
  ): Promise<{ entry: GraphEntry; document: GraphDocument }> {
    const revision = base.revision + 1;
    const savedAt = new Date().toISOString();
    const document: GraphDocument = { ...doc, id: base.id };
    const rev: RevisionInfo = { revision, savedAt, ...(info.message ? { message: info.message } : {}), ...(info.restoredFrom ? { restoredFrom: info.restoredFrom } : {}) };
    const entry: GraphEntry = { ...base, revision, updatedAt: savedAt, revisions: [...base.revisions, rev] };
    await writeJsonAtomic(this.#revFile(base.id, revision), document);
    await writeJsonAtomic(join(this.#root, base.id, 'entry.json'), entry);
    this.#entries.set(base.id, entry);
    return { entry, document };
  }

  #revFile(id: string, rev: number): string {
    return join(this.#root, id, `rev-${rev}.json`);
  }

  async #locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => undefined);
    this.#locks.set(id, settled);
    try {
      return await next;
    } finally {
      if (this.#locks.get(id) === settled) this.#locks.delete(id);
    }
  }
}

function describe(doc: GraphDocument): Pick<GraphEntry, 'name' | 'description' | 'tags' | 'nodeCount'> {
  return { name: doc.name, description: doc.description, tags: tagsOf(doc), nodeCount: doc.nodes.length };
}

function summary(e: GraphEntry): GraphSummary {
  const { revisions: _r, ...rest } = e;
  return rest;
}
