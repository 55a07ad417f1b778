/**
 * Embedding comparison and the IDR (identity-retention) score.
 *
 * Raw cosine is not a probability and its useful range depends on the embedder, so nodes show a score
 * in 0..1 from a logistic curve calibrated per embedder: score = 1 / (1 + exp(-(cos - centre) / width)).
 * MobileFaceNet (foamliu) was calibrated on the fixture photos (shared/fixtures/faces/SOURCES.md): same-person
 * cosines 0.67-0.79, different-person at most 0.23, so the centre sits at 0.45 (score 0.5, the midpoint the
 * reference recommends) and width 0.08 puts the weakest same-person pair near 0.95 and the strongest
 * different-person pair near 0.06. ArcFace w600k uses InsightFace's documented threshold 0.4 as centre; it was
 * not calibrated here (no ArcFace weights in the fixtures).
 */
import type { EmbedderKind } from './embedders.ts';

export interface ScoreCalibration {
  centre: number;
  width: number;
}

export const IDR_CALIBRATION: Record<EmbedderKind, ScoreCalibration> = {
  mobilefacenet: { centre: 0.45, width: 0.08 },
  arcface: { centre: 0.4, width: 0.08 },
};

export function l2normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const n = Math.sqrt(sum);
  if (n === 0) throw new Error('cannot normalise a zero embedding');
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] / n;
  return out;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`embeddings differ in length (${a.length} vs ${b.length}); were they made by the same embedder?`);
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

/** Raw cosine → IDR score in 0..1. */
export function idrScore(cos: number, kind: EmbedderKind): number {
  const { centre, width } = IDR_CALIBRATION[kind];
  return 1 / (1 + Math.exp(-(cos - centre) / width));
}

/** The cosine a score threshold corresponds to (so reports can show both). */
export function cosineForScore(score: number, kind: EmbedderKind): number {
  const { centre, width } = IDR_CALIBRATION[kind];
  return centre - width * Math.log(1 / score - 1);
}
