/**
 * Folds the run's event stream into per-node display state. Each event touches one key of a
 * `KeyedStore`, so one progress event re-renders exactly one node on the canvas.
 */
import type { NodeFailure, RunEvent, NodeStatus, RunStatus } from '../../../runtime/engine/events.ts';
import { KeyedStore } from './keyed-store.ts';

export interface NodeRunState {
  status: NodeStatus;
  fraction?: number;
  message?: string;
  etaMs?: number;
  item?: number;
  items?: number;
  error?: NodeFailure;
  reason?: string;
  outputs?: Record<string, unknown>;
  preview?: unknown;
  durationMs?: number;
}

export interface RunSummary {
  runId: string;
  status: RunStatus;
  error?: NodeFailure;
  durationMs?: number;
  outputs?: Record<string, unknown>;
}

/** Top-level node id of a node path: `refine/3/score` is shown on `refine`. */
export function canvasKey(nodePath: string): string {
  return nodePath.split('/')[0]!;
}

export function reduceNode(prev: NodeRunState | undefined, e: RunEvent): NodeRunState | undefined {
  switch (e.type) {
    case 'node.started':
      return { status: 'running', fraction: 0, item: e.item, items: e.items, preview: prev?.preview };
    case 'node.progress':
      return { ...prev, status: 'running', fraction: e.fraction, message: e.message, etaMs: e.etaMs, item: e.item, items: e.items };
    case 'node.preview':
      return { ...(prev ?? { status: 'running' }), preview: e.image };
    case 'node.cached':
      return { status: 'cached', outputs: e.outputs, fraction: 1 };
    case 'node.skipped':
      return { status: 'skipped', reason: e.reason };
    case 'node.succeeded':
      return { ...prev, status: 'succeeded', outputs: e.outputs, durationMs: e.durationMs, fraction: 1, etaMs: undefined, message: undefined };
    case 'node.retrying':
      return { ...prev, status: 'running', message: `retry ${e.attempt}: ${e.error.message}` };
    case 'node.failed':
      return { ...prev, status: 'failed', error: e.error, etaMs: undefined };
    case 'node.cancelled':
      return { ...prev, status: 'cancelled', etaMs: undefined };
    default:
      return prev;
  }
}

export class RunState {
  readonly nodes = new KeyedStore<NodeRunState>();
  readonly summary = new KeyedStore<RunSummary>();

  /** Only events of the run being shown count; stale ones from an older run are ignored. */
  apply(e: RunEvent, runId: string): void {
    if (e.runId !== runId) return;
    if (e.type.startsWith('node.') && 'nodeId' in e) {
      // Nodes inside subgraphs and loops report on their top-level node while their own status is not shown.
      const key = e.nodePath.includes('/') ? canvasKey(e.nodePath) : e.nodeId;
      const prev = this.nodes.get(key);
      if (e.nodePath.includes('/')) {
        if (e.type === 'node.progress' || e.type === 'node.started') this.nodes.set(key, { ...prev, status: 'running', message: `${e.nodePath}` });
        if (e.type === 'node.failed') this.nodes.set(key, { ...prev, status: 'failed', error: { ...e.error, message: `${e.nodePath}: ${e.error.message}` } });
        return;
      }
      this.nodes.set(key, reduceNode(prev, e));
      return;
    }
    const prev = this.summary.get('current');
    if (e.type === 'run.queued') this.summary.set('current', { runId, status: 'queued' });
    else if (e.type === 'run.started') this.summary.set('current', { runId, status: 'running' });
    else if (e.type === 'run.succeeded') this.summary.set('current', { ...prev, runId, status: 'succeeded', outputs: e.outputs, durationMs: e.durationMs });
    else if (e.type === 'run.failed') this.summary.set('current', { ...prev, runId, status: 'failed', error: e.error, durationMs: e.durationMs });
    else if (e.type === 'run.cancelled') this.summary.set('current', { ...prev, runId, status: 'cancelled', durationMs: e.durationMs });
  }

  clear(): void {
    this.nodes.replaceAll(new Map());
    this.summary.set('current', undefined);
  }
}
