/**
 * Detect → choose one face → align → embed. The policy for photos with several faces lives here so the
 * nodes, the CLI and the browser preview all give the same answer for the same photo.
 */
import { alignFace } from './align.ts';
import type { Detector, DetectorOptions } from './detectors.ts';
import type { Embedder } from './embedders.ts';
import { faceArea, type Face, type RgbImage } from './types.ts';

/** `largest`: use the largest face; `fail`: a photo with more than one dominant face gets no embedding. */
export type MultiFacePolicy = 'largest' | 'fail';

export interface AnalyzeOptions extends DetectorOptions {
  multiFace?: MultiFacePolicy;
  /** A face counts as dominant when its area is at least this fraction of the largest face's (default 0.25). */
  dominance?: number;
}

export interface FaceResult {
  /** Every face found, largest first. */
  faces: Face[];
  /** How many faces are dominant (the rest are small background faces). */
  dominant: number;
  face?: Face;
  embedding?: Float32Array;
  /** Why there is no embedding: "no face found" or "N faces". */
  reason?: string;
}

export class FaceAnalyzer {
  constructor(
    readonly detector: Detector,
    readonly embedder: Embedder,
  ) {}

  async detect(img: RgbImage, opts?: DetectorOptions): Promise<Face[]> {
    return (await this.detector.detect(img, opts)).sort((a, b) => faceArea(b) - faceArea(a));
  }

  embedFace(img: RgbImage, face: Face): Promise<Float32Array> {
    return this.embedder.embed(alignFace(img, face.landmarks));
  }

  async analyze(img: RgbImage, opts: AnalyzeOptions = {}): Promise<FaceResult> {
    const faces = await this.detect(img, opts);
    const dominant = countDominant(faces, opts.dominance ?? 0.25);
    if (faces.length === 0) return { faces, dominant, reason: 'no face found' };
    if (dominant > 1 && (opts.multiFace ?? 'largest') === 'fail') return { faces, dominant, reason: `${dominant} faces` };
    return { faces, dominant, face: faces[0], embedding: await this.embedFace(img, faces[0]) };
  }
}

/** Faces (sorted largest first) whose area is at least `ratio` of the largest. */
export function countDominant(faces: readonly Face[], ratio: number): number {
  if (faces.length === 0) return 0;
  const largest = faceArea(faces[0]);
  return faces.filter((f) => faceArea(f) >= ratio * largest).length;
}
