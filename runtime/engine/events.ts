/**
 * The typed event stream of a run. The CLI display, the server's WebSocket fan-out, run records
 * and tests all consume exactly these objects. `nodePath` is the node's path in the run
 * (`sampler`, `refine/3/score` for iteration 3 of loop `refine`, `face/detect` inside subgraph `face`).
 */
import type { ErrorClass } from '../graph/node-definition.ts';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
export type NodeStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cached' | 'skipped' | 'cancelled' | 'bypassed' | 'muted';

export interface NodeFailure {
  message: string;
  errorClass: ErrorClass;
  retryable: boolean;
  /** The JSON path of an offending input when the failure is about one (`nodes[3].inputs.threshold`). */
  path?: string;
}

interface Base {
  runId: string;
  /** ms since epoch */
  ts: number;
}
interface NodeBase extends Base {
  nodePath: string;
  nodeId: string;
  nodeType: string;
}

export type RunEvent =
  | (Base & { type: 'run.queued' })
  | (Base & { type: 'run.started'; nodeCount: number; seeds: Record<string, number> })
  | (Base & { type: 'run.succeeded'; outputs: Record<string, unknown>; durationMs: number })
  | (Base & { type: 'run.failed'; error: NodeFailure; nodePath?: string; durationMs: number })
  | (Base & { type: 'run.cancelled'; durationMs: number })
  | (NodeBase & { type: 'node.started'; attempt: number; key: string; item?: number; items?: number })
  | (NodeBase & { type: 'node.progress'; fraction: number; message?: string; etaMs?: number; item?: number; items?: number })
  | (NodeBase & { type: 'node.preview'; image: unknown })
  | (NodeBase & { type: 'node.log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string })
  | (NodeBase & { type: 'node.cached'; key: string; outputs: Record<string, unknown> })
  | (NodeBase & { type: 'node.skipped'; reason: string })
  | (NodeBase & { type: 'node.succeeded'; key: string; outputs: Record<string, unknown>; durationMs: number; attempt: number })
  | (NodeBase & { type: 'node.retrying'; attempt: number; delayMs: number; error: NodeFailure })
  | (NodeBase & { type: 'node.failed'; error: NodeFailure; attempt: number })
  | (NodeBase & { type: 'node.cancelled' });

export type RunEventType = RunEvent['type'];
export type RunEventListener = (event: RunEvent) => void;
