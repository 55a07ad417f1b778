/**
 * The server's REST API as the editor uses it. Errors come back as `ApiFailure` carrying the
 * server's message and HTTP status (409 on a revision conflict), never a stack trace.
 */
import type { GraphDocument } from '../../../runtime/graph/document.ts';
import type { ArtifactRef } from '../../../runtime/graph/node-definition.ts';
import type { NodeTypeInfo } from '../model/node-types.ts';

export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export interface GraphSummary {
  id: string;
  name: string;
  description?: string;
  tags: string[];
  nodeCount: number;
  revision?: number;
  updatedAt?: string;
}

export interface RevisionInfo {
  revision: number;
  savedAt: string;
  message?: string;
  restoredFrom?: number;
}

export interface SavedGraph {
  entry: GraphSummary & { revisions?: RevisionInfo[] };
  document: GraphDocument;
}

export interface NodeRecord {
  nodeId: string;
  status: string;
  outputs?: Record<string, unknown>;
  error?: { message: string; errorClass?: string; retryable?: boolean };
  durationMs?: number;
  reason?: string;
}

export interface RunRecord {
  runId: string;
  status: string;
  graph: { source: 'inline' | 'library'; id: string; revision?: number; name: string };
  createdAt: string;
  durationMs?: number;
  outputs?: Record<string, unknown>;
  nodes: Record<string, NodeRecord>;
  error?: { message: string };
}

type Items<T> = { items: T[] };

export class Api {
  constructor(readonly base = '') {}

  async #call<T>(method: string, path: string, body?: unknown, raw?: BodyInit, contentType?: string): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (contentType) headers['content-type'] = contentType;
    const res = await fetch(`${this.base}${path}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const text = await res.text();
    const json = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const err = (json as { error?: { message?: string } | string; message?: string } | undefined);
      const message = typeof err?.error === 'string' ? err.error : (err?.error?.message ?? err?.message ?? `${method} ${path}: HTTP ${res.status}`);
      throw new ApiFailure(message, res.status, json);
    }
    return json as T;
  }

  async nodeTypes(): Promise<NodeTypeInfo[]> {
    const res = await this.#call<NodeTypeInfo[] | { items: NodeTypeInfo[] }>('GET', '/api/node-types');
    return Array.isArray(res) ? res : res.items;
  }

  listGraphs(): Promise<GraphSummary[]> {
    return this.#call<Items<GraphSummary>>('GET', '/api/graphs?sort=updated&order=desc').then((r) => r.items);
  }

  getGraph(id: string): Promise<SavedGraph> {
    return this.#call('GET', `/api/graphs/${encodeURIComponent(id)}`);
  }

  getRevision(id: string, revision: number): Promise<{ revision: RevisionInfo; document: GraphDocument }> {
    return this.#call('GET', `/api/graphs/${encodeURIComponent(id)}/revisions/${revision}`);
  }

  createGraph(document: GraphDocument): Promise<SavedGraph> {
    return this.#call('POST', '/api/graphs', { document });
  }

  /** Saves a revision; 409 when `baseRevision` is no longer the newest (another tab saved). */
  updateGraph(id: string, document: GraphDocument, baseRevision?: number, message?: string): Promise<SavedGraph> {
    return this.#call('PUT', `/api/graphs/${encodeURIComponent(id)}`, { document, baseRevision, message });
  }

  restoreRevision(id: string, revision: number): Promise<SavedGraph> {
    return this.#call('POST', `/api/graphs/${encodeURIComponent(id)}/revisions/${revision}/restore`);
  }

  listTemplates(): Promise<GraphSummary[]> {
    return this.#call<Items<GraphSummary>>('GET', '/api/templates').then((r) => r.items);
  }

  getTemplate(id: string): Promise<GraphDocument> {
    return this.#call('GET', `/api/templates/${encodeURIComponent(id)}`);
  }

  startRun(graph: GraphDocument, targets?: string[]): Promise<{ runId: string }> {
    return this.#call('POST', '/api/runs', { graph, ...(targets ? { targets } : {}) });
  }

  cancelRun(runId: string): Promise<unknown> {
    return this.#call('POST', `/api/runs/${encodeURIComponent(runId)}/cancel`);
  }

  getRun(runId: string): Promise<RunRecord> {
    return this.#call('GET', `/api/runs/${encodeURIComponent(runId)}`);
  }

  listRuns(): Promise<RunRecord[]> {
    return this.#call<Items<RunRecord>>('GET', '/api/runs?limit=50').then((r) => r.items);
  }

  upload(file: File): Promise<ArtifactRef> {
    return this.#call('POST', `/api/artifacts?name=${encodeURIComponent(file.name)}`, undefined, file, file.type || 'application/octet-stream');
  }

  artifactUrl = (ref: { $artifact: string }): string => `${this.base}/api/artifacts/${ref.$artifact}`;

  eventsUrl(): string {
    const loc = globalThis.location;
    const origin = this.base || `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}`;
    return `${origin.replace(/^http/, 'ws')}/api/events`;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 300) };
  }
}
