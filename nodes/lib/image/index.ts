/**
 * Shared sharp plumbing for the `image.*` nodes: open an incoming ArtifactRef, encode a pipeline into
 * the artifact store with its pixel size, parse colours. Errors name the input they are about.
 */
import sharp, { type Sharp, type Metadata } from 'sharp';
import { isArtifactRef, NodeError, type ArtifactRef, type RunContext } from '../../../runtime/graph/node-definition.ts';
import { describe } from '../../../runtime/graph/values.ts';

export const MAX_SIDE = 16_384;
export const OUTPUT_FORMATS = ['png', 'jpeg', 'webp'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const MIME: Record<OutputFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };
export const EXTENSION: Record<OutputFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

export interface OpenedImage {
  ref: ArtifactRef;
  image: Sharp;
  meta: Metadata;
}

/** Checks that `value` is a stored image and reads its header; `input` names the port in errors. */
export async function openImage(ctx: RunContext, value: unknown, input: string): Promise<OpenedImage> {
  if (!isArtifactRef(value)) throw new NodeError(`inputs.${input}: expected an image (an artifact reference), got ${describe(value)}`);
  if (!(await ctx.artifacts.has(value))) throw new NodeError(`inputs.${input}: artifact ${value.$artifact.slice(0, 12)}… is not in the artifact store`);
  // sharp's default pixel limit (268 Mpx) stays on: it refuses decompression bombs before decoding them.
  const image = sharp(ctx.artifacts.path(value), { failOn: 'error' });
  let meta: Metadata;
  try {
    meta = await image.metadata();
  } catch (err) {
    throw new NodeError(`inputs.${input}: not a readable image (${(err as Error).message})`, 'user', { cause: err });
  }
  return { ref: value, image, meta };
}

/** Width and height as seen after EXIF orientation (orientations 5-8 swap the sides). */
export function orientedSize(meta: Metadata): { width: number; height: number } {
  const swap = (meta.orientation ?? 1) >= 5;
  return { width: (swap ? meta.height : meta.width) ?? 0, height: (swap ? meta.width : meta.height) ?? 0 };
}

export interface EncodeOptions {
  format: OutputFormat;
  /** 1-100 for JPEG and WebP (100 makes WebP lossless); ignored for PNG. */
  quality?: number;
  /** Final files get maximum PNG compression; intermediates favour speed (they are lossless either way). */
  final?: boolean;
  name?: string;
}

/** Encodes `image` and stores it; the ref carries the mime type and pixel size. Stops early when the run is cancelled. */
export async function storeImage(ctx: RunContext, image: Sharp, opts: EncodeOptions): Promise<ArtifactRef> {
  ctx.signal.throwIfAborted();
  const encoded =
    opts.format === 'png'
      ? image.png({ compressionLevel: opts.final ? 9 : 3, adaptiveFiltering: opts.final ?? false })
      : opts.format === 'jpeg'
        ? image.jpeg({ quality: opts.quality ?? 90, mozjpeg: opts.final ?? false })
        : image.webp({ quality: opts.quality ?? 90, lossless: opts.quality === 100 });
  const { data, info } = await abortable(encoded.toBuffer({ resolveWithObject: true }), ctx.signal);
  return ctx.artifacts.put(data, { mime: MIME[opts.format], width: info.width, height: info.height, name: opts.name });
}

/** libvips work cannot be interrupted, but the node can stop waiting for it the moment the run is cancelled. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export interface Rgba {
  r: number;
  g: number;
  b: number;
  alpha: number;
}

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** `#rgb`, `#rrggbb` or `#rrggbbaa`. */
export function parseColor(value: unknown, input: string): Rgba {
  const match = typeof value === 'string' ? HEX.exec(value.trim()) : null;
  if (!match) throw new NodeError(`inputs.${input}: expected a colour like "#ff8800" or "#ff880080", got ${describe(value)}`);
  let hex = match[1]!;
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const byte = (i: number) => parseInt(hex.slice(i, i + 2), 16);
  return { r: byte(0), g: byte(2), b: byte(4), alpha: hex.length === 8 ? byte(6) / 255 : 1 };
}

export function requireSide(value: unknown, input: string, min: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > MAX_SIDE) {
    throw new NodeError(`inputs.${input}: expected a whole number of pixels from ${min} to ${MAX_SIDE}, got ${describe(value)}`);
  }
  return value as number;
}
