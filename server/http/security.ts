/**
 * Request guards: bearer token (constant-time compare), Host-header check against DNS rebinding while
 * bound to loopback without a token, closed-by-default CORS, and response headers that keep
 * browsers from sniffing or framing what the API returns.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { ApiError } from './errors.ts';

const LOCAL_HOST_HEADER = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/i;

export interface SecurityOptions {
  token?: string;
  corsOrigins: string[];
  /** Bound to loopback: only Host headers naming loopback are served. */
  loopback: boolean;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** The token a request carries: `Authorization: Bearer …`, or `?token=` where headers cannot be set (WebSocket, <img>). */
export function requestToken(req: IncomingMessage, allowQuery: boolean): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  if (!allowQuery) return undefined;
  try {
    return new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? undefined;
  } catch {
    return undefined; // an unparsable request line carries no token
  }
}

export function tokenMatches(expected: string, given: string | undefined): boolean {
  return given !== undefined && timingSafeEqual(digest(expected), digest(given));
}

/** Checks what every request (HTTP or WebSocket upgrade) must satisfy; returns the error to answer with, if any. */
export function checkRequest(req: IncomingMessage, o: SecurityOptions, allowQueryToken: boolean): ApiError | undefined {
  if (o.loopback && !o.token && !LOCAL_HOST_HEADER.test(req.headers.host ?? ''))
    return new ApiError('forbidden', 'this server is bound to localhost and only answers requests addressed to localhost');
  if (o.token && !tokenMatches(o.token, requestToken(req, allowQueryToken)))
    return new ApiError('unauthorized', 'missing or wrong bearer token (send `Authorization: Bearer <token>`)');
  return undefined;
}

/** Browser origins allowed to open WebSockets: the server's own, plus the CORS list. */
export function originAllowed(req: IncomingMessage, o: SecurityOptions): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (o.corsOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' });
    next();
  };
}

export function cors(o: SecurityOptions): RequestHandler {
  const allowed = new Set(o.corsOrigins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      res.set({
        'Access-Control-Allow-Origin': origin,
        Vary: 'Origin',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, Idempotency-Key, Range',
        'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, DELETE, OPTIONS',
        'Access-Control-Expose-Headers': 'Content-Range, Accept-Ranges, Content-Length, ETag, Idempotent-Replayed',
        'Access-Control-Max-Age': '600',
      });
      if (req.method === 'OPTIONS') return void res.status(204).end();
    } else if (req.method === 'OPTIONS' && origin) return next(new ApiError('forbidden', `origin ${origin} is not allowed (CASTGRAPH_CORS_ORIGINS)`));
    next();
  };
}

export function guard(o: SecurityOptions): RequestHandler {
  return (req, _res, next) => {
    if (req.method === 'OPTIONS') return next();
    const allowQuery = (req.method === 'GET' || req.method === 'HEAD') && (req.baseUrl + req.path).startsWith('/api/artifacts/');
    next(checkRequest(req, o, allowQuery));
  };
}

/** JSON endpoints refuse other body types with 415 instead of silently seeing an empty body. */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) return next(new ApiError('unsupported_media_type', 'send the body as JSON (`Content-Type: application/json`)'));
  next();
};
