/**
 * The API's types, inferred from the zod schemas in runtime/api that the server validates with, so
 * client, server and OpenAPI document share one definition.
 */
import type { z } from 'zod';
import type * as S from '../api/schemas.ts';
import type { ServerEvent } from '../api/events.ts';

export type GraphSummary = z.output<typeof S.GraphSummary>;
export type GraphEntry = z.output<typeof S.GraphEntry>;
export type GraphWithDocument = z.output<typeof S.GraphWithDocument>;
export type GraphList = z.output<typeof S.GraphList>;
export type GraphListQuery = z.input<typeof S.GraphListQuery>;
export type RevisionInfo = z.output<typeof S.RevisionInfo>;
export type RevisionDocument = z.output<typeof S.RevisionDocument>;
export type TemplateSummary = z.output<typeof S.TemplateSummary>;
export type NodeTypeInfo = z.output<typeof S.NodeTypeInfo>;
export type ArtifactRefJson = z.output<typeof S.ArtifactRefSchema>;
export type RunCreate = z.input<typeof S.RunCreateBody>;
export type RunAccepted = z.output<typeof S.RunAccepted>;
export type RunRecord = z.output<typeof S.RunRecordSchema>;
export type NodeRecord = z.output<typeof S.NodeRecordSchema>;
export type RunList = z.output<typeof S.RunList>;
export type RunListQuery = z.input<typeof S.RunListQuery>;
export type QueueState = z.output<typeof S.QueueState>;
export type ApiErrorBody = z.output<typeof S.ErrorBody>;

/** Events on the wire: the engine's RunEvents, plus the server's own (`run.interrupted`, `run.reprioritized`). */
export type ServerRunEvent = ServerEvent;

export interface EventMessage {
  type: 'event';
  runId: string;
  /** Per run, starting at 1, without gaps. */
  seq: number;
  nodePath?: string;
  event: ServerRunEvent;
}

export type ServerMessage =
  | EventMessage
  | { type: 'hello'; protocol: number }
  | { type: 'subscribed'; runId: string; status: RunRecord['status']; lastSeq: number }
  | { type: 'subscribed'; all: true }
  | { type: 'unsubscribed'; runId?: string; all?: true }
  | { type: 'error'; runId?: string; error: ApiErrorBody['error'] };

export const TERMINAL_RUN_EVENTS: ReadonlySet<string> = new Set(['run.succeeded', 'run.failed', 'run.cancelled', 'run.interrupted']);
