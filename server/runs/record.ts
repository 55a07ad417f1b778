/**
 * A run record is a fold of its events: the live server, crash recovery and tests all build it the
 * same way, by applying events in sequence order. `status.json` is a snapshot of this fold; the
 * append-only `events.jsonl` is the truth it is rebuilt from.
 */
import type { z } from 'zod';
import type { ServerEvent } from '../../runtime/api/events.ts';
import type { NodeRecordSchema, RunRecordSchema } from '../../runtime/api/schemas.ts';

export type { SeqEvent, ServerEvent } from '../../runtime/api/events.ts';

export type RunRecord = z.output<typeof RunRecordSchema>;
export type NodeRecord = z.output<typeof NodeRecordSchema>;


export const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);
export const isTerminal = (status: string): boolean => TERMINAL.has(status);

/** Events that change a node's or the run's state (the rest, progress and logs, only go to the log). */
export function changesState(e: ServerEvent): boolean {
  return e.type !== 'node.progress' && e.type !== 'node.log' && e.type !== 'node.preview';
}

const iso = (ts: number): string => new Date(ts).toISOString();

export function applyEvent(r: RunRecord, e: ServerEvent): void {
  switch (e.type) {
    case 'run.queued':
      // Queued again after it ended: a resume. Counted here, in the fold, so a record rebuilt from the log agrees.
      if (isTerminal(r.status)) {
        r.executions += 1;
        if (r.webhook) r.webhook.state = 'pending';
      }
      r.status = 'queued';
      return;
    case 'run.started':
      r.status = 'running';
      r.startedAt = iso(e.ts);
      r.seeds = { ...r.seeds, ...e.seeds };
      r.nodes = {};
      delete r.endedAt;
      delete r.error;
      delete r.outputs;
      return;
    case 'run.succeeded':
      finish(r, 'succeeded', e.ts, e.durationMs);
      r.outputs = e.outputs;
      return;
    case 'run.failed':
      finish(r, 'failed', e.ts, e.durationMs);
      r.error = { ...e.error, ...(e.nodePath ? { nodePath: e.nodePath } : {}) };
      return;
    case 'run.cancelled':
      finish(r, 'cancelled', e.ts, e.durationMs);
      return;
    case 'run.reprioritized':
      r.priority = e.priority;
      return;
    case 'run.interrupted':
      finish(r, 'interrupted', e.ts, r.startedAt ? e.ts - Date.parse(r.startedAt) : 0);
      r.error = { message: e.reason, errorClass: 'internal', retryable: true };
      for (const n of Object.values(r.nodes)) if (n.status === 'running' || n.status === 'pending') n.status = 'cancelled';
      return;
  }
  const n = (r.nodes[e.nodePath] ??= { nodeId: e.nodeId, nodeType: e.nodeType, status: 'pending', attempts: 0 });
  switch (e.type) {
    case 'node.started':
      n.status = 'running';
      n.attempts = Math.max(n.attempts, e.attempt);
      n.key = e.key;
      n.startedAt ??= e.ts;
      return;
    case 'node.progress':
      n.progress = e.fraction;
      return;
    case 'node.retrying':
      n.error = e.error;
      return;
    case 'node.cached':
      n.status = 'cached';
      n.key = e.key;
      n.outputs = e.outputs;
      n.endedAt = e.ts;
      return;
    case 'node.succeeded':
      n.status = 'succeeded';
      n.key = e.key;
      n.outputs = e.outputs;
      n.attempts = e.attempt;
      n.endedAt = e.ts;
      n.durationMs = e.durationMs;
      delete n.error;
      return;
    case 'node.failed':
      n.status = 'failed';
      n.error = e.error;
      n.attempts = e.attempt;
      n.endedAt = e.ts;
      if (n.startedAt !== undefined) n.durationMs = e.ts - n.startedAt;
      return;
    case 'node.skipped':
      n.status = 'skipped';
      n.reason = e.reason;
      return;
    case 'node.cancelled':
      n.status = 'cancelled';
      n.endedAt = e.ts;
      return;
    case 'node.log':
    case 'node.preview':
      return;
  }
}

function finish(r: RunRecord, status: RunRecord['status'], ts: number, durationMs: number): void {
  r.status = status;
  r.endedAt = iso(ts);
  r.durationMs = durationMs;
}

/** The node path an event is about, if any: WebSocket messages carry it at the top level. */
export function nodePathOf(e: ServerEvent): string | undefined {
  return 'nodePath' in e && typeof e.nodePath === 'string' ? e.nodePath : undefined;
}
