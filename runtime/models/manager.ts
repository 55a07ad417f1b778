/**
 * The models directory (`CASTGRAPH_MODELS_DIR`, default `~/.castgraph/models`): which catalogued models are
 * present and verified, `pull` (download from the official URL, verify sha256, write atomically) and `add`
 * (register a file the user already has, verified the same way). A model is only ever loaded after its bytes
 * matched the catalogued hash, because public copies are often Git LFS pointers or HTML pages.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { copyFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { MODELS, modelEntry, type ModelEntry } from './catalog.ts';
import { hashFile } from '../store/artifact-store.ts';

export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CASTGRAPH_MODELS_DIR || join(homedir(), '.castgraph', 'models');
}

export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

export interface ModelStatus {
  id: string;
  entry: ModelEntry;
  path: string;
  state: 'missing' | 'verified' | 'mismatch';
}

export interface PullOptions {
  fetch?: typeof globalThis.fetch;
  /** Replaces the catalogued URL (a mirror; tests use a loopback server). */
  url?: string;
  signal?: AbortSignal;
  onProgress?: (bytes: number) => void;
  /** Refuses downloads larger than this (default 2 GiB). */
  maxBytes?: number;
}

export class ModelManager {
  readonly dir: string;
  /** path → "size:mtime" of files already hashed this process, so resolve() hashes each file once. */
  readonly #verified = new Map<string, string>();

  constructor(dir = defaultModelsDir()) {
    this.dir = dir;
  }

  pathOf(id: string): string {
    return join(this.dir, modelEntry(id).file);
  }

  async status(id: string): Promise<ModelStatus> {
    const entry = modelEntry(id);
    const path = this.pathOf(id);
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile()) return { id, entry, path, state: 'missing' };
    const stamp = `${st.size}:${st.mtimeMs}`;
    if (this.#verified.get(path) === stamp) return { id, entry, path, state: 'verified' };
    const ok = st.size === entry.size && (await hashFile(path)).hash === entry.sha256;
    if (ok) this.#verified.set(path, stamp);
    return { id, entry, path, state: ok ? 'verified' : 'mismatch' };
  }

  list(): Promise<ModelStatus[]> {
    return Promise.all(MODELS.map((m) => this.status(m.id)));
  }

  /** The verified file of a model, or an error that says how to get it. */
  async resolve(id: string): Promise<string> {
    const s = await this.status(id);
    if (s.state === 'verified') return s.path;
    const how = `run \`castgraph models pull ${id}\` or \`castgraph models add ${id} <file>\``;
    if (s.state === 'missing') throw new ModelError(`model "${id}" is not in ${this.dir} (expected ${s.entry.file}); ${how}`);
    throw new ModelError(`model file ${s.path} does not match the sha256 of "${id}" (${s.entry.sha256}); ${how}`);
  }

  /** Downloads a model (extracting it from its archive when the official download is one) and installs it if the hash matches. */
  async pull(id: string, opts: PullOptions = {}): Promise<string> {
    const entry = modelEntry(id);
    const url = opts.url ?? entry.url;
    mkdirSync(this.dir, { recursive: true });
    const download = join(this.dir, `.download-${randomUUID()}`);
    const extracted = join(this.dir, `.extract-${randomUUID()}`);
    try {
      const res = await (opts.fetch ?? globalThis.fetch)(url, { signal: opts.signal, redirect: 'follow' });
      if (!res.ok || !res.body) throw new ModelError(`download of "${id}" from ${url} failed: HTTP ${res.status}`);
      await pipeline(Readable.fromWeb(res.body as never), meter(opts.maxBytes ?? 2 ** 31, opts.onProgress), createWriteStream(download));
      const file = entry.member ? await extractMember(download, entry.member, extracted, entry.size) : download;
      return await this.#install(entry, file, `downloaded from ${url}`);
    } finally {
      await rm(download, { force: true });
      await rm(extracted, { force: true });
    }
  }

  /** Registers a local copy: verified against the catalogue, then copied in atomically. */
  async add(id: string, source: string): Promise<string> {
    const entry = modelEntry(id);
    mkdirSync(this.dir, { recursive: true });
    const tmp = join(this.dir, `.add-${randomUUID()}`);
    try {
      await copyFile(source, tmp);
      return await this.#install(entry, tmp, source);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async #install(entry: ModelEntry, file: string, origin: string): Promise<string> {
    const { hash } = await hashFile(file);
    if (hash !== entry.sha256) {
      throw new ModelError(`"${entry.id}" ${origin} has sha256 ${hash}, expected ${entry.sha256} (a Git LFS pointer, an HTML page or another build?); nothing was installed`);
    }
    const dest = join(this.dir, entry.file);
    await rename(file, dest);
    const st = await stat(dest);
    this.#verified.set(dest, `${st.size}:${st.mtimeMs}`);
    return dest;
  }
}


function meter(maxBytes: number, onProgress?: (bytes: number) => void): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (n > maxBytes) return cb(new ModelError(`download is larger than ${maxBytes} bytes; refusing it`));
      onProgress?.(n);
      cb(null, chunk);
    },
  });
}

/** Streams one named member out of a zip (matched by its base name, as packs nest files in a folder). */
function extractMember(zipPath: string, member: string, dest: string, expectedSize: number): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(new ModelError(`downloaded archive is not a readable zip: ${err?.message}`));
      let found = false;
      zip.on('error', reject);
      zip.on('end', () => {
        if (!found) reject(new ModelError(`the archive has no member named ${member}`));
      });
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName.split('/').pop() !== member) return zip.readEntry();
        found = true;
        if (e.uncompressedSize !== expectedSize) {
          zip.close();
          return reject(new ModelError(`${member} in the archive is ${e.uncompressedSize} bytes, expected ${expectedSize}`));
        }
        zip.openReadStream(e, (err2, stream) => {
          if (err2 || !stream) return reject(err2);
          pipeline(stream, createWriteStream(dest)).then(() => {
            zip.close();
            resolve(dest);
          }, reject);
        });
      });
      zip.readEntry();
    });
  });
}
