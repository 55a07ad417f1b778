/**
 * A worker thread of the face analysis pool (./node-pool.ts): its own onnxruntime sessions, decoding with sharp
 * and the pure-TS preprocessing, so each thread runs whole photos and the pool scales across cores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FaceAnalyzer, type AnalyzeOptions } from './analyzer.ts';
import { createDetector, type DetectorKind } from './detectors.ts';
import { createEmbedder, type EmbedderKind } from './embedders.ts';
import { decodeImage, openSession } from './node.ts';
import type { RgbImage } from './types.ts';

export interface PoolInit {
  detectorPath: string;
  detector: DetectorKind;
  embedderPath: string;
  embedder: EmbedderKind;
}

export type PoolCall = { op: 'analyze'; path: string; opts: AnalyzeOptions } | { op: 'detect'; img: RgbImage; opts: AnalyzeOptions };
export type PoolRequest = PoolCall & { id: number };

const init = workerData as PoolInit;
const ready = Promise.all([openSession(init.detectorPath), openSession(init.embedderPath)]).then(
  ([d, e]) => new FaceAnalyzer(createDetector(init.detector, d), createEmbedder(init.embedder, e)),
);

parentPort!.on('message', async (req: PoolRequest) => {
  try {
    const analyzer = await ready;
    if (req.op === 'detect') {
      parentPort!.postMessage({ id: req.id, result: await analyzer.detect(req.img, req.opts) });
      return;
    }
    const img = await decodeImage(req.path);
    const r = await analyzer.analyze(img, req.opts);
    const result = { ...r, width: img.width, height: img.height };
    parentPort!.postMessage({ id: req.id, result }, r.embedding ? [r.embedding.buffer as ArrayBuffer] : []);
  } catch (err) {
    parentPort!.postMessage({ id: req.id, error: (err as Error).message ?? String(err) });
  }
});
