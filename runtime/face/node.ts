/**
 * The Node adapter of the face module: sharp decodes (EXIF orientation applied, sRGB, alpha dropped) and
 * onnxruntime-node runs the models, verified through the model manager.
 */
import * as ort from 'onnxruntime-node';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { colourPlan, convertToSrgb } from './colour.ts';
import { readImageHeader } from './header.ts';
import { FaceAnalyzer } from './analyzer.ts';
import { createDetector } from './detectors.ts';
import { createEmbedder } from './embedders.ts';
import { wrapOrtSession } from './session.ts';
import type { ModelSession, RgbImage } from './types.ts';
import { modelEntry, type DetectorId, type EmbedderId } from '../models/catalog.ts';
import { FaceAnalysisPool } from './node-pool.ts';
import { ModelError, ModelManager } from '../models/manager.ts';
import type { DetectorKind } from './detectors.ts';
import type { EmbedderKind } from './embedders.ts';

export const DEFAULT_MAX_PIXELS = 64_000_000;

/**
 * Decodes JPEG/PNG/WebP bytes (or a file) to sRGB RGB, EXIF orientation applied. Matrix/TRC colour profiles are
 * converted by ./colour.ts (bit-identical to the browser path), others by libvips. Refuses images over
 * `maxPixels` from the header, before decoding.
 */
export async function decodeImage(input: Uint8Array | string, maxPixels = DEFAULT_MAX_PIXELS): Promise<RgbImage> {
  const src = typeof input === 'string' ? await readFile(input) : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const plan = colourPlan(readImageHeader(src));
  const { data, info } = await sharp(src, { limitInputPixels: maxPixels, failOn: 'error', ignoreIcc: plan.kind !== 'platform' })
    .rotate()
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded image has ${info.channels} channels, expected 3`);
  const img = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  if (plan.kind === 'convert') convertToSrgb(img, plan.profile);
  return img;
}

/** One session per model file per process: sessions are thread-safe and costly to create. */
const sessions = new Map<string, Promise<ModelSession>>();

/**
 * onnxruntime-node runs a session on the calling thread (it blocks the event loop), so each session gets one
 * intra-op thread: callers that keep two photos in flight then decode one (sharp, on libuv's pool) while the
 * other is in the model, which on a 2-core machine beats two ORT threads fighting the decoder (measured in
 * bench/identity.bench.ts), and the engine's parallel branches do not oversubscribe the cores.
 */
export function openSession(path: string): Promise<ModelSession> {
  let s = sessions.get(path);
  if (!s) {
    s = ort.InferenceSession.create(path, { logSeverityLevel: 3, graphOptimizationLevel: 'all', intraOpNumThreads: 1 }).then((session) =>
      wrapOrtSession(session as never, ort.Tensor as never),
    );
    s.catch(() => sessions.delete(path));
    sessions.set(path, s);
  }
  return s;
}

export interface AnalyzerChoice {
  detector?: DetectorId;
  embedder?: EmbedderId;
  manager?: ModelManager;
}

async function resolveChoice(choice: AnalyzerChoice) {
  const manager = choice.manager ?? new ModelManager();
  const det = modelEntry(choice.detector ?? 'yunet');
  const emb = modelEntry(choice.embedder ?? 'mobilefacenet');
  if (det.role !== 'detector') throw new Error(`model "${det.id}" is not a face detector`);
  if (emb.role !== 'embedder') throw new Error(`model "${emb.id}" is not a face embedder`);
  // Both are checked before failing, so one message names every model to install, detector first (a rejection
  // race would name whichever file check lost, differently from run to run).
  const [d, e] = await Promise.allSettled([manager.resolve(det.id), manager.resolve(emb.id)]);
  if (d.status === 'rejected' || e.status === 'rejected') {
    const failures = [d, e].filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as Error);
    if (failures.length === 1 || !failures.every((f) => f instanceof ModelError)) throw failures[0];
    throw new ModelError(failures.map((f) => f.message).join('; '));
  }
  const detectorPath = d.value, embedderPath = e.value;
  return { detectorPath, detector: det.family as DetectorKind, embedderPath, embedder: emb.family as EmbedderKind };
}

const pools = new Map<string, FaceAnalysisPool>();

/** The process-wide worker pool for these models (one per detector/embedder pair), same results as loadAnalyzer. */
export async function loadAnalysisPool(choice: AnalyzerChoice = {}): Promise<FaceAnalysisPool> {
  const init = await resolveChoice(choice);
  const key = `${init.detectorPath}|${init.embedderPath}`;
  let pool = pools.get(key);
  if (!pool) pools.set(key, (pool = new FaceAnalysisPool(init)));
  return pool;
}

/** A FaceAnalyzer on verified model files from the models directory (YuNet + MobileFaceNet unless told otherwise). */
export async function loadAnalyzer(choice: AnalyzerChoice = {}): Promise<FaceAnalyzer> {
  const m = await resolveChoice(choice);
  const [detSession, embSession] = await Promise.all([openSession(m.detectorPath), openSession(m.embedderPath)]);
  return new FaceAnalyzer(createDetector(m.detector, detSession), createEmbedder(m.embedder, embSession));
}
