/**
 * The API's schemas. Request schemas validate every body and query; response schemas document the
 * replies. The OpenAPI document is generated from exactly these (server/openapi.ts), and the typed
 * client's types are inferred from them (runtime/client/types.ts), so the three cannot drift apart.
 */
import { z } from 'zod';
import { GraphDocument, GraphNode, NODE_ID_PATTERN, PORT_NAME_PATTERN } from '../graph/document.ts';

/** Named schemas become `#/components/schemas/<id>` in the OpenAPI document. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();
/** Registers the schema itself (not a described copy), so every use of it becomes a `$ref`. */
function named<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  apiSchemas.add(schema, { id, ...(description ? { description } : {}) });
  return schema;
}
named('GraphDocument', GraphDocument, 'A Castgraph graph document, format `castgraph.graph` version 1.');
named('GraphNode', GraphNode, 'A node of a graph document.');

const libraryId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "1-64 letters, digits, '_' or '-', starting with a letter or digit");
const isoTime = z.string().describe('ISO 8601 time');
const queryInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

// ── errors ──────────────────────────────────────────────────────────────────────────────
export const ErrorBody = named(
  'Error',
  z.object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ path: z.string().describe('JSON path of the offending field, e.g. `body.graph.nodes[3].inputs.threshold`'), message: z.string() })),
    }),
  }),
);

// ── graph library ───────────────────────────────────────────────────────────────────────
export const RevisionInfo = named(
  'RevisionInfo',
  z.object({ revision: z.int().min(1), savedAt: isoTime, message: z.string().optional(), restoredFrom: z.int().optional() }),
);
const summaryShape = {
  id: libraryId,
  name: z.string(),
  description: z.string().optional(),
  tags: z.array(z.string()),
  nodeCount: z.int(),
  revision: z.int(),
  createdAt: isoTime,
  updatedAt: isoTime,
};
export const GraphSummary = named('GraphSummary', z.object(summaryShape));
export const GraphEntry = named('GraphEntry', z.object({ ...summaryShape, revisions: z.array(RevisionInfo) }));
export const GraphWithDocument = named('GraphWithDocument', z.object({ entry: GraphEntry, document: GraphDocument }));
export const GraphList = named('GraphList', z.object({ items: z.array(GraphSummary), total: z.int() }));

