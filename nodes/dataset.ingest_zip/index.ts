/**
 * dataset.ingest_zip: a ZIP of someone's photos in, a clean training dataset out (face-centred squares at the
 * training resolution, one caption each) plus a per-photo report (kept or dropped, and why, with thumbnails).
 */
import { defineNode, isArtifactRef, NodeError, type RunContext } from '../../runtime/graph/node-definition.ts';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { analyzerFor, DETECTOR_INPUT } from '../lib/face/models.ts';
import { mapPool } from '../lib/face/pool.ts';
import { cropKept, Deduper, measure, sourceBox, type Decision, type IngestSettings, type Measured, type PhotoReport } from './photo.ts';
import { SafeZip, type ZipLimits } from './zip.ts';

const MB = 1024 * 1024;
/**
 * Photos in flight: one per core plus one, so that while a photo waits on I/O, hashing or its turn for the
 * duplicate decision, the cores still have decoding or encoding to do (one per core left them idle: 2-core
 * A/B runs of bench/ingest gave 0.48-0.54x the raw decode on 12 MP photos with two in flight, 0.61-0.67x with three).
 */
const CONCURRENCY = availableParallelism() + 1;

export interface DatasetItem {
  image: import('../../runtime/graph/node-definition.ts').ArtifactRef;
  caption: string;
  source: string;
}

export default defineNode({
  type: 'dataset.ingest_zip',
  version: 1,
  title: 'Ingest photo ZIP',
  category: 'dataset',
  description: 'Unpacks a ZIP of photos safely, drops duplicates, blurry shots and photos without exactly one face, and crops face-centred squares for training.',
  inputs: {
    archive: { type: 'any', widget: 'zip', accept: ['application/zip'], description: 'The uploaded ZIP (an artifact).' },
    resolution: { type: 'enum', values: ['512', '768', '1024'], default: '1024', description: 'Side of the square training images.' },
    caption: { type: 'text', default: 'a photo of a person', description: 'Caption for every image (never empty: trainers abort on empty captions).' },
    format: { type: 'enum', values: ['jpeg', 'png'], default: 'jpeg', description: 'Encoding of the dataset images (JPEG quality 95, 4:4:4).' },
    faces: {
      type: 'enum',
      values: ['one', 'largest', 'off'],
      default: 'one',
      description: 'one: keep photos with exactly one dominant face; largest: keep photos with a face and centre on the largest; off: no face check, centre crop.',
    },
    detector: DETECTOR_INPUT,
    dominance: { type: 'float', default: 0.25, min: 0.01, max: 1, description: 'A face counts when its area is at least this fraction of the largest face.' },
    blurThreshold: { type: 'float', default: 40, min: 0, description: 'Variance of the Laplacian (at 512 px) under which a photo is blurry; 0 turns the check off.' },
    nearDuplicateDistance: { type: 'int', default: 6, min: -1, max: 64, description: 'Perceptual-hash Hamming distance at or under which a photo duplicates a kept one; -1 turns it off.' },
    maxEntries: { type: 'int', default: 2000, min: 1, description: 'Refuse archives with more entries.' },
    maxTotalMB: { type: 'float', default: 4096, min: 1, description: 'Refuse archives whose uncompressed size is larger (zip bomb).' },
    maxRatio: { type: 'float', default: 100, min: 1, description: 'Refuse archives or entries that expand more than this many times (zip bomb).' },
    maxFileMB: { type: 'float', default: 64, min: 1, description: 'Refuse single files larger than this.' },
    maxMegapixels: { type: 'float', default: 64, min: 1, description: 'Refuse images with more pixels, checked from the header before decoding (decompression bomb).' },
  },
  outputs: {
    dataset: { type: 'dataset', description: '{ items: [{ image, caption, source }], resolution }' },
    report: { type: 'report', description: 'Per photo: kept, dropped, skipped or refused, the reason, and a thumbnail.' },
  },
  resource: 'cpu',
  cache: 'deterministic',
  docs: 'See nodes/dataset.ingest_zip/README.md.',
  async run(ctx, inputs) {
    const archive = inputs.archive;
    if (!isArtifactRef(archive)) throw new NodeError('inputs.archive: expected an uploaded ZIP artifact');
    const settings = await settingsFrom(ctx, inputs);
    const limits: ZipLimits = {
      maxEntries: intIn(inputs.maxEntries, 2000, 'maxEntries'),
      maxTotalBytes: numIn(inputs.maxTotalMB, 4096, 'maxTotalMB') * MB,
      maxRatio: numIn(inputs.maxRatio, 100, 'maxRatio'),
      maxEntryBytes: settings.maxEntryBytes,
    };
    const path = ctx.artifacts.path(archive);
    const zip = await SafeZip.open(path, statSync(path).size, limits);
    try {
      return await ingest(ctx, zip, settings);
    } finally {
      await zip.close();
    }
  },
});

