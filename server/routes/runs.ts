/** Runs and the queue: `/api/runs…`, `/api/queue…`. */
import { Router } from 'express';
import { ApiError } from '../http/errors.ts';
import { parseWith } from '../http/validate.ts';
import type { RunManager } from '../runs/manager.ts';
import type { RunRecords } from '../runs/records.ts';
import { nodePathOf } from '../runs/record.ts';
import { RunCreateBody, RunEventsQuery, RunIdParams, RunListQuery, RunPriorityBody } from '../../runtime/api/schemas.ts';

export function runRoutes(runs: RunManager, records: RunRecords): Router {
  const r = Router();

  r.post('/runs', async (req, res) => {
    const body = parseWith(RunCreateBody, req.body, 'body');
    const header = req.get('idempotency-key');
    if (header !== undefined && (header.length === 0 || header.length > 200))
      throw new ApiError('validation_failed', 'invalid Idempotency-Key header', [{ path: 'headers.idempotency-key', message: '1-200 characters' }]);
    const accepted = await runs.submit(body, header);
    if (accepted.deduplicated) res.set('Idempotent-Replayed', 'true');
    res.status(202).location(`/api/runs/${accepted.runId}`).json(accepted);
  });

  r.get('/runs', (req, res) => {
    res.json(runs.list(parseWith(RunListQuery, req.query, 'query')));
  });

  r.get('/runs/:id', (req, res) => {
    res.json(runs.get(parseWith(RunIdParams, req.params, 'params').id));
  });

  /** The document the run executed, as recorded when it was accepted (a library graph at its revision then). */
  r.get('/runs/:id/graph', async (req, res) => {
    const { id } = parseWith(RunIdParams, req.params, 'params');
    runs.get(id); // 404 for unknown ids and for ids that are not run ids (never a path on disk)
    res.json((await records.request(id)).document);
  });

  /** The run's event log over HTTP, for clients without WebSockets (`?after=<seq>` to poll incrementally). */
  r.get('/runs/:id/events', (req, res) => {
    const { id } = parseWith(RunIdParams, req.params, 'params');
    const { after } = parseWith(RunEventsQuery, req.query, 'query');
    const record = runs.get(id);
    const items = records.eventsSince(id, after ?? 0).map(({ seq, event }) => ({ type: 'event', runId: id, seq, nodePath: nodePathOf(event), event }));
    res.json({ items, lastSeq: record.lastSeq });
  });

  r.post('/runs/:id/cancel', (req, res) => {
    res.json(runs.cancel(parseWith(RunIdParams, req.params, 'params').id));
  });

  r.post('/runs/:id/priority', (req, res) => {
    const { id } = parseWith(RunIdParams, req.params, 'params');
    runs.get(id);
    res.json(runs.reprioritize(id, parseWith(RunPriorityBody, req.body, 'body').priority));
  });

  r.post('/runs/:id/resume', (req, res) => {
    res.status(202).json(runs.resume(parseWith(RunIdParams, req.params, 'params').id));
  });

  r.get('/queue', (_req, res) => {
    res.json(runs.queueState());
  });
  r.post('/queue/pause', (_req, res) => {
    runs.setPaused(true);
    res.json(runs.queueState());
  });
  r.post('/queue/resume', (_req, res) => {
    runs.setPaused(false);
    res.json(runs.queueState());
  });

  return r;
}
