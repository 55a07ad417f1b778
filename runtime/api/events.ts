/**
 * The run events a Castgraph server sends: the engine's RunEvents plus its own, each with a per-run
 * sequence number so a client that reconnects can ask for exactly what it missed.
 */
import type { RunEvent } from '../engine/events.ts';

/** Events the server adds to the engine's: a run in flight when the server stopped; a queued run moved in the queue. */
export type ServerEvent =
  | RunEvent
  | { type: 'run.interrupted'; runId: string; ts: number; reason: string }
  | { type: 'run.reprioritized'; runId: string; ts: number; priority: number };

export interface SeqEvent {
  seq: number;
  event: ServerEvent;
}
