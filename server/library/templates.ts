/**
 * Templates: the graphs shipped in `graphs/*.json`, listed read-only. Copying one adds it to the
 * library, where it can be edited. Files are re-read on each request so new templates need no restart.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GraphDocument } from '../../runtime/graph/document.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { checkId, LIBRARY_ID } from './ids.ts';
import { tagsOf } from './store.ts';

export interface TemplateSummary {
  id: string;
  name: string;
  description?: string;
  tags: string[];
  nodeCount: number;
}

export class TemplateCatalog {
  constructor(readonly dir: string) {}

  #ids(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json') && LIBRARY_ID.test(f.slice(0, -5)))
      .map((f) => f.slice(0, -5))
      .sort();
  }

  async list(): Promise<TemplateSummary[]> {
    const out: TemplateSummary[] = [];
    for (const id of this.#ids()) {
      const doc = await this.#read(id).catch(() => undefined);
      if (doc) out.push({ id, name: doc.name, description: doc.description, tags: tagsOf(doc), nodeCount: doc.nodes.length });
    }
    return out;
  }

  async get(id: string): Promise<GraphDocument> {
    checkId(id, 'template');
    if (!this.#ids().includes(id)) throw notFound('template', id);
    return this.#read(id);
  }

  async #read(id: string): Promise<GraphDocument> {
    const parsed = GraphDocument.safeParse(JSON.parse(await readFile(join(this.dir, `${id}.json`), 'utf8')));
    if (!parsed.success) throw new ApiError('internal', `template ${id} is not a valid graph document`);
    return parsed.data;
  }
}
