/**
 * The `identity` value: embeddings of reference photos around a robust centre, tagged with the models that
 * made them (embeddings from different embedders are not comparable).
 */
import { NodeError } from '../../../runtime/graph/node-definition.ts';
import { cosine, l2normalize } from '../../../runtime/face/similarity.ts';
import { DETECTOR_IDS, EMBEDDER_IDS, modelEntry, type DetectorId, type EmbedderId } from '../../../runtime/models/catalog.ts';
import type { EmbedderKind } from '../../../runtime/face/embedders.ts';

export interface IdentityReference {
  source: string;
  embedding: number[];
  /** Cosine to the centre. */
  cosine: number;
  outlier: boolean;
}

export interface Identity {
  kind: 'castgraph.identity';
  version: 1;
  detector: DetectorId;
  embedder: EmbedderId;
  dim: number;
  centre: number[];
  references: IdentityReference[];
}

export function embedderFamily(id: EmbedderId): EmbedderKind {
  return modelEntry(id).family as EmbedderKind;
}

/**
 * A centre that a minority of wrong photos cannot drag: start from the medoid (the embedding with the highest
 * median cosine to the others), keep the embeddings within `minCosine` of it, average them, and re-check
 * every embedding against that average.
 */
export function robustCentre(embeddings: Float32Array[], minCosine: number): { centre: Float32Array; cosines: number[]; outliers: boolean[] } {
  if (embeddings.length === 0) throw new Error('no embeddings');
  const medianTo = (i: number) => {
    const c = embeddings.filter((_, j) => j !== i).map((e) => cosine(embeddings[i], e)).sort((a, b) => a - b);
    return c.length === 0 ? 1 : c[Math.floor((c.length - 1) / 2)];
  };
  let medoid = 0;
  let best = -Infinity;
  embeddings.forEach((_, i) => {
    const m = medianTo(i);
    if (m > best) [best, medoid] = [m, i];
  });
  const near = embeddings.filter((e) => cosine(e, embeddings[medoid]) >= minCosine);
  const centre = mean(near.length > 0 ? near : [embeddings[medoid]]);
  const cosines = embeddings.map((e) => cosine(e, centre));
  return { centre, cosines, outliers: cosines.map((c) => c < minCosine) };
}

function mean(list: Float32Array[]): Float32Array {
  const out = new Float32Array(list[0].length);
  for (const e of list) for (let i = 0; i < e.length; i++) out[i] += e[i];
  return l2normalize(out);
}

export function parseIdentity(value: unknown, field: string): Identity {
  const v = value as Partial<Identity> | undefined;
  if (!v || v.kind !== 'castgraph.identity') throw new NodeError(`${field}: expected an identity (made by identity.profile)`);
  if (!DETECTOR_IDS.includes(v.detector as DetectorId) || !EMBEDDER_IDS.includes(v.embedder as EmbedderId)) {
    throw new NodeError(`${field}: the identity names unknown models (${v.detector}, ${v.embedder})`);
  }
  if (!Array.isArray(v.centre) || v.centre.length !== v.dim || !v.centre.every(Number.isFinite)) {
    throw new NodeError(`${field}.centre: expected ${v.dim} numbers`);
  }
  return v as Identity;
}

export const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
