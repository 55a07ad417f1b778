/**
 * Photos per second through dataset.ingest_zip beside raw sharp decode+resize of the same files (both using
 * two photos at a time, i.e. both cores), best of 3 alternating trials on a shared machine. The ratio compares
 * like with like: face detection is off and every photo is kept (no dedupe or blur drop), so the ingest does
 * the baseline's decode and resize plus its own work (ZIP streaming, hashing, header checks, thumbnails,
 * sharpness, perceptual hash, encoding and storing). A last figure per set shows the full ingest with face
 * filtering. Two sets: the fixture photos as they are (small), and the same photos at 12 MP (phone size).
 * The CPU time per photo (process user+system, all threads, summed over the trials) is printed too: on a machine
 * shared with other work it moves far less than wall time, and it shows how much work each side does.
 * A third figure is the floor the node's outputs impose: the least sharp work that yields them (decode at working
 * size, the 512 px analysis copy, the thumbnail and the dataset JPEG), with no ZIP, hashing, measuring or storing.
 * The ingest cannot beat it, so its ratio to the baseline bounds what any ingest of this design can reach.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import type { Report } from './run.ts';
import { cpuMs } from './cpu.ts';
import ingest from '../nodes/dataset.ingest_zip/index.ts';
import { mapPool } from '../nodes/lib/face/pool.ts';
import { JPEG_OPTIONS, PREVIEW_JPEG_OPTIONS } from '../nodes/lib/face/image-io.ts';
import { makeNodeContext } from '../test/support/node-context.ts';
import { FACE_MODELS, faceImage, fixturesMissing } from '../test/support/fixtures.ts';
import { buildZip } from '../test/nodes/dataset.ingest_zip/zip-writer.ts';

const PHOTOS = ['obama.jpg', 'obama2.jpg', 'obama_knn_test1.jpg', 'biden.jpg', 'kit_harington_john1.jpeg', 'kit_harington_john2.jpeg', 'rose_leslie_img1.jpg', 'alex_lacamoire1.jpg', 'two_people.jpg'];
const RES = 1024;

export default async function ingestBench(report: Report): Promise<void> {
  const missing = fixturesMissing();
  if (missing) return void console.error(`# ingest bench skipped: ${missing}`);
  const t = makeNodeContext({ config: { modelsDir: FACE_MODELS } });
  try {
    // Three distinct encodings of each fixture photo (0.2-2 MP), so none is an exact duplicate of another,
    // and the same photos at a phone camera's 12 MP (4032x3024), where decoding dominates as it does in real uploads.
    const small: Buffer[] = [];
    const phone: Buffer[] = [];
    for (const p of PHOTOS) {
      const bytes = readFileSync(faceImage(p));
      small.push(bytes, await sharp(bytes).jpeg({ quality: 90 }).toBuffer(), await sharp(bytes).jpeg({ quality: 80 }).toBuffer());
      phone.push(await sharp(bytes).resize(4032, 3024, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer());
    }
    await measureSet(report, t, 'fixture', small);
    await measureSet(report, t, 'phone12mp', phone);
  } finally {
    t.cleanup();
  }
}

async function measureSet(report: Report, t: ReturnType<typeof makeNodeContext>, label: string, files: Buffer[]): Promise<void> {
  const archive = await t.store.put(buildZip(files.map((data, i) => ({ name: `photos/${i}.jpg`, data, method: 0 }))), { mime: 'application/zip' });
  const plain = { archive, faces: 'off', nearDuplicateDistance: -1, blurThreshold: 0, resolution: String(RES) };
  const cpu = { ingest: 0, baseline: 0 };
  const viaIngest = async (inputs: Record<string, unknown>) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const out = (await ingest.run(t.ctx, inputs)) as { report: { summary: { kept: number } } };
    if (inputs === plain) cpu.ingest += cpuMs(c0);
    if (inputs.faces === 'off' && out.report.summary.kept !== files.length) throw new Error(`ingest kept ${out.report.summary.kept} of ${files.length}`);
    return (performance.now() - t0) / 1000;
  };
  const baseline = async (encode: boolean) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await mapPool(files, 2, async (bytes) => {
      const pipeline = sharp(bytes).rotate().resize(RES, RES, { fit: 'cover' });
      return (encode ? pipeline.jpeg(JPEG_OPTIONS) : pipeline.raw()).toBuffer();
    });
    if (!encode) cpu.baseline += cpuMs(c0);
    return (performance.now() - t0) / 1000;
  };

  const floor = async () => {
    const t0 = performance.now();
    await mapPool(files, availableParallelism() + 1, outputsOnly);
    return (performance.now() - t0) / 1000;
  };

  await viaIngest(plain);
  await baseline(false);
  await floor();
  cpu.ingest = cpu.baseline = 0;
  let ing = Infinity, base = Infinity, baseEnc = Infinity, least = Infinity;
  for (let trial = 0; trial < 3; trial++) {
    ing = Math.min(ing, await viaIngest(plain));
    base = Math.min(base, await baseline(false));
    baseEnc = Math.min(baseEnc, await baseline(true));
    least = Math.min(least, await floor());
  }
  await viaIngest({ archive, resolution: String(RES) });
  const full = await viaIngest({ archive, resolution: String(RES) });

  const n = files.length;
  report(`ingest.${label}.ingest_zip`, n / ing, 'photos/s', 'dataset.ingest_zip, faces off, every photo kept');
  report(`ingest.${label}.raw_decode_resize`, n / base, 'photos/s', 'raw sharp decode+resize, 2 at a time');
  report(`ingest.${label}.ratio_vs_raw_decode_resize`, base / ing, 'x');
  report(`ingest.${label}.raw_decode_resize_encode`, n / baseEnc, 'photos/s', 'raw sharp decode+resize+JPEG encode, 2 at a time');
  report(`ingest.${label}.ratio_vs_raw_decode_resize_encode`, baseEnc / ing, 'x');
  report(`ingest.${label}.outputs_floor`, n / least, 'photos/s', 'least sharp work that yields the outputs, as many in flight as the ingest');
  report(`ingest.${label}.floor_ratio_vs_raw_decode_resize`, base / least, 'x', 'the most any ingest of this design can reach');
  report(`ingest.${label}.cpu_per_photo_ingest_zip`, cpu.ingest / 3 / n, 'ms', 'CPU time, all threads, faces off');
  report(`ingest.${label}.cpu_per_photo_raw_decode_resize`, cpu.baseline / 3 / n, 'ms', 'CPU time, all threads');
  report(`ingest.${label}.cpu_ratio_vs_raw_decode_resize`, cpu.baseline / cpu.ingest, 'x', 'the ratio both cores fully busy would give');
  report(`ingest.${label}.ingest_zip_full`, n / full, 'photos/s', 'YuNet one-face filter, dedupe, blur');
}

/** The sharp work behind one photo's outputs: working-size decode, analysis copy, thumbnail, centre-square dataset JPEG. */
async function outputsOnly(bytes: Buffer): Promise<void> {
  const { data, info } = await sharp(bytes).rotate().resize(RES, RES, { fit: 'outside', withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
  const raw = (pixels: Buffer, width: number, height: number) => sharp(pixels, { raw: { width, height, channels: 3 } });
  const k = 512 / Math.max(info.width, info.height);
  const [w, h] = [Math.round(info.width * k), Math.round(info.height * k)];
  const small = await raw(data, info.width, info.height).resize(w, h, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
  await raw(small, w, h).resize(160, 160, { fit: 'inside', kernel: 'linear' }).jpeg(PREVIEW_JPEG_OPTIONS).toBuffer();
  const side = Math.min(info.width, info.height);
  const square = raw(data, info.width, info.height).extract({ left: (info.width - side) >> 1, top: (info.height - side) >> 1, width: side, height: side });
  await (side === RES ? square : square.resize(RES, RES, { kernel: 'lanczos3' })).jpeg(JPEG_OPTIONS).toBuffer();
}
