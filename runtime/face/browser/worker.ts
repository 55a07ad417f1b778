/**
 * The face module in a browser worker, exposed with comlink: onnxruntime-web (wasm) runs the same detector,
 * alignment and embedder code as the Node path, so scores match it. The editor's ZIP preview
 * (editor/src/panels/ZipPreview.tsx) runs each photo through `analyze` before upload.
 */
import * as Comlink from 'comlink';
import * as ort from 'onnxruntime-web';
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

  /** Cosine and IDR score of two embeddings made by this worker's embedder. */
  compare(a: Float32Array, b: Float32Array): { cosine: number; score: number } {
    const c = cosine(a, b);
    return { cosine: c, score: idrScore(c, family) };
  },
};

export type FaceWorkerApi = typeof api;

Comlink.expose(api);