async function ingest(ctx: RunContext, zip: SafeZip, s: IngestSettings) {
  const dedupe = new Deduper();
  const kept: (DatasetItem | undefined)[] = [];
  let turn: Promise<void> = Promise.resolve();
  let done = 0;
  const reports = await mapPool(zip.entries, CONCURRENCY, async ({ verdict, entry }, index) => {
    // Only the duplicate decision is taken in archive order (each waits for the previous one), so results never
    // depend on timing; reading, measuring and cropping run in parallel.
    const previous = turn;
    let release!: () => void;
    turn = new Promise((r) => (release = r));
    try {
      if (ctx.signal.aborted) throw new NodeError('cancelled', 'user');
      if (verdict.kind !== 'image') return { name: verdict.name, status: verdict.kind, reason: verdict.reason } satisfies PhotoReport;
      let m: Measured;
      try {
        const bytes = await zip.read(entry, s.maxEntryBytes);
        m = await measure(ctx, verdict.name, bytes, zip.contentKey(entry, bytes), s);
      } catch (err) {
        if (err instanceof NodeError) throw err;
        m = { name: verdict.name, report: { name: verdict.name, status: 'skipped', reason: `corrupt entry: ${(err as Error).message}` } };
      }
      await previous;
      const decision = m.report ? undefined : dedupe.decide(m, s);
      release();
      if (!decision) return m.report!;
      const { report, item } = await finish(ctx, m, decision, s);
      kept[index] = item;
      return report;
    } finally {
      await previous;
      release();
      ctx.progress(++done / zip.entries.length, `${done} of ${zip.entries.length} entries`);
    }
  });
  const items = kept.filter((i): i is DatasetItem => i !== undefined);
  if (items.length === 0) ctx.log.warn('no photo was kept; see the report for the reasons');
  const count = (status: string) => reports.filter((r) => r.status === status).length;
  return {
    dataset: { kind: 'castgraph.dataset', resolution: s.resolution, items },
    report: {
      kind: 'castgraph.report',
      title: 'ZIP ingest',
      summary: { entries: reports.length, kept: count('kept'), dropped: count('dropped'), skipped: count('skipped'), refused: count('refused') },
      items: reports,
    },
  };
}

async function finish(ctx: RunContext, m: Measured, verdict: Decision, s: IngestSettings): Promise<{ report: PhotoReport; item?: DatasetItem }> {
  const base: PhotoReport = {
    name: m.name,
    status: 'dropped',
    width: m.sourceSize![0],
    height: m.sourceSize![1],
    sharpness: Math.round(m.sharpness! * 10) / 10,
    faces: m.faces?.length,
    thumbnail: m.thumbnail,
  };
  if (verdict.face) base.faceBox = sourceBox(m, verdict.face);
  if (verdict.reason) return { report: { ...base, reason: verdict.reason, duplicateOf: verdict.duplicateOf } };
  const image = await cropKept(ctx, m, verdict.face, s);
  const small = Math.min(...m.sourceSize!) < s.resolution;
  return {
    report: { ...base, status: 'kept', image, reason: small ? `upscaled: the photo's shorter side is under ${s.resolution} px` : undefined },
    item: { image, caption: s.caption, source: m.name },
  };
}

async function settingsFrom(ctx: RunContext, inputs: Record<string, unknown>): Promise<IngestSettings> {
  const resolution = Number(inputs.resolution ?? 1024);
  if (![512, 768, 1024].includes(resolution)) throw new NodeError(`inputs.resolution: expected 512, 768 or 1024, got ${JSON.stringify(inputs.resolution)}`);
  const caption = inputs.caption ?? 'a photo of a person';
  if (typeof caption !== 'string' || caption.trim() === '') throw new NodeError('inputs.caption: expected a non-empty text (trainers abort on empty captions)');
  const faces = inputs.faces ?? 'one';
  if (faces !== 'one' && faces !== 'largest' && faces !== 'off') throw new NodeError(`inputs.faces: expected one, largest or off, got ${JSON.stringify(faces)}`);
  const format = inputs.format ?? 'jpeg';
  if (format !== 'jpeg' && format !== 'png') throw new NodeError(`inputs.format: expected jpeg or png, got ${JSON.stringify(format)}`);
  return {
    resolution,
    caption,
    format,
    faces,
    maxPixels: numIn(inputs.maxMegapixels, 64, 'maxMegapixels') * 1e6,
    maxEntryBytes: numIn(inputs.maxFileMB, 64, 'maxFileMB') * MB,
    blurThreshold: numIn(inputs.blurThreshold, 40, 'blurThreshold', 0),
    nearDuplicateDistance: intIn(inputs.nearDuplicateDistance, 6, 'nearDuplicateDistance', -1),
    dominance: numIn(inputs.dominance, 0.25, 'dominance', 0.01),
    analyzer: faces === 'off' ? undefined : await analyzerFor(ctx, inputs.detector ?? 'yunet', 'mobilefacenet'),
  };
}

function numIn(v: unknown, fallback: number, field: string, min = Number.MIN_VALUE): number {
  const n = v === undefined ? fallback : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min) throw new NodeError(`inputs.${field}: expected a number >= ${min === Number.MIN_VALUE ? '0 (exclusive)' : min}, got ${JSON.stringify(v)}`);
  return n;
}

function intIn(v: unknown, fallback: number, field: string, min = 1): number {
  const n = numIn(v, fallback, field, min);
  if (!Number.isInteger(n)) throw new NodeError(`inputs.${field}: expected an integer, got ${JSON.stringify(v)}`);
  return n;
}
