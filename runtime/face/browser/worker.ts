/**
 * The face module in a browser worker, exposed with comlink: onnxruntime-web (wasm) runs the same detector,
 * alignment and embedder code as the Node path, so scores match it. The editor uses it to preview a ZIP
 * (faces per photo) before upload.
 */
import * as Comlink from 'comlink';
import * as ort from 'onnxruntime-web';
import { unzipSync } from 'fflate';
import { FaceAnalyzer, type AnalyzeOptions } from '../analyzer.ts';
import { createDetector, type DetectorKind } from '../detectors.ts';
import { createEmbedder, type EmbedderKind } from '../embedders.ts';
import { wrapOrtSession } from '../session.ts';
import { cosine, idrScore } from '../similarity.ts';
import type { Face } from '../types.ts';
import { modelEntry, type DetectorId, type EmbedderId } from '../../models/catalog.ts';
import { decodeImageBlob } from './decode.ts';

export interface FaceWorkerInit {
  /** Where the model files are served, by their catalogue file names (`<base>/face_detection_yunet_2023mar.onnx`). */
  modelBaseUrl: string;
  detector?: DetectorId;
  embedder?: EmbedderId;
}

export interface PhotoFaces {
  width: number;
  height: number;
  faces: Face[];
  dominant: number;
  reason?: string;
  embedding?: Float32Array;
}

export interface ZipPreviewEntry {
  name: string;
  faces: number;
  width?: number;
  height?: number;
  /** The chosen face, when there is one. */
  box?: Face['box'];
  /** Why the photo would not be used: skipped entry, "no face found", "2 faces", corrupt. */
  reason?: string;
}

function previewSkip(name: string, size: number, maxFile: number): string | undefined {
  const parts = name.split('/');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || parts.includes('..') || name.includes('\\')) return 'path escapes the archive folder';
  if (parts.some((p) => p === '__MACOSX' || p.startsWith('.'))) return 'archive junk';
  if (!/\.(jpe?g|png|webp)$/i.test(name)) return 'not an image (JPEG, PNG and WebP are accepted)';
  if (size > maxFile) return `file is ${size} bytes, over the limit of ${maxFile}`;
  return undefined;
}

let analyzer: FaceAnalyzer | undefined;
let family: EmbedderKind = 'mobilefacenet';

async function session(base: string, id: string) {
  const url = `${base.replace(/\/$/, '')}/${modelEntry(id).file}`;
  const s = await ort.InferenceSession.create(url, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  return wrapOrtSession(s as never, ort.Tensor as never);
}

const api = {
  async init(opts: FaceWorkerInit): Promise<void> {
    const det = modelEntry(opts.detector ?? 'yunet');
    const emb = modelEntry(opts.embedder ?? 'mobilefacenet');
    const [d, e] = await Promise.all([session(opts.modelBaseUrl, det.id), session(opts.modelBaseUrl, emb.id)]);
    family = emb.family as EmbedderKind;
    analyzer = new FaceAnalyzer(createDetector(det.family as DetectorKind, d), createEmbedder(family, e));
  },

  /** Faces in one photo (largest first) and, unless refused by the options, the embedding of the chosen face. */
  async analyze(photo: Blob, opts: AnalyzeOptions = {}): Promise<PhotoFaces> {
    if (!analyzer) throw new Error('call init() first');
    const img = await decodeImageBlob(photo);
    const r = await analyzer.analyze(img, opts);
    const out: PhotoFaces = { width: img.width, height: img.height, faces: r.faces, dominant: r.dominant, reason: r.reason, embedding: r.embedding };
    return r.embedding ? Comlink.transfer(out, [r.embedding.buffer as ArrayBuffer]) : out;
  },

  /**
   * Faces found per photo of a ZIP, before it is uploaded. The same vetting as the server's ingest, lighter:
   * junk, hostile names and non-images are listed as skipped; entries over `maxFileBytes` are not inflated.
   */
  async previewZip(zip: Blob, opts: AnalyzeOptions & { maxFileBytes?: number; maxEntries?: number } = {}): Promise<ZipPreviewEntry[]> {
    if (!analyzer) throw new Error('call init() first');
    const maxFile = opts.maxFileBytes ?? 64 * 1024 * 1024;
    const out: ZipPreviewEntry[] = [];
    const order: string[] = [];
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()), {
      filter: (f) => {
        if (f.name.endsWith('/')) return false;
        order.push(f.name);
        if (order.length > (opts.maxEntries ?? 2000)) throw new Error(`the archive has more than ${opts.maxEntries ?? 2000} entries`);
        const skip = previewSkip(f.name, f.originalSize, maxFile);
        if (skip) out.push({ name: f.name, faces: 0, reason: skip });
        return !skip;
      },
    });
    for (const [name, bytes] of Object.entries(files)) {
      try {
        const img = await decodeImageBlob(new Blob([bytes as Uint8Array<ArrayBuffer>]));
        const r = await analyzer.analyze(img, opts);
        out.push({ name, faces: r.faces.length, width: img.width, height: img.height, box: r.face?.box, reason: r.reason });
      } catch (err) {
        out.push({ name, faces: 0, reason: `corrupt image: ${(err as Error).message}` });
      }
    }
    return out.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  },

  /** Cosine and IDR score of two embeddings made by this worker's embedder. */
  compare(a: Float32Array, b: Float32Array): { cosine: number; score: number } {
    const c = cosine(a, b);
    return { cosine: c, score: idrScore(c, family) };
  },
};

export type FaceWorkerApi = typeof api;

Comlink.expose(api);
