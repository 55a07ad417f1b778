/**
 * Request guards: bearer token (constant-time compare), Host-header check against DNS rebinding while
 * bound to loopback without a token, origin check against cross-site request forgery, closed-by-default CORS, and response headers that keep
 * browsers from sniffing or framing what the API returns.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { ApiError } from './errors.ts';
import { artifactResource, MODELS_RESOURCE, SIGNED_MODEL_PATH, type UrlSigner } from './signed-urls.ts';

const LOCAL_HOST_HEADER = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/i;

export interface SecurityOptions {
  token?: string;
  corsOrigins: string[];
  /** Bound to loopback: only Host headers naming loopback are served. */
  loopback: boolean;
  /** Verifies signed artifact and model URLs, accepted in place of the token on reads. */
  signer?: UrlSigner;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** The token a request carries: `Authorization: Bearer …`, or `?token=` where headers cannot be set (WebSocket upgrades). */
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

/**
 * Checks what every request (HTTP or WebSocket upgrade) must satisfy; returns the error to answer with, if any.
 * `signed`: the URL's signature was verified, which stands in for the token.
 */
export function checkRequest(req: IncomingMessage, o: SecurityOptions, allowQueryToken: boolean, signed = false): ApiError | undefined {
  if (o.loopback && !o.token && !LOCAL_HOST_HEADER.test(req.headers.host ?? ''))
    return new ApiError('forbidden', 'this server is bound to localhost and only answers requests addressed to localhost');
  if (o.token && !signed && !tokenMatches(o.token, requestToken(req, allowQueryToken)))
    return new ApiError('unauthorized', 'missing or wrong bearer token (send `Authorization: Bearer <token>`)');
  return undefined;
}

/**
 * Whether a browser request comes from a page allowed to act on this server: its own origin or one in the
 * CORS list. Requests without Origin (CLI, scripts, same-origin GETs) pass unless the browser marks them cross-site.
 */
export function originAllowed(req: IncomingMessage, o: SecurityOptions): boolean {
  const origin = req.headers.origin;
  if (!origin) return req.headers['sec-fetch-site'] !== 'cross-site';
  if (o.corsOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false; // `Origin: null` (sandboxed frames, file://) included
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

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Token and Host checks, and against cross-site request forgery: a state-changing request from another
 * site's page (a form POST or a no-cors fetch needs no preflight) is refused, token or not.
 */
export function guard(o: SecurityOptions): RequestHandler {
  return (req, _res, next) => {
    if (req.method === 'OPTIONS') return next();
    if (!SAFE_METHODS.has(req.method) && !originAllowed(req, o))
      return next(new ApiError('forbidden', `cross-site ${req.method} refused: origin ${req.headers.origin ?? '(cross-site)'} is neither this server nor in corsOrigins (CASTGRAPH_CORS_ORIGINS)`));
    let signed = false;
    try {
      signed = (req.method === 'GET' || req.method === 'HEAD') && o.signer !== undefined && signedRead(req, o.signer);
    } catch (err) {
      return next(err);
    }
    next(checkRequest(req, o, false, signed));
  };
}

const SIGNABLE_ARTIFACT = /^\/artifacts\/([0-9a-f]{64})(?:\/thumbnail|\/meta)?$/;
const forbiddenSignature = () => new ApiError('forbidden', 'the signed URL has expired or is not valid: get a fresh URL key (GET /api/url-key)');

/**
 * Whether a read (below /api) carries a valid URL signature; throws for a signature that does not verify.
 * A signed model path is rewritten to the plain model route.
 */
function signedRead(req: Request, signer: UrlSigner): boolean {
  const model = SIGNED_MODEL_PATH.exec(req.path);
  if (model) {
    if (!signer.verify(MODELS_RESOURCE, model[1], model[2])) throw forbiddenSignature();
    req.url = `/models/${model[3]}`;
    return true;
  }
  const artifact = SIGNABLE_ARTIFACT.exec(req.path);
  const { exp, sig } = req.query;
  if (!artifact || (exp === undefined && sig === undefined)) return false;
  if (!signer.verify(artifactResource(artifact[1]!), typeof exp === 'string' ? exp : undefined, typeof sig === 'string' ? sig : undefined)) throw forbiddenSignature();
  return true;
}

const isJsonType = (type: string | undefined): boolean => type?.split(';')[0]!.trim().toLowerCase() === 'application/json';

/**
 * JSON endpoints refuse other body types with 415 instead of silently seeing an empty body. A bodiless POST
 * may omit the type (the client's `cancel`, `pause`…), but one declaring a form or text type is what an HTML
 * form sends: refused too.
 */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const type = req.headers['content-type'];
  if ((hasBody || (req.method === 'POST' && type !== undefined)) && !isJsonType(type)) return next(new ApiError('unsupported_media_type', 'send the body as JSON (`Content-Type: application/json`)'));
  next();
};
