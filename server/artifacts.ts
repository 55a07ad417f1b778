/**
 * Server-side artifact helpers: the full reference for a hash (pixel size read from the image header
 * when the stored metadata lacks it), references in run inputs completed from the store, and thumbnails
 * made with sharp and stored as artifacts themselves (an index file per source maps size → thumbnail hash).
 */
import { join } from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import type { ArtifactRef } from '../runtime/graph/node-definition.ts';
import { ArtifactStore } from '../runtime/store/artifact-store.ts';
import { ApiError, type ApiIssue } from './http/errors.ts';
import { readJson, writeJsonAtomic } from '../runtime/store/atomic-file.ts';

/** Thumbnails decode at most this many pixels by default (the ingest's limit): about 256 MB of RGBA per request. */
export const THUMBNAIL_MAX_PIXELS = 64_000_000;

export class ArtifactService {
  readonly #thumbs: string;
  readonly #maxPixels: number;
  /** Per source hash: thumbnail requests of different sizes update one index file, so they take turns. */
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(
    readonly store: ArtifactStore,
    dataDir: string,
    options: { thumbnailMaxPixels?: number } = {},
  ) {
    this.#thumbs = join(dataDir, 'thumbnails');
    this.#maxPixels = options.thumbnailMaxPixels ?? THUMBNAIL_MAX_PIXELS;
  }

  /** The reference for a stored hash, or undefined when there is no such artifact. */
  async describe(hash: string): Promise<ArtifactRef | undefined> {
    if (!ArtifactStore.isHash(hash) || !(await this.store.has(hash))) return undefined;
    const meta = (await this.store.meta(hash)) ?? { $artifact: hash, mime: 'application/octet-stream', size: await this.store.size(hash) };
    if (meta.mime.startsWith('image/') && meta.width === undefined) {
      const m = await sharp(this.store.path(hash))
        .metadata()
        .catch(() => undefined);
      if (m?.width && m.height) return { ...meta, width: m.width, height: m.height };
    }
    return meta;
  }

  /** Replaces `{"$artifact": hash}` values in run inputs (top level and in lists) with full references; unknown hashes are 400s. */
  async resolveInputs(inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const issues: ApiIssue[] = [];
    const fix = async (v: unknown, path: string): Promise<unknown> => {
      if (Array.isArray(v)) return Promise.all(v.map((x, i) => fix(x, `${path}[${i}]`)));
      if (typeof v !== 'object' || v === null || !('$artifact' in v)) return v;
      const hash = (v as { $artifact: unknown }).$artifact;
      const ref = typeof hash === 'string' ? await this.describe(hash) : undefined;
      if (!ref) issues.push({ path, message: `no artifact with hash ${JSON.stringify(hash)}: upload it first (POST /api/artifacts)` });
      return ref ?? v;
    };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(inputs)) out[k] = await fix(v, `body.inputs.${k}`);
    if (issues.length) throw new ApiError('validation_failed', issues[0]!.message, issues);
    return out;
  }

  /** A WebP thumbnail at most `size` px on its longer side, made once and kept as an artifact. */
  async thumbnail(hash: string, size: number): Promise<ArtifactRef> {
    const ref = await this.describe(hash);
    if (!ref) throw new ApiError('not_found', `artifact ${hash} does not exist`);
    if (!ref.mime.startsWith('image/')) throw new ApiError('unsupported_media_type', `artifact ${hash} is ${ref.mime}, not an image: no thumbnail`);
    if (ref.width && ref.height && ref.width * ref.height > this.#maxPixels)
      throw new ApiError('payload_too_large', `artifact ${hash} is ${ref.width}×${ref.height} px, over the thumbnail limit of ${this.#maxPixels} pixels (thumbnailMaxPixels)`);
    return this.#locked(hash, async () => {
      const indexFile = join(this.#thumbs, hash.slice(0, 2), `${hash}.json`);
      const index = (await readJson<Record<string, string>>(indexFile).catch(() => undefined)) ?? {};
      const known = index[size];
      if (known && (await this.store.has(known))) return (await this.describe(known))!;
      let out: { data: Buffer; info: OutputInfo };
      try {
        // The limit holds even where the header check above could not run (no size known).
        out = await sharp(this.store.path(hash), { limitInputPixels: this.#maxPixels })
          .rotate()
          .resize(size, size, { fit: 'inside', withoutEnlargement: true })
          .webp({ quality: 80 })
          .toBuffer({ resolveWithObject: true });
      } catch (err) {
        throw new ApiError('unsupported_media_type', `artifact ${hash} could not be decoded as an image: ${(err as Error).message}`);
      }
      const thumb = await this.store.put(out.data, { mime: 'image/webp', name: `thumb-${size}.webp`, width: out.info.width, height: out.info.height });
      await writeJsonAtomic(indexFile, { ...index, [size]: thumb.$artifact });
      return thumb;
    });
  }

  #locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = (this.#locks.get(key) ?? Promise.resolve()).then(work);
    const tail = next.catch(() => undefined);
    this.#locks.set(key, tail);
    void tail.then(() => this.#locks.get(key) === tail && this.#locks.delete(key));
    return next;
  }
}
