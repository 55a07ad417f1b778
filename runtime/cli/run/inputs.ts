/** `--input name=value`: a path to an existing file becomes an upload, anything else a JSON or text value. */
import { statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { UsageError } from '../command.ts';
import { parseFlagValue, splitNamed } from '../graph-file.ts';
import type { InputValue } from './source.ts';

const MIME_BY_EXTENSION: Record<string, string> = {
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

/** Looks like someone meant a file: has a folder separator or a file extension. */
const PATH_LIKE = /[\\/]|\.[A-Za-z0-9]{2,12}$/;

export function parseInputs(flags: string[], cwd: string): Record<string, InputValue> {
  const inputs: Record<string, InputValue> = {};
  for (const raw of flags) {
    const { name, value } = splitNamed('--input', raw);
    if (name in inputs) throw new UsageError(`--input ${name} is given twice`);
    const path = resolve(cwd, value);
    const isFile = (() => {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    })();
    if (isFile) {
      inputs[name] = { file: path, mime: mimeOf(path), name: basename(path) };
      continue;
    }
    const parsed = parseFlagValue(value);
    // A typo in a file name must not silently become the text "photo.jpg".
    if (typeof parsed === 'string' && PATH_LIKE.test(value)) throw new UsageError(`--input ${raw}: no such file ${value}`);
    inputs[name] = { value: parsed };
  }
  return inputs;
}
