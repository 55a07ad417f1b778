/**
 * Artifacts: streaming upload (capped), download by content hash with HTTP range requests (so video
 * players can seek), and image thumbnails. Downloads are sandboxed by CSP so an uploaded HTML or SVG
 * file cannot run script in the studio's origin.
 */
import { Router, type Request } from 'express';
import { ArtifactTooLargeError } from '../../runtime/store/artifact-store.ts';
import type { ArtifactService } from '../artifacts.ts';
import { ApiError } from '../http/errors.ts';
import { artifactResource, type UrlSigner } from '../http/signed-urls.ts';
import { parseWith } from '../http/validate.ts';
import { HashParams, ThumbnailQuery, UploadQuery } from '../../runtime/api/schemas.ts';

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
/** Types a browser may show inline; everything else downloads as an attachment. */
const INLINE = /^(image\/(png|jpeg|webp|gif|avif)|video\/|audio\/|application\/json$|text\/plain$)/;

/** How a file is served: its type, shown inline only when a browser may, sandboxed so it cannot run script here. */
export function fileHeaders(mime: string, filename: string): Record<string, string> {
  return {
    'Content-Type': mime,
    'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self'; media-src 'self'",
    'Content-Disposition': `${INLINE.test(mime) ? 'inline' : 'attachment'}; filename="${filename.replace(/[^\w.-]+/g, '_')}"`,
  };
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → inclusive range; multi-range requests get the whole file (allowed by RFC 9110). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const [, a, b] = m;
  if (a === '' && b === '') return undefined;
  let start: number;
  let end: number;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

export function artifactRoutes(artifacts: ArtifactService, maxUploadBytes: number, signer: UrlSigner): Router {
  const r = Router();

  r.post('/artifacts', async (req: Request, res) => {
    const { name } = parseWith(UploadQuery, req.query, 'query');
    const mime = (req.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    if (!MIME.test(mime)) throw new ApiError('validation_failed', 'invalid Content-Type', [{ path: 'headers.content-type', message: 'a media type such as image/png' }]);
    const declared = Number(req.get('content-length') ?? NaN);
    res.set('Connection', 'close'); // an upload refused half-way must not leave its remaining bytes on a kept-alive socket
    if (declared > maxUploadBytes) throw new ApiError('payload_too_large', `the upload is larger than the limit of ${maxUploadBytes} bytes`);
    let ref;
    try {
      ref = await artifacts.store.putStream(req, { mime, ...(name ? { name } : {}) }, maxUploadBytes);
    } catch (err) {
      if (err instanceof ArtifactTooLargeError) throw new ApiError('payload_too_large', `the upload is larger than the limit of ${maxUploadBytes} bytes`);
      throw err;
    }
    res.removeHeader('Connection');
    res.status(201).location(`/api/artifacts/${ref.$artifact}`).json((await artifacts.describe(ref.$artifact)) ?? ref);
  });

  r.get('/artifacts/:hash/meta', async (req, res) => {
    const { hash } = parseWith(HashParams, req.params, 'params');
    const ref = await artifacts.describe(hash);
    if (!ref) throw new ApiError('not_found', `artifact ${JSON.stringify(hash.slice(0, 80))} does not exist`);
    res.json(ref);
  });

  r.get('/artifacts/:hash/thumbnail', async (req, res) => {
    const { hash } = parseWith(HashParams, req.params, 'params');
    const { size } = parseWith(ThumbnailQuery, req.query, 'query');
    const thumb = await artifacts.thumbnail(hash, Number(size ?? 256));
    // A signed request (verified by the guard) is redirected to a URL signed for the thumbnail, expiring no later.
    const exp = typeof req.query.exp === 'string' && req.query.sig ? Number(req.query.exp) : undefined;
    res.redirect(302, `/api/artifacts/${thumb.$artifact}${exp ? `?exp=${exp}&sig=${signer.sign(artifactResource(thumb.$artifact), exp)}` : ''}`);
  });

  r.get('/artifacts/:hash', async (req, res) => {
    const { hash } = parseWith(HashParams, req.params, 'params');
    const ref = await artifacts.describe(hash);
    if (!ref) throw new ApiError('not_found', `artifact ${JSON.stringify(hash.slice(0, 80))} does not exist`);
    const size = await artifacts.store.size(hash);
    res.set({
      ...fileHeaders(ref.mime, ref.name ?? hash.slice(0, 16)),
      'Accept-Ranges': 'bytes',
      ETag: `"${hash}"`,
      'Cache-Control': 'private, max-age=31536000, immutable',
    });
    if (req.get('if-none-match') === `"${hash}"`) return void res.status(304).end();
    const range = req.get('if-range') && req.get('if-range') !== `"${hash}"` ? undefined : parseRange(req.get('range'), size);
    if (range === 'unsatisfiable') {
      res.set('Content-Range', `bytes */${size}`);
      throw new ApiError('range_not_satisfiable', `the range ${req.get('range')} is outside the ${size}-byte artifact`);
    }
    if (range) res.status(206).set({ 'Content-Range': `bytes ${range.start}-${range.end}/${size}`, 'Content-Length': String(range.end - range.start + 1) });
    else res.set('Content-Length', String(size));
    if (req.method === 'HEAD') return void res.end();
    const stream = artifacts.store.stream(hash, range);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });

  return r;
}
