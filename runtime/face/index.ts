/** The face module's pure core (no Node or DOM APIs); adapters: `./node.ts` and `./browser/`. */
export type { RgbImage, Face, Point, FloatTensor, ModelSession } from './types.ts';
export { faceArea } from './types.ts';
export { letterbox, toTensor, type Normalisation } from './image.ts';
export { nms, iou } from './nms.ts';
export { createDetector, type Detector, type DetectorKind, type DetectorOptions } from './detectors.ts';
export { ARCFACE_TEMPLATE, templateFor, similarityTransform, invertAffine, warpAffine, alignFace, type Affine } from './align.ts';
export { createEmbedder, EMBEDDER_NORMALISATION, type Embedder, type EmbedderKind } from './embedders.ts';
export { l2normalize, cosine, idrScore, cosineForScore, IDR_CALIBRATION, type ScoreCalibration } from './similarity.ts';
export { FaceAnalyzer, countDominant, type AnalyzeOptions, type FaceResult, type MultiFacePolicy } from './analyzer.ts';
export { wrapOrtSession } from './session.ts';
