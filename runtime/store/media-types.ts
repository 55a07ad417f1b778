/**
 * Media types and file extensions of artifacts, one table for every place that names a file after an
 * artifact (`castgraph run --out`, the server's output downloads) or types a file it reads in.
 */
import { extname } from 'node:path';
import type { ArtifactRef } from '../graph/node-definition.ts';

export const MIME_BY_EXTENSION: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.avif': 'image/avif',
  '.heic': 'image/heif',
  '.heif': 'image/heif',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.zip': 'application/zip',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.safetensors': 'application/octet-stream',
};

export const EXTENSION_BY_MIME: Record<string, string> = Object.fromEntries(
  Object.entries(MIME_BY_EXTENSION).reverse().map(([ext, mime]) => [mime, ext]),
);

export function mimeOf(file: string): string {
  return MIME_BY_EXTENSION[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The artifact's own extension when its name has a plain one, else the one of its media type, else `.bin`. */
export function extensionOf(ref: ArtifactRef): string {
  const named = typeof ref.name === 'string' ? extname(ref.name).toLowerCase() : '';
  if (/^\.[a-z0-9]{1,12}$/.test(named)) return named;
  return EXTENSION_BY_MIME[ref.mime] ?? '.bin';
}