export const GraphCreateBody = named(
  'GraphCreate',
  z.strictObject({
    document: GraphDocument,
    id: libraryId.optional().describe('library id; derived from the name when absent'),
    message: z.string().max(500).optional(),
  }),
);
export const GraphUpdateBody = named(
  'GraphUpdate',
  z.strictObject({
    document: GraphDocument,
    message: z.string().max(500).optional(),
    baseRevision: z.int().min(1).optional().describe('refuse with 409 when the graph is no longer at this revision'),
  }),
);
export const GraphListQuery = z.object({
  q: z.string().max(200).optional().describe('matches id, name, description and tags'),
  tag: z.union([z.string(), z.array(z.string())]).optional().describe('only graphs with every given tag (repeatable)'),
  sort: z.enum(['name', 'created', 'updated']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  limit: queryInt(1, 500).optional(),
  offset: queryInt(0, 1_000_000).optional(),
});
export const GraphIdParams = z.object({ id: z.string() });
export const RevisionParams = z.object({ id: z.string(), rev: queryInt(1, 1_000_000) });
export const ImportQuery = z.object({ id: libraryId.optional() });
export const RevisionList = named('RevisionList', z.object({ items: z.array(RevisionInfo) }));
export const RevisionDocument = named('RevisionDocument', z.object({ revision: RevisionInfo, document: GraphDocument }));

export const TemplateSummary = named(
  'TemplateSummary',
  z.object({ id: libraryId, name: z.string(), description: z.string().optional(), tags: z.array(z.string()), nodeCount: z.int() }),
);
export const TemplateList = named('TemplateList', z.object({ items: z.array(TemplateSummary) }));
export const TemplateCopyBody = named('TemplateCopy', z.strictObject({ id: libraryId.optional(), name: z.string().min(1).max(200).optional() }));

// ── node types ──────────────────────────────────────────────────────────────────────────
const InputSpecSchema = z.object({
  type: z.string(),
  description: z.string().optional(),
  default: z.unknown().optional(),
  optional: z.boolean().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().optional(),
  values: z.array(z.string()).optional(),
  multi: z.boolean().optional(),
  widget: z.string().optional(),
  accept: z.array(z.string()).optional(),
  get placeholders() {
    return InputSpecSchema.omit({ placeholders: true }).optional();
  },
});
export const NodeTypeInfo = named(
  'NodeType',
  z.object({
    type: z.string(),
    version: z.int(),
    title: z.string(),
    category: z.string(),
    description: z.string(),
    docs: z.string().optional(),
    inputs: z.record(z.string(), InputSpecSchema),
    outputs: z.record(z.string(), z.object({ type: z.string(), description: z.string().optional() })),
    resource: z.enum(['cpu', 'gpu']),
    cache: z.enum(['deterministic', 'volatile', 'fingerprint']),
    retry: z.object({ attempts: z.int(), backoffMs: z.number().optional() }).optional(),
    control: z.enum(['subgraph', 'loop']).optional(),
    dynamicPorts: z.boolean().describe('ports depend on the node instance: subgraph and loop bodies, template placeholders'),
    migrations: z.array(z.object({ from: z.int(), description: z.string() })),
  }),
);
export const NodeTypeList = named('NodeTypeList', z.object({ items: z.array(NodeTypeInfo) }));

// ── artifacts ───────────────────────────────────────────────────────────────────────────
export const ArtifactRefSchema = named(
  'ArtifactRef',
  z.looseObject({
    $artifact: z.string().regex(/^[0-9a-f]{64}$/).describe('sha256 of the bytes'),
    mime: z.string(),
    size: z.int(),
    name: z.string().optional(),
    width: z.int().optional(),
    height: z.int().optional(),
  }),
);
export const UploadQuery = z.object({ name: z.string().max(255).optional() });
export const HashParams = z.object({ hash: z.string() });
export const ThumbnailQuery = z.object({ size: z.enum(['64', '128', '256', '512']).optional() });

// ── models ──────────────────────────────────────────────────────────────────────────────
export const ModelFileParams = z.object({ file: z.string() });
export const ModelList = named(
  'ModelList',
  z.object({
    items: z.array(
      z.object({
        id: z.string(),
        role: z.enum(['detector', 'embedder']),
        file: z.string(),
        size: z.int(),
        sha256: z.string(),
        licence: z.string(),
        commercial: z.boolean(),
        state: z.enum(['missing', 'verified', 'mismatch']),
      }),
    ),
  }),
);
export const UrlKey = named(
  'UrlKey',
  z.object({
    exp: z.int().describe('unix seconds: URLs signed with this key expire then'),
    key: z.string().describe('hex HMAC key; sign as `sig = hex(HMAC-SHA256(key, "<resource>\\n<exp>"))`'),
    ttlS: z.int().describe('the key\'s lifetime; fetch a new one before it runs out'),
  }),
  'Signs URLs that browsers load without headers. Artifacts: `/api/artifacts/<hash>[/thumbnail|/meta]?exp=<exp>&sig=<sig>`, resource `artifact:<hash>`. Model files: `/api/models/s.<exp>.<sig>/<file>`, resource `models`.',
);

// ── runs ────────────────────────────────────────────────────────────────────────────────
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export const NODE_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'cached', 'skipped', 'cancelled', 'bypassed', 'muted'] as const;

export const NodeFailureSchema = named(
  'NodeFailure',
  z.object({
    message: z.string(),
    errorClass: z.enum(['user', 'config', 'resource', 'transient', 'internal']),
    retryable: z.boolean(),
    path: z.string().optional(),
    nodePath: z.string().optional(),
  }),
);

/**
 * A run's inline graph is checked by the engine's loader, not by zod here: the loader migrates older documents,
 * has a fast path (zod costs several times a sha256 per node) and words its errors for people. The OpenAPI
 * document still describes it as a GraphDocument (see openapi.ts).
 */
export const GraphArgument = z.record(z.string(), z.unknown()).describe('an inline graph document (GraphDocument)');

export const RunCreateBody = named(
  'RunCreate',
  z
    .strictObject({
      graph: GraphArgument.optional(),
      graphId: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}(@\d{1,9})?$/, 'a library id, optionally with `@revision`')
        .optional()
        .describe('a library graph, `id` or `id@revision`'),
      inputs: z.record(z.string(), z.unknown()).default({}).describe('values of the graph\'s exposed inputs by name; files as `{"$artifact": "<sha256>"}` after an upload'),
      targets: z.array(z.string().regex(NODE_ID_PATTERN, 'a node id')).min(1).optional().describe('run only these nodes and what they need'),
      seeds: z.record(z.string(), z.int().min(0)).optional().describe('seeds to replay, keyed `nodePath.port` (a run record\'s `seeds`)'),
      priority: z.int().min(-1000).max(1000).default(0).describe('higher runs first; equal priorities run in submission order'),
      idempotencyKey: z.string().min(1).max(200).optional().describe('or the `Idempotency-Key` header: a repeated key answers with the first run'),
      webhook: z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(2000) }).optional().describe('POSTed (signed) when the run ends'),
    })
    .refine((b) => (b.graph === undefined) !== (b.graphId === undefined), { message: 'give exactly one of `graph` or `graphId`', path: ['graph'] }),
);
export const RunPriorityBody = named('RunPriority', z.strictObject({ priority: z.int().min(-1000).max(1000) }));
export const RunAccepted = named('RunAccepted', z.object({ runId: z.string(), status: z.enum(RUN_STATUSES), deduplicated: z.boolean() }));

