/**
 * Content-addressed artifact store on disk. A file is named by the sha256 of its bytes and written
 * to a temporary name first, then renamed, so a crash never leaves a half-written artifact under a
 * real hash. Metadata (media type, size, pixel size) sits beside it as `<hash>.json`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { readFile, rename, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import type { ArtifactAccess, ArtifactRef } from '../graph/node-definition.ts';

const HASH = /^[0-9a-f]{64}$/;

export type ArtifactMeta = { mime: string; name?: string; width?: number; height?: number; [k: string]: unknown };

export class ArtifactTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`upload is larger than the limit of ${limit} bytes`);
    this.name = 'ArtifactTooLargeError';
  }
}

export class ArtifactStore implements ArtifactAccess {
  readonly root: string;
  readonly #tmp: string;

  constructor(root: string) {
    this.root = root;
    this.#tmp = join(root, 'tmp');
    mkdirSync(this.#tmp, { recursive: true });
  }

  static isHash(s: string): boolean {
    return HASH.test(s);
  }

  /** The on-disk path for a hash. Throws on anything that is not a sha256, so no id can reach outside the store. */
  path(ref: ArtifactRef | string): string {
    const hash = typeof ref === 'string' ? ref : ref.$artifact;
    if (!HASH.test(hash)) throw new Error(`not an artifact hash: ${JSON.stringify(hash).slice(0, 80)}`);
    return join(this.root, hash.slice(0, 2), hash);
  }

  async has(ref: ArtifactRef | string): Promise<boolean> {
    return this.hasSync(ref);
  }

  hasSync(ref: ArtifactRef | string): boolean {
    return existsSync(this.path(ref));
  }

  async get(ref: ArtifactRef | string): Promise<Uint8Array> {
    return readFile(this.path(ref));
  }

  stream(ref: ArtifactRef | string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.path(ref), range);
  }

  async meta(hash: string): Promise<ArtifactRef | undefined> {
    try {
      return JSON.parse(await readFile(this.path(hash) + '.json', 'utf8')) as ArtifactRef;
    } catch {
      return undefined;
    }
  }

  async put(bytes: Uint8Array, meta: ArtifactMeta): Promise<ArtifactRef> {
    const hash = createHash('sha256').update(bytes).digest('hex');
    const ref = cleanRef({ ...meta, $artifact: hash, size: bytes.byteLength });
    if (!existsSync(this.path(hash))) {
      const tmp = join(this.#tmp, randomUUID());
      await writeFile(tmp, bytes);
      await this.#commit(tmp, ref);
    } else await this.#writeMeta(ref);
    return ref;
  }

  /** Copies a local file in (the source is left alone). */
  async putFile(file: string, meta: ArtifactMeta): Promise<ArtifactRef> {
    const tmp = join(this.#tmp, randomUUID());
    await copyFile(file, tmp);
    const { hash, size } = await hashFile(tmp);
    return this.#adopt(tmp, hash, size, meta);
  }

  /** Streams an upload in, hashing as it goes; refuses (and deletes the partial file) past `maxBytes`. */
  async putStream(source: Readable, meta: ArtifactMeta, maxBytes = Infinity): Promise<ArtifactRef> {
    const tmp = join(this.#tmp, randomUUID());
    const h = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > maxBytes) return cb(new ArtifactTooLargeError(maxBytes));
        h.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tmp));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return this.#adopt(tmp, h.digest('hex'), size, meta);
  }

  async #adopt(tmp: string, hash: string, size: number, meta: ArtifactMeta): Promise<ArtifactRef> {
    const ref = cleanRef({ ...meta, $artifact: hash, size });
    if (existsSync(this.path(hash))) {
      await rm(tmp, { force: true });
      await this.#writeMeta(ref);
    } else await this.#commit(tmp, ref);
    return ref;
  }

  async #commit(tmp: string, ref: ArtifactRef): Promise<void> {
    mkdirSync(join(this.root, ref.$artifact.slice(0, 2)), { recursive: true });
    await this.#writeMeta(ref);
    await rename(tmp, this.path(ref));
  }

  async #writeMeta(ref: ArtifactRef): Promise<void> {
    const file = this.path(ref) + '.json';
    if (existsSync(file)) return;
    mkdirSync(join(this.root, ref.$artifact.slice(0, 2)), { recursive: true });
    const tmp = join(this.#tmp, randomUUID());
    await writeFile(tmp, JSON.stringify(ref));
    await rename(tmp, file);
  }

  async size(ref: ArtifactRef | string): Promise<number> {
    return (await stat(this.path(ref))).size;
  }
}

function cleanRef(ref: ArtifactRef): ArtifactRef {
  for (const k of Object.keys(ref)) if (ref[k] === undefined) delete ref[k];
  return ref;
}

/** sha256 (hex) and size of a file, streamed. */
export async function hashFile(file: string): Promise<{ hash: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    size += (chunk as Buffer).length;
    h.update(chunk as Buffer);
  }
  return { hash: h.digest('hex'), size };
}
