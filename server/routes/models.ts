/**
 * Face models for the editor's in-browser preview (`/api/models/<file>`, what the face worker loads) and
 * the catalogue with each model's state. Only catalogued file names are served, and only once the file's
 * bytes matched the catalogued sha256, so nothing else in the models folder is reachable.
 */
import { Router } from 'express';
import { MODELS, ModelManager } from '../../runtime/models/index.ts';
import { ApiError } from '../http/errors.ts';
import { parseWith } from '../http/validate.ts';
import { ModelFileParams } from '../../runtime/api/schemas.ts';

export function modelRoutes(models: ModelManager): Router {
  const r = Router();

  r.get('/models', async (_req, res) => {
    const items = await models.list();
    res.json({
      items: items.map(({ id, entry, state }) => ({
        id,
        role: entry.role,
        file: entry.file,
        size: entry.size,
        sha256: entry.sha256,
        licence: entry.licence,
        commercial: entry.commercial,
        state,
      })),
    });
  });

  r.get('/models/:file', async (req, res) => {
    const { file } = parseWith(ModelFileParams, req.params, 'params');
    const entry = MODELS.find((m) => m.file === file);
    if (!entry) throw new ApiError('not_found', `no catalogued model file ${JSON.stringify(file.slice(0, 80))}`);
    const status = await models.status(entry.id);
    if (status.state !== 'verified')
      throw new ApiError('not_found', `model "${entry.id}" is ${status.state === 'missing' ? 'not installed' : 'not the catalogued file'} on this server: run \`castgraph models pull ${entry.id}\``);
    res.sendFile(status.path, { headers: { 'Content-Type': 'application/octet-stream', ETag: `"${entry.sha256}"` }, maxAge: '1y', immutable: true, etag: false });
  });

  return r;
}