export const NodeRecordSchema = named(
  'NodeRecord',
  z.object({
    nodeId: z.string(),
    nodeType: z.string(),
    status: z.enum(NODE_STATUSES),
    attempts: z.int(),
    key: z.string().optional(),
    startedAt: z.number().optional().describe('ms since epoch'),
    endedAt: z.number().optional(),
    durationMs: z.number().optional(),
    progress: z.number().optional(),
    outputs: z.record(z.string(), z.unknown()).optional(),
    error: NodeFailureSchema.optional(),
    reason: z.string().optional(),
  }),
);

export const WebhookDelivery = z.object({
  attempt: z.int(),
  at: isoTime,
  status: z.int().optional().describe('HTTP status the receiver answered'),
  error: z.string().optional(),
  durationMs: z.number(),
  retryInMs: z.number().optional().describe('the backoff before the next attempt, when this one is retried'),
});
export const RunRecordSchema = named(
  'RunRecord',
  z.object({
    runId: z.string(),
    status: z.enum(RUN_STATUSES),
    graph: z.object({ source: z.enum(['inline', 'library']), id: z.string(), revision: z.int().optional(), name: z.string() }),
    createdAt: isoTime,
    startedAt: isoTime.optional(),
    endedAt: isoTime.optional(),
    durationMs: z.number().optional(),
    priority: z.int(),
    idempotencyKey: z.string().optional(),
    inputs: z.record(z.string(), z.unknown()),
    targets: z.array(z.string()).optional(),
    seeds: z.record(z.string(), z.number()),
    nodes: z.record(z.string(), NodeRecordSchema).describe('by node path'),
    outputs: z.record(z.string(), z.unknown()).optional(),
    error: NodeFailureSchema.optional(),
    executions: z.int().describe('1, plus one per resume'),
    lastSeq: z.int().describe('sequence number of the last event'),
    webhook: z
      .object({ url: z.string(), state: z.enum(['pending', 'delivered', 'failed']), deliveries: z.array(WebhookDelivery) })
      .optional(),
  }),
);
export const RunList = named('RunList', z.object({ items: z.array(RunRecordSchema), total: z.int() }));
export const RunListQuery = z.object({
  status: z.union([z.enum(RUN_STATUSES), z.array(z.enum(RUN_STATUSES))]).optional(),
  graphId: z.string().max(200).optional(),
  since: z.iso.datetime().optional().describe('created at or after'),
  limit: queryInt(1, 500).optional(),
  offset: queryInt(0, 1_000_000).optional(),
});
export const RunIdParams = z.object({ id: z.string() });
/** A graph output's name, or `nodePath.port` for any node's output (port names have no dot, so the last one splits). */
export const RunOutputParams = z.object({
  id: z.string(),
  name: z
    .string()
    .regex(new RegExp(`^(?:[A-Za-z0-9_][A-Za-z0-9_./-]{0,1000}\\.)?${PORT_NAME_PATTERN.source.slice(1)}`), 'a graph output name, or `nodePath.port` for a node\'s output')
    .describe('a graph output name, or `nodePath.port` (e.g. `resize.image`) for a node\'s output'),
});
export const RunOutputQuery = z.object({ index: queryInt(0, 1_000_000).optional().describe('which file of an output that is a list of files, from 0') });
export const RunEventsQuery = z.object({ after: queryInt(0, Number.MAX_SAFE_INTEGER).optional() });
export const SeqEventSchema = named(
  'RunEventMessage',
  z.object({
    type: z.literal('event'),
    runId: z.string(),
    seq: z.int().min(1).describe('per-run, gapless, starting at 1'),
    nodePath: z.string().optional(),
    event: z.looseObject({ type: z.string(), runId: z.string(), ts: z.number() }).describe('a RunEvent (runtime/engine/events.ts) or run.interrupted'),
  }),
);
export const RunEventList = named('RunEventList', z.object({ items: z.array(SeqEventSchema), lastSeq: z.int() }));

export const QueueState = named(
  'QueueState',
  z.object({ paused: z.boolean(), running: z.array(z.string()), queued: z.array(z.string()), concurrency: z.int() }),
);

// ── WebSocket client messages (/api/events) ──────────────────────────────────────────────
export const WsClientMessage = named(
  'WsClientMessage',
  z
    .strictObject({
      type: z.enum(['subscribe', 'unsubscribe']),
      runId: z.string().max(100).optional().describe('one run'),
      all: z.literal(true).optional().describe('every run, live events only'),
      afterSeq: z.int().min(0).optional().describe('replay the run\'s events after this sequence number first'),
    })
    .refine((m) => (m.runId === undefined) !== (m.all === undefined), { message: 'give exactly one of `runId` or `all`', path: ['runId'] }),
);
