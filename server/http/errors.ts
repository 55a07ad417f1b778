/**
 * The one error shape every API response uses: `{error: {code, message, issues: [{path, message}]}}`.
 * Internal failures are logged server-side and answered with a generic message, so clients never see stack traces.
 */
import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import { formatPath } from '../../runtime/graph/document.ts';

export interface ApiIssue {
  path: string;
  message: string;
}

export type ErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'validation_failed'
  | 'invalid_graph'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'range_not_satisfiable'
  | 'unsupported_media_type'
  | 'queue_full'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  invalid_graph: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  range_not_satisfiable: 416,
  unsupported_media_type: 415,
  queue_full: 429,
  internal: 500,
};

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = STATUS[code];
  }
}

export const notFound = (what: string, id: string): ApiError => new ApiError('not_found', `${what} ${JSON.stringify(id)} does not exist`);

/** zod issues → `{path, message}` with JSON paths (`body.nodes[3].inputs`), prefixed by where the value came from. */
export function zodIssues(error: z.ZodError, prefix = ''): ApiIssue[] {
  return error.issues.map((i) => {
    const path = formatPath([...(prefix ? [prefix] : []), ...i.path]);
    return { path, message: i.message };
  });
}

export function errorBody(err: ApiError): { error: { code: string; message: string; issues: ApiIssue[] } } {
  return { error: { code: err.code, message: err.message, issues: err.issues } };
}

/** Maps body-parser's errors (malformed JSON, oversized bodies) and everything else to the API error shape. */
export function errorHandler(log: (msg: string, err: unknown) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const api = toApiError(err);
    if (api.status >= 500) log(`${req.method} ${req.path} failed`, err);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(api.status).json(errorBody(api));
  };
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { type?: string; status?: number; limit?: number; name?: string };
  if (e?.type === 'entity.parse.failed') return new ApiError('invalid_json', 'the request body is not valid JSON');
  if (e?.type === 'entity.too.large' || e?.name === 'ArtifactTooLargeError')
    return new ApiError('payload_too_large', `the request body is larger than the limit of ${e.limit} bytes`);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return new ApiError('unsupported_media_type', 'unsupported body encoding');
  if (e?.type === 'request.aborted') return new ApiError('bad_request', 'the request was aborted');
  return new ApiError('internal', 'internal server error');
}
