/**
 * Safe reading of an uploaded ZIP: the central directory is read first (nothing is extracted), every entry is
 * classified (image, junk, hostile) and the archive-wide limits are checked; only then are image entries
 * streamed, one at a time per caller, with a byte cap. Nothing is ever written to disk by name from the archive.
 */
import yauzl from 'yauzl';
import { NodeError } from '../../runtime/graph/node-definition.ts';

export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
  /** Uncompressed / compressed, per entry and for the whole archive. */
  maxRatio: number;
  maxEntryBytes: number;
}

export type EntryVerdict =
  | { kind: 'image'; name: string }
  | { kind: 'skipped'; name: string; reason: string }
  | { kind: 'refused'; name: string; reason: string };

export interface ZipEntry {
  verdict: EntryVerdict;
  entry: yauzl.Entry;
}

const IMAGE_EXT = /\.(jpe?g|png|webp)$/i;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

interface YauzlLow {
  getFileNameLowLevel(flag: number, raw: Buffer, extra: unknown, strict: boolean): string;
}

export class SafeZip {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    readonly entries: ZipEntry[],
  ) {}

  /** Opens and vets the archive; throws a NodeError when an archive-wide limit is passed. */
  static async open(path: string, archiveBytes: number, limits: ZipLimits): Promise<SafeZip> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (err, z) =>
        err || !z ? reject(new NodeError(`inputs.archive: not a readable ZIP archive (${err?.message ?? 'unknown error'})`, 'user')) : resolve(z),
      ),
    );
    try {
      if (zip.entryCount > limits.maxEntries) {
        throw new NodeError(`inputs.archive: the archive has ${zip.entryCount} entries, over the limit of ${limits.maxEntries} (inputs.maxEntries)`, 'user');
      }
      const raw = await readAll(zip);
      let total = 0;
      const entries: ZipEntry[] = [];
      for (const e of raw) {
        const verdict = classify(e, limits);
        if (verdict === undefined) continue;
        total += e.uncompressedSize;
        const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
        if (ratio > limits.maxRatio && e.uncompressedSize > 1 << 20) {
          throw new NodeError(`inputs.archive: zip bomb refused: "${verdict.name}" expands ${ratio.toFixed(0)}x (limit ${limits.maxRatio}x, inputs.maxRatio)`, 'user');
        }
        entries.push({ verdict, entry: e });
      }
      if (total > limits.maxTotalBytes) {
        throw new NodeError(`inputs.archive: zip bomb refused: ${total} bytes uncompressed, over the limit of ${limits.maxTotalBytes} (inputs.maxTotalMB)`, 'user');
      }
      if (total > 1 << 20 && total / Math.max(1, archiveBytes) > limits.maxRatio) {
        throw new NodeError(`inputs.archive: zip bomb refused: the archive expands ${(total / archiveBytes).toFixed(0)}x (limit ${limits.maxRatio}x, inputs.maxRatio)`, 'user');
      }
      return new SafeZip(zip, entries);
    } catch (err) {
      zip.close();
      throw err;
    }
  }

  /** The bytes of one entry, refusing more than `maxBytes` whatever its header claims. */
  read(entry: yauzl.Entry, maxBytes: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(err ?? new Error('no stream'));
        const chunks: Buffer[] = [];
        let n = 0;
        stream.on('data', (c: Buffer) => {
          n += c.length;
          if (n > maxBytes) {
            stream.destroy();
            reject(new Error(`entry is larger than ${maxBytes} bytes`));
          } else chunks.push(c);
        });
        stream.on('error', reject);
        stream.on('end', () => resolve(Buffer.concat(chunks)));
      });
    });
  }

  close(): void {
    this.zip.close();
  }
}

function readAll(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const out: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      out.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(out));
    zip.on('error', (err: Error) => reject(new NodeError(`inputs.archive: the ZIP directory is damaged (${err.message})`, 'user')));
    zip.readEntry();
  });
}

/** What to do with an entry; undefined for folder entries, which carry no data. */
function classify(e: yauzl.Entry, limits: ZipLimits): EntryVerdict | undefined {
  const raw = (e as unknown as { fileNameRaw: Buffer }).fileNameRaw;
  const name = (yauzl as unknown as YauzlLow).getFileNameLowLevel(e.generalPurposeBitFlag, raw, e.extraFields, false);
  const shown = name.replace(/[\u0000-\u001f]/g, '?').slice(0, 200);
  const escape = yauzl.validateFileName(name);
  if (escape !== null || name.includes('\0')) return { kind: 'refused', name: shown, reason: `path escapes the archive folder (${escape ?? 'NUL byte in the name'})` };
  if (((e.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) return { kind: 'refused', name: shown, reason: 'symbolic link' };
  if (name.endsWith('/')) return undefined;
  if ((e.generalPurposeBitFlag & 1) !== 0) return { kind: 'refused', name: shown, reason: 'encrypted entry' };
  const parts = name.split('/');
  if (parts.some((p) => p === '__MACOSX' || p.startsWith('.')) || parts.at(-1) === 'Thumbs.db') {
    return { kind: 'skipped', name: shown, reason: 'archive junk (__MACOSX, hidden file or Thumbs.db)' };
  }
  if (!IMAGE_EXT.test(name)) return { kind: 'skipped', name: shown, reason: 'not an image (JPEG, PNG and WebP are accepted)' };
  if (e.uncompressedSize > limits.maxEntryBytes) {
    return { kind: 'refused', name: shown, reason: `file is ${e.uncompressedSize} bytes, over the limit of ${limits.maxEntryBytes} (inputs.maxFileMB)` };
  }
  return { kind: 'image', name: shown };
}
