/**
 * Face embedders and their exact preprocessing (backends.md §10.5): the face must already be aligned to 112x112.
 */
import { toTensor, type Normalisation } from './image.ts';
import type { ModelSession, RgbImage } from './types.ts';
import { l2normalize } from './similarity.ts';

export type EmbedderKind = 'mobilefacenet' | 'arcface';

export const EMBEDDER_NORMALISATION: Record<EmbedderKind, Normalisation> = {
  // foamliu/MobileFaceNet's validation transform: ImageNet statistics on 0..1 pixels, written here on 0..255.
  mobilefacenet: { order: 'rgb', mean: [0.485 * 255, 0.456 * 255, 0.406 * 255], std: [0.229 * 255, 0.224 * 255, 0.225 * 255] },
  // InsightFace ArcFace (w600k_r50, w600k_mbf): (x - 127.5) / 127.5, RGB.
  arcface: { order: 'rgb', mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] },
};

export interface Embedder {
  readonly kind: EmbedderKind;
  /** An L2-normalised embedding of an aligned 112x112 face. */
  embed(aligned: RgbImage): Promise<Float32Array>;
}

export function createEmbedder(kind: EmbedderKind, session: ModelSession): Embedder {
  return {
    kind,
    async embed(aligned) {
      if (aligned.width !== 112 || aligned.height !== 112) throw new Error(`embedder input must be an aligned 112x112 face, got ${aligned.width}x${aligned.height}`);
      const out = await session.run({ [session.inputNames[0]]: toTensor(aligned, EMBEDDER_NORMALISATION[kind]) });
      const t = out[session.outputNames[0]];
      return l2normalize(Float32Array.from(t.data));
    },
  };
}
