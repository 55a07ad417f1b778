/**
 * A run's output files: `GET /api/runs/:id/outputs/:name` streams the artifact of a graph output
 * (`portrait`) or of any node's output port (`resize.image`), `?index=N` picking one file of a list.
 * Files whose format has a slot for it carry the graph the run executed (PNG: an `iTXt` chunk; MP4:
 * a metadata item, remuxed by ffmpeg; both keyed `castgraph.graph`), so a downloaded output reopens its graph in the editor; the content-addressed
 * store keeps the original bytes, and this is a derived download.
 */
import { Router } from 'express';
import { isArtifactRef, type ArtifactRef } from '../../runtime/graph/node-definition.ts';
import { withEmbeddedGraph } from '../../runtime/media/embed-graph.ts';
import { extensionOf } from '../../runtime/store/media-types.ts';
import type { ArtifactService } from '../artifacts.ts';
import { ApiError } from '../http/errors.ts';
import { parseWith } from '../http/validate.ts';
import type { RunManager } from '../runs/manager.ts';
import type { RunRecord } from '../runs/record.ts';
import type { RunRecords } from '../runs/records.ts';
import { RunOutputParams, RunOutputQuery } from '../../runtime/api/schemas.ts';
import { fileHeaders } from './artifacts.ts';

const own = (o: Record<string, unknown> | undefined, key: string): unknown => (o && Object.hasOwn(o, key) ? o[key] : undefined);

/** The value of a graph output, or of `nodePath.port`; undefined when the run has no such output (yet). */
function outputValue(record: RunRecord, name: string): unknown {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return own(record.outputs, name);
  const node = own(record.nodes, name.slice(0, dot)) as RunRecord['nodes'][string] | undefined;
  return own(node?.outputs, name.slice(dot + 1));
}

/** The one artifact `name` (and `index`) names, or an error that says which part of the request is wrong. */
function pickArtifact(record: RunRecord, name: string, index: number | undefined): ArtifactRef {
  const value = outputValue(record, name);
  const missing = (message: string, path = 'params.name') => new ApiError('not_found', message, [{ path, message }]);
  if (value === undefined) throw missing(`run ${record.runId} has no output ${JSON.stringify(name)} (graph outputs: ${Object.keys(record.outputs ?? {}).join(', ') || 'none'}; node outputs as nodePath.port)`);
  if (Array.isArray(value) && value.some(isArtifactRef)) {
    if (index === undefined) {
      const message = `output ${name} is a list of ${value.length}: give ?index=0…${value.length - 1}`;
      throw new ApiError('validation_failed', message, [{ path: 'query.index', message }]);
    }
    const item = value[index];
    if (!isArtifactRef(item)) throw missing(`output ${name} has no file at index ${index} (it has ${value.length} items)`, 'query.index');
    return item;
  }
  if (!isArtifactRef(value)) throw missing(`output ${name} is a ${typeof value} value, not a file: read it from GET /api/runs/${record.runId}`);
  if (index !== undefined) {
    const message = `output ${name} is a single file: leave out index`;
    throw new ApiError('validation_failed', message, [{ path: 'query.index', message }]);
  }
  return value;
}


export function runOutputRoutes(runs: RunManager, records: RunRecords, artifacts: ArtifactService): Router {
  const r = Router();

  r.get('/runs/:id/outputs/:name', async (req, res) => {
    const { id, name } = parseWith(RunOutputParams, req.params, 'params');
    const { index } = parseWith(RunOutputQuery, req.query, 'query');
    const ref = pickArtifact(runs.get(id), name, index);
    if (!(await artifacts.store.has(ref.$artifact))) throw new ApiError('not_found', `the file of output ${name} is no longer stored (artifact ${ref.$artifact})`);
    const document = (await records.request(id)).document;
    const body = await withEmbeddedGraph(ref, () => artifacts.store.stream(ref.$artifact), JSON.stringify(document));
    res.set({ ...fileHeaders(ref.mime, `${name}${index === undefined ? '' : `-${index}`}${extensionOf(ref)}`), 'Cache-Control': 'private, no-cache' });
    body.on('error', () => res.destroy());
    body.pipe(res);
  });

  return r;
}
