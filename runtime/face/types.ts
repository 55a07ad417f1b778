/**
 * Shared shapes of the face module. Pure TypeScript: the same code runs under Node (onnxruntime-node)
 * and in a browser worker (onnxruntime-web); only the adapters that decode images and create sessions differ.
 */

/** A decoded image: interleaved 8-bit RGB, EXIF orientation already applied, sRGB. */
export interface RgbImage {
  width: number;
  height: number;
  /** width * height * 3 bytes, row-major, R G B. */
  data: Uint8Array;
}

export type Point = [number, number];

export interface Face {
  /** x1, y1, x2, y2 in source-image pixels. */
  box: [number, number, number, number];
  score: number;
  /** Image-left eye, image-right eye, nose, image-left mouth corner, image-right mouth corner. */
  landmarks: [Point, Point, Point, Point, Point];
}

/** A float32 input fed to a model. */
export interface FloatTensor {
  data: Float32Array;
  dims: number[];
}

/** What the face code needs from an ONNX session; both onnxruntime-node and onnxruntime-web fit behind it. */
export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, FloatTensor>): Promise<Record<string, { data: ArrayLike<number>; dims: readonly number[] }>>;
}

export function faceArea(face: Face): number {
  return Math.max(0, face.box[2] - face.box[0]) * Math.max(0, face.box[3] - face.box[1]);
}
