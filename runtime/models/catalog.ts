/**
 * The face models Castgraph knows: where each comes from, its exact bytes (sha256), its licence and how it
 * must be fed. Pure data, shared by the model manager (Node) and the browser face worker.
 */
import type { DetectorKind } from '../face/detectors.ts';
import type { EmbedderKind } from '../face/embedders.ts';

export interface ModelEntry {
  id: string;
  role: 'detector' | 'embedder';
  /** Which decoder/preprocessing in runtime/face drives it. */
  family: DetectorKind | EmbedderKind;
  /** The name under the models directory. */
  file: string;
  sha256: string;
  size: number;
  /** The official download. When it is an archive, `member` names the file inside it. */
  url: string;
  member?: string;
  licence: string;
  commercial: boolean;
  preprocessing: string;
  notes?: string;
}

const INSIGHTFACE_LICENCE = 'InsightFace pretrained models: non-commercial research purposes only';

export const MODELS: readonly ModelEntry[] = [
  {
    id: 'yunet',
    role: 'detector',
    family: 'yunet',
    file: 'face_detection_yunet_2023mar.onnx',
    sha256: '8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4',
    size: 232_589,
    url: 'https://github.com/opencv/opencv_zoo/raw/main/models/face_detection_yunet/face_detection_yunet_2023mar.onnx',
    licence: 'MIT (OpenCV Zoo, (c) 2020 Shiqi Yu)',
    commercial: true,
    preprocessing: 'letterbox to 640x640 at the top-left, BGR, raw 0..255; score >= 0.9, NMS IoU 0.3',
  },
  {
    id: 'scrfd',
    role: 'detector',
    family: 'scrfd',
    file: 'det_500m.onnx',
    sha256: '5e4447f50245bbd7966bd6c0fa52938c61474a04ec7def48753668a9d8b4ea3a',
    size: 2_524_817,
    url: 'https://github.com/deepinsight/insightface/releases/download/v0.7/buffalo_sc.zip',
    member: 'det_500m.onnx',
    licence: INSIGHTFACE_LICENCE,
    commercial: false,
    preprocessing: 'letterbox to 640x640 at the top-left, RGB, (x - 127.5) / 128; score >= 0.5, NMS IoU 0.4',
  },
  {
    id: 'mobilefacenet',
    role: 'embedder',
    family: 'mobilefacenet',
    file: 'mobilefacenet_foamliu.onnx',
    sha256: 'b7120c095d60094f28a4a54ba6a8bf51b297a6273fb40ef6350dfec1f63d9507',
    size: 3_998_070,
    url: 'https://github.com/foamliu/MobileFaceNet/raw/a6cc9032a659b615f477833e1a70b5e7931bcccc/weights/MobileFaceNet.onnx',
    licence: 'Apache-2.0 (foamliu/MobileFaceNet)',
    commercial: true,
    preprocessing: 'aligned 112x112 (ArcFace template), RGB, ImageNet mean/std on 0..1; 128-d output, L2-normalised',
    notes: 'trained on "Refined MS-Celeb-1M", a data set Microsoft has withdrawn; have legal review look at it before shipping',
  },
  {
    id: 'w600k_r50',
    role: 'embedder',
    family: 'arcface',
    file: 'w600k_r50.onnx',
    sha256: '4c06341c33c2ca1f86781dab0e829f88ad5b64be9fba56e56bc9ebdefc619e43',
    size: 174_383_860,
    url: 'https://github.com/deepinsight/insightface/releases/download/v0.7/buffalo_l.zip',
    member: 'w600k_r50.onnx',
    licence: INSIGHTFACE_LICENCE,
    commercial: false,
    preprocessing: 'aligned 112x112 (ArcFace template), RGB, (x - 127.5) / 127.5; 512-d output, L2-normalised',
  },
  {
    id: 'w600k_mbf',
    role: 'embedder',
    family: 'arcface',
    file: 'w600k_mbf.onnx',
    sha256: '9cc6e4a75f0e2bf0b1aed94578f144d15175f357bdc05e815e5c4a02b319eb4f',
    size: 13_616_099,
    url: 'https://github.com/deepinsight/insightface/releases/download/v0.7/buffalo_sc.zip',
    member: 'w600k_mbf.onnx',
    licence: INSIGHTFACE_LICENCE,
    commercial: false,
    preprocessing: 'aligned 112x112 (ArcFace template), RGB, (x - 127.5) / 127.5; 512-d output, L2-normalised',
  },
];

export const DETECTOR_IDS = ['yunet', 'scrfd'] as const;
export const EMBEDDER_IDS = ['mobilefacenet', 'w600k_r50', 'w600k_mbf'] as const;
export type DetectorId = (typeof DETECTOR_IDS)[number];
export type EmbedderId = (typeof EMBEDDER_IDS)[number];

export function modelEntry(id: string): ModelEntry {
  const m = MODELS.find((e) => e.id === id);
  if (!m) throw new Error(`unknown model "${id}"; known models: ${MODELS.map((e) => e.id).join(', ')}`);
  return m;
}

/** The one-line licence warning shown wherever a non-commercial model is chosen. */
export function licenceWarning(id: string): string | undefined {
  const m = modelEntry(id);
  return m.commercial ? undefined : `model "${id}" is licensed for non-commercial research only (${m.licence})`;
}
