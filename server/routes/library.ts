/** Graph library and templates: `/api/graphs…`, `/api/templates…`. */
import { Router } from 'express';
import { GraphDocument } from '../../runtime/graph/document.ts';
import { parseWith } from '../http/validate.ts';
import type { GraphLibrary } from '../library/store.ts';
import type { TemplateCatalog } from '../library/templates.ts';
import {
  GraphCreateBody,
  GraphIdParams,
  GraphListQuery,
  GraphUpdateBody,
  ImportQuery,
  RevisionParams,
  TemplateCopyBody,
} from '../../runtime/api/schemas.ts';

export function libraryRoutes(library: GraphLibrary, templates: TemplateCatalog): Router {
  const r = Router();

  r.get('/graphs', (req, res) => {
    const q = parseWith(GraphListQuery, req.query, 'query');
    const tags = q.tag === undefined ? undefined : [q.tag].flat();
    res.json(library.list({ q: q.q, tags, sort: q.sort, order: q.order, limit: q.limit, offset: q.offset }));
  });

  r.post('/graphs', async (req, res) => {
    const body = parseWith(GraphCreateBody, req.body, 'body');
    const saved = await library.create(body.document, { id: body.id, message: body.message });
    res.status(201).location(`/api/graphs/${saved.entry.id}`).json(saved);
  });

  r.post('/graphs/import', async (req, res) => {
    const q = parseWith(ImportQuery, req.query, 'query');
    const document = parseWith(GraphDocument, req.body, 'body');
    const saved = await library.create(document, { id: q.id, message: 'imported' });
    res.status(201).location(`/api/graphs/${saved.entry.id}`).json(saved);
  });

  r.get('/graphs/:id', async (req, res) => {
    const { id } = parseWith(GraphIdParams, req.params, 'params');
    res.json(await library.get(id));
  });

  r.put('/graphs/:id', async (req, res) => {
    const { id } = parseWith(GraphIdParams, req.params, 'params');
    library.entry(id);
    const body = parseWith(GraphUpdateBody, req.body, 'body');
    res.json(await library.update(id, body.document, { message: body.message, baseRevision: body.baseRevision }));
  });

  r.delete('/graphs/:id', async (req, res) => {
    const { id } = parseWith(GraphIdParams, req.params, 'params');
    await library.delete(id);
    res.status(204).end();
  });

  r.get('/graphs/:id/export', async (req, res) => {
    const { id } = parseWith(GraphIdParams, req.params, 'params');
    const { document } = await library.get(id);
    res.attachment(`${id}.castgraph.json`).json(document);
  });

  r.get('/graphs/:id/revisions', (req, res) => {
    const { id } = parseWith(GraphIdParams, req.params, 'params');
    res.json({ items: library.entry(id).revisions });
  });

  r.get('/graphs/:id/revisions/:rev', async (req, res) => {
    const { id, rev } = parseWith(RevisionParams, req.params, 'params');
    const { entry, document } = await library.get(id, rev);
    res.json({ revision: entry.revisions.find((x) => x.revision === rev), document });
  });

  r.post('/graphs/:id/revisions/:rev/restore', async (req, res) => {
    const { id, rev } = parseWith(RevisionParams, req.params, 'params');
    res.json(await library.restore(id, rev));
  });

  r.get('/templates', async (_req, res) => {
    res.json({ items: await templates.list() });
  });

  r.get('/templates/:id', async (req, res) => {
    const { id } = parseWith(GraphIdParams, req.params, 'params');
    res.json(await templates.get(id));
  });

  r.post('/templates/:id/copy', async (req, res) => {
    const { id } = parseWith(GraphIdParams, req.params, 'params');
    const body = parseWith(TemplateCopyBody, req.body ?? {}, 'body');
    const doc = await templates.get(id);
    const saved = await library.create(body.name ? { ...doc, name: body.name } : doc, { id: body.id, message: `copied from template ${id}` });
    res.status(201).location(`/api/graphs/${saved.entry.id}`).json(saved);
  });

  return r;
}
