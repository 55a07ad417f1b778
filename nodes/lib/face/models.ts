/**
 * How nodes get face analysis: models come from the server's configured models directory
 * (`ctx.config.modelsDir`, else CASTGRAPH_MODELS_DIR, else ~/.castgraph/models) and are sha256-verified.
 */
import type { ArtifactRef, RunContext } from '../../../runtime/graph/node-definition.ts';
import { NodeError } from '../../../runtime/graph/node-definition.ts';
import { loadAnalysisPool } from '../../../runtime/face/node.ts';
import type { FaceAnalysisPool, PhotoResult } from '../../../runtime/face/node-pool.ts';
import type { AnalyzeOptions } from '../../../runtime/face/analyzer.ts';
import { DETECTOR_IDS, EMBEDDER_IDS, licenceWarning, type DetectorId, type EmbedderId } from '../../../runtime/models/catalog.ts';
import { ModelError, ModelManager } from '../../../runtime/models/manager.ts';

export const DETECTOR_INPUT = {
  type: 'enum',
  values: DETECTOR_IDS,
  default: 'yunet',
  description: 'Face detector. yunet: MIT licence. scrfd: InsightFace det_500m, NON-COMMERCIAL research use only.',
} as const;

export const EMBEDDER_INPUT = {
  type: 'enum',
  values: EMBEDDER_IDS,
  default: 'mobilefacenet',
  description: 'Face embedder. mobilefacenet: Apache-2.0 (trained on MS-Celeb-1M, see the README). w600k_r50 / w600k_mbf: InsightFace, NON-COMMERCIAL research use only.',
} as const;

/** The worker pool that analyses photos for nodes (scales across cores; same results as the in-process analyzer). */
export async function analyzerFor(ctx: RunContext, detector: unknown = 'yunet', embedder: unknown = 'mobilefacenet'): Promise<FaceAnalysisPool> {
  if (!DETECTOR_IDS.includes(detector as DetectorId)) throw new NodeError(`inputs.detector: expected one of ${DETECTOR_IDS.join(', ')}, got ${JSON.stringify(detector)}`);
  if (!EMBEDDER_IDS.includes(embedder as EmbedderId)) throw new NodeError(`inputs.embedder: expected one of ${EMBEDDER_IDS.join(', ')}, got ${JSON.stringify(embedder)}`);
  for (const id of [detector, embedder] as string[]) {
    const warning = licenceWarning(id);
    if (warning) ctx.log.warn(warning);
  }
  const dir = typeof ctx.config.modelsDir === 'string' ? ctx.config.modelsDir : undefined;
  try {
    return await loadAnalysisPool({ detector: detector as DetectorId, embedder: embedder as EmbedderId, manager: new ModelManager(dir) });
  } catch (err) {
    if (err instanceof ModelError) throw new NodeError(err.message, 'config', { cause: err });
    throw err;
  }
}

/** Analyses one image artifact (checked by listOfImages) on the pool; an undecodable image is a NodeError naming `field`. */
export async function analyzeArtifact(ctx: RunContext, pool: FaceAnalysisPool, ref: ArtifactRef, field: string, opts: AnalyzeOptions): Promise<PhotoResult> {
  try {
    return await pool.analyzeFile(ctx.artifacts.path(ref), opts);
  } catch (err) {
    throw new NodeError(`${field}: cannot analyse image ${ref.name ?? ref.$artifact}: ${(err as Error).message}`, 'user', { cause: err });
  }
}
