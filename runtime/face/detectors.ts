/**
 * Face detectors with 5 landmarks: input preparation and output decoding for YuNet (OpenCV Zoo, MIT)
 * and SCRFD (InsightFace det_500m; the weights are licensed for non-commercial research only).
 * Recipes: shared/reference/backends.md §10.2-10.3.
 */
import { letterbox } from './image.ts';
import { nms } from './nms.ts';
import type { Face, FloatTensor, ModelSession, Point, RgbImage } from './types.ts';

export type DetectorKind = 'yunet' | 'scrfd';

export interface DetectorOptions {
  /** Minimum face score; defaults per detector (YuNet 0.9 as OpenCV, SCRFD 0.5 as InsightFace). */
  scoreThreshold?: number;
}

export interface Detector {
  readonly kind: DetectorKind;
  detect(img: RgbImage, opts?: DetectorOptions): Promise<Face[]>;
}

const SIZE = 640;
const STRIDES = [8, 16, 32] as const;

type Outputs = Record<string, { data: ArrayLike<number>; dims: readonly number[] }>;

export function createDetector(kind: DetectorKind, session: ModelSession): Detector {
  const spec = kind === 'yunet' ? YUNET : SCRFD;
  // Input buffers (4.9 MB each) are reused across photos, one per detection in flight: a worker interleaves photos.
  const spare: Float32Array[] = [];
  return {
    kind,
    async detect(img, opts = {}) {
      const input = spare.pop() ?? new Float32Array(3 * SIZE * SIZE);
      const { tensor, scale } = spec.prepare(img, input);
      const outputs = await session.run({ [session.inputNames[0]]: tensor }).finally(() => {
        // onnxruntime-web's proxy mode transfers input buffers to its own worker; a detached one is dropped.
        if (input.length > 0) spare.push(input);
      });
      const threshold = opts.scoreThreshold ?? spec.threshold;
      const raw = spec.decode(outputs, session.outputNames, threshold);
      return nms(raw, spec.nmsIou).map((f) => unscale(f, scale, img));
    },
  };
}

interface DetectorSpec {
  threshold: number;
  nmsIou: number;
  prepare(img: RgbImage, out: Float32Array): { tensor: FloatTensor; scale: number };
  decode(outputs: Outputs, names: readonly string[], threshold: number): Face[];
}

const YUNET: DetectorSpec = {
  threshold: 0.9,
  nmsIou: 0.3,
  prepare: (img, out) => letterbox(img, SIZE, { order: 'bgr', mean: [0, 0, 0], std: [1, 1, 1] }, out),
  decode(outputs, _names, threshold) {
    const faces: Face[] = [];
    for (const s of STRIDES) {
      const cls = need(outputs, `cls_${s}`).data;
      const obj = need(outputs, `obj_${s}`).data;
      const bbox = need(outputs, `bbox_${s}`).data;
      const kps = need(outputs, `kps_${s}`).data;
      const cols = SIZE / s;
      for (let i = 0; i < cls.length; i++) {
        const score = Math.sqrt(clamp01(cls[i]) * clamp01(obj[i]));
        if (score < threshold) continue;
        const r = Math.floor(i / cols);
        const c = i % cols;
        const cx = (c + bbox[i * 4]) * s;
        const cy = (r + bbox[i * 4 + 1]) * s;
        const w = Math.exp(bbox[i * 4 + 2]) * s;
        const h = Math.exp(bbox[i * 4 + 3]) * s;
        const landmarks = fivePoints((j) => [(kps[i * 10 + 2 * j] + c) * s, (kps[i * 10 + 2 * j + 1] + r) * s]);
        faces.push({ box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], score, landmarks });
      }
    }
    return faces;
  },
};

const SCRFD: DetectorSpec = {
  threshold: 0.5,
  nmsIou: 0.4,
  prepare: (img, out) => letterbox(img, SIZE, { order: 'rgb', mean: [127.5, 127.5, 127.5], std: [128, 128, 128] }, out),
  decode(outputs, names, threshold) {
    // Output names differ between exports; the order [scores x3, boxes x3, landmarks x3] does not.
    if (names.length !== 9) throw new Error(`SCRFD model has ${names.length} outputs; expected 9 (3 strides x score, box, landmarks)`);
    const faces: Face[] = [];
    STRIDES.forEach((s, k) => {
      const scores = need(outputs, names[k]).data;
      const boxes = need(outputs, names[k + 3]).data;
      const kps = need(outputs, names[k + 6]).data;
      const cols = SIZE / s;
      for (let i = 0; i < scores.length; i++) {
        const score = scores[i];
        if (score < threshold) continue;
        const cell = Math.floor(i / 2);
        const cx = (cell % cols) * s;
        const cy = Math.floor(cell / cols) * s;
        const landmarks = fivePoints((j) => [cx + kps[i * 10 + 2 * j] * s, cy + kps[i * 10 + 2 * j + 1] * s]);
        faces.push({
          box: [cx - boxes[i * 4] * s, cy - boxes[i * 4 + 1] * s, cx + boxes[i * 4 + 2] * s, cy + boxes[i * 4 + 3] * s],
          score,
          landmarks,
        });
      }
    });
    return faces;
  },
};

function need(outputs: Outputs, name: string): { data: ArrayLike<number> } {
  const t = outputs[name];
  if (!t) throw new Error(`detector output "${name}" is missing; outputs are ${Object.keys(outputs).join(', ')}`);
  return t;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

function fivePoints(at: (j: number) => Point): Face['landmarks'] {
  return [at(0), at(1), at(2), at(3), at(4)];
}

/** Back to source pixels; boxes are clipped to the image, landmarks are left as found. */
function unscale(f: Face, scale: number, img: RgbImage): Face {
  const [x1, y1, x2, y2] = f.box.map((v) => v / scale);
  return {
    score: f.score,
    box: [Math.max(0, x1), Math.max(0, y1), Math.min(img.width, x2), Math.min(img.height, y2)],
    landmarks: fivePoints((j) => [f.landmarks[j][0] / scale, f.landmarks[j][1] / scale]),
  };
}
