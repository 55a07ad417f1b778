/**
 * A typed client for the Castgraph HTTP API (fetch-based: works in browsers and Node). Errors come back
 * as `CastgraphApiError` carrying the server's code and field paths.
 */
import type { GraphDocument } from '../graph/document.ts';
import type {
  ApiErrorBody,
  ArtifactRefJson,
  GraphList,
  GraphListQuery,
  GraphWithDocument,
  NodeTypeInfo,
  QueueState,
  RevisionDocument,
  RevisionInfo,
  RunAccepted,
  RunCreate,
  RunList,
  RunListQuery,
  RunRecord,
  TemplateSummary,
  EventMessage,
} from './types.ts';

export class CastgraphApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'CastgraphApiError';
  }
}

export interface ClientOptions {
  /** e.g. `http://127.0.0.1:5177` */
  baseUrl: string;
  token?: string;
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | boolean | string[] | undefined>;
type Body = BodyInit | ReadableStream<Uint8Array> | Uint8Array;

export class CastgraphClient {
  readonly baseUrl: string;
  readonly token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  url(path: string, query?: Query): string {
    const u = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined) continue;
      for (const x of [v].flat()) u.searchParams.append(k, String(x));
    }
    return u.toString();
  }

  /** The raw response for a request (authorised); throws CastgraphApiError for error statuses. */
  async fetch(method: string, path: string, init: { query?: Query; json?: unknown; body?: Body; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: Body | undefined = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (body === undefined && method !== 'GET' && method !== 'HEAD') {
      headers['content-type'] = 'application/json'; // a bodiless action (cancel, pause) says what it is, as the server asks
    }
    const res = await this.#fetch(this.url(path, init.query), {
      method,
      headers,
      body: body as BodyInit | undefined,
      redirect: 'follow',
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    if (res.status >= 400) {
      const text = await res.text();
      let err: ApiErrorBody['error'] | undefined;
      try {
        err = (JSON.parse(text) as ApiErrorBody).error;
      } catch {
        /* not an API error body */
      }
      throw new CastgraphApiError(res.status, err?.code ?? 'http_error', err?.message ?? `${method} ${path} answered ${res.status}`, err?.issues ?? []);
    }
    return res;
  }

  async #json<T>(method: string, path: string, init: { query?: Query; json?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
    const res = await this.fetch(method, path, init);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  openapi(): Promise<Record<string, unknown>> {
    return this.#json('GET', '/api/openapi.json');
  }
  async nodeTypes(): Promise<NodeTypeInfo[]> {
    return (await this.#json<{ items: NodeTypeInfo[] }>('GET', '/api/node-types')).items;
  }

  // ── library ──
  listGraphs(query: GraphListQuery = {}): Promise<GraphList> {
    return this.#json('GET', '/api/graphs', { query: query as Query });
  }
  getGraph(id: string): Promise<GraphWithDocument> {
    return this.#json('GET', `/api/graphs/${encodeURIComponent(id)}`);
  }
  createGraph(document: GraphDocument, opts: { id?: string; message?: string } = {}): Promise<GraphWithDocument> {
    return this.#json('POST', '/api/graphs', { json: { document, ...opts } });
  }
  updateGraph(id: string, document: GraphDocument, opts: { message?: string; baseRevision?: number } = {}): Promise<GraphWithDocument> {
    return this.#json('PUT', `/api/graphs/${encodeURIComponent(id)}`, { json: { document, ...opts } });
  }
  deleteGraph(id: string): Promise<void> {
    return this.#json('DELETE', `/api/graphs/${encodeURIComponent(id)}`);
  }
  exportGraph(id: string): Promise<GraphDocument> {
    return this.#json('GET', `/api/graphs/${encodeURIComponent(id)}/export`);
  }
  importGraph(document: unknown, id?: string): Promise<GraphWithDocument> {
    return this.#json('POST', '/api/graphs/import', { json: document, query: { id } });
  }
  async revisions(id: string): Promise<RevisionInfo[]> {
    return (await this.#json<{ items: RevisionInfo[] }>('GET', `/api/graphs/${encodeURIComponent(id)}/revisions`)).items;
  }
  revision(id: string, rev: number): Promise<RevisionDocument> {
    return this.#json('GET', `/api/graphs/${encodeURIComponent(id)}/revisions/${rev}`);
  }
  restoreRevision(id: string, rev: number): Promise<GraphWithDocument> {
    return this.#json('POST', `/api/graphs/${encodeURIComponent(id)}/revisions/${rev}/restore`);
  }
  async templates(): Promise<TemplateSummary[]> {
    return (await this.#json<{ items: TemplateSummary[] }>('GET', '/api/templates')).items;
  }
  template(id: string): Promise<GraphDocument> {
    return this.#json('GET', `/api/templates/${encodeURIComponent(id)}`);
  }
  copyTemplate(id: string, opts: { id?: string; name?: string } = {}): Promise<GraphWithDocument> {
    return this.#json('POST', `/api/templates/${encodeURIComponent(id)}/copy`, { json: opts });
  }

  // ── runs ──
  submitRun(body: RunCreate, opts: { idempotencyKey?: string } = {}): Promise<RunAccepted> {
    return this.#json('POST', '/api/runs', { json: body, headers: opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {} });
  }
  getRun(runId: string): Promise<RunRecord> {
    return this.#json('GET', `/api/runs/${encodeURIComponent(runId)}`);
  }
  listRuns(query: RunListQuery = {}): Promise<RunList> {
    return this.#json('GET', '/api/runs', { query: query as Query });
  }
  /** The document the run executed, as it was submitted. */
  runGraph(runId: string): Promise<GraphDocument> {
    return this.#json('GET', `/api/runs/${encodeURIComponent(runId)}/graph`);
  }
  /**
   * An output file of a run: `name` is a graph output or `nodePath.port`, `index` picks one file of a list.
   * PNGs and MP4s come with the run's graph embedded (runtime/graph/png-metadata.ts, mp4-metadata.ts read it).
   */
  downloadRunOutput(runId: string, name: string, index?: number): Promise<Response> {
    return this.fetch('GET', `/api/runs/${encodeURIComponent(runId)}/outputs/${encodeURIComponent(name)}`, { query: { index } });
  }
  runEvents(runId: string, after = 0): Promise<{ items: EventMessage[]; lastSeq: number }> {
    return this.#json('GET', `/api/runs/${encodeURIComponent(runId)}/events`, { query: { after } });
  }
  cancelRun(runId: string): Promise<RunRecord> {
    return this.#json('POST', `/api/runs/${encodeURIComponent(runId)}/cancel`);
  }
  setRunPriority(runId: string, priority: number): Promise<RunRecord> {
    return this.#json('POST', `/api/runs/${encodeURIComponent(runId)}/priority`, { json: { priority } });
  }
  resumeRun(runId: string): Promise<RunRecord> {
    return this.#json('POST', `/api/runs/${encodeURIComponent(runId)}/resume`);
  }
  queue(): Promise<QueueState> {
    return this.#json('GET', '/api/queue');
  }
  pauseQueue(): Promise<QueueState> {
    return this.#json('POST', '/api/queue/pause');
  }
  resumeQueue(): Promise<QueueState> {
    return this.#json('POST', '/api/queue/resume');
  }

  // ── artifacts ──
  async uploadArtifact(body: Body, opts: { mime: string; name?: string }): Promise<ArtifactRefJson> {
    const res = await this.fetch('POST', '/api/artifacts', { body, query: { name: opts.name }, headers: { 'content-type': opts.mime } });
    return (await res.json()) as ArtifactRefJson;
  }
  artifactMeta(hash: string): Promise<ArtifactRefJson> {
    return this.#json('GET', `/api/artifacts/${encodeURIComponent(hash)}/meta`);
  }
  /** The artifact's bytes; `range` is inclusive (`{start: 0, end: 1023}`). */
  downloadArtifact(hash: string, range?: { start: number; end?: number }): Promise<Response> {
    return this.fetch('GET', `/api/artifacts/${encodeURIComponent(hash)}`, { headers: range ? { range: `bytes=${range.start}-${range.end ?? ''}` } : {} });
  }
  /**
   * An image's thumbnail (the server redirects to the stored thumbnail artifact; the token goes in the
   * header, never in a URL). Browsers build signed URLs instead: see `GET /api/url-key`.
   */
  downloadThumbnail(hash: string, size: 64 | 128 | 256 | 512 = 256): Promise<Response> {
    return this.fetch('GET', `/api/artifacts/${encodeURIComponent(hash)}/thumbnail`, { query: { size } });
  }
}
