/**
 * 5-point alignment onto the ArcFace 112x112 template: a least-squares similarity transform
 * (Umeyama; what skimage's SimilarityTransform.estimate computes) and a bilinear warp with a black
 * border (what cv2.warpAffine does). backends.md §10.4.
 */
import type { Point, RgbImage } from './types.ts';

export const ARCFACE_TEMPLATE: readonly Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/** Row-major 2x3 affine matrix [a, b, tx, c, d, ty]: x' = a x + b y + tx, y' = c x + d y + ty. */
export type Affine = [number, number, number, number, number, number];

/** The template for an output size S (scaled for S % 112 == 0; InsightFace's shifted form for S % 128 == 0). */
export function templateFor(size: number): Point[] {
  if (size % 112 === 0) return ARCFACE_TEMPLATE.map(([x, y]) => [(x * size) / 112, (y * size) / 112]);
  if (size % 128 === 0) return ARCFACE_TEMPLATE.map(([x, y]) => [(x * size) / 128 + (8 * size) / 128, (y * size) / 128]);
  throw new Error(`alignment size ${size} must be a multiple of 112 or 128`);
}

/** Least-squares rotation + uniform scale + translation mapping `src` onto `dst` (no reflection). */
export function similarityTransform(src: readonly Point[], dst: readonly Point[]): Affine {
  const n = src.length;
  if (n !== dst.length || n < 2) throw new Error('similarityTransform needs two equally long lists of at least 2 points');
  let psx = 0, psy = 0, qsx = 0, qsy = 0;
  for (let i = 0; i < n; i++) {
    psx += src[i][0]; psy += src[i][1]; qsx += dst[i][0]; qsy += dst[i][1];
  }
  const pmx = psx / n, pmy = psy / n, qmx = qsx / n, qmy = qsy / n;
  let norm = 0, dotSum = 0, crossSum = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i][0] - pmx, py = src[i][1] - pmy;
    const qx = dst[i][0] - qmx, qy = dst[i][1] - qmy;
    norm += px * px + py * py;
    dotSum += px * qx + py * qy;
    crossSum += px * qy - py * qx;
  }
  if (norm === 0) throw new Error('similarityTransform: the source points all coincide');
  const a = dotSum / norm;
  const b = crossSum / norm;
  return [a, -b, qmx - (a * pmx - b * pmy), b, a, qmy - (b * pmx + a * pmy)];
}

export function invertAffine(m: Affine): Affine {
  const [a, b, tx, c, d, ty] = m;
  const det = a * d - b * c;
  if (det === 0) throw new Error('affine transform is not invertible');
  const ia = d / det, ib = -b / det, ic = -c / det, id = a / det;
  return [ia, ib, -(ia * tx + ib * ty), ic, id, -(ic * tx + id * ty)];
}

/** Warp `img` by `m` (source → output) into a `width`x`height` image, bilinear, black outside the source. */
export function warpAffine(img: RgbImage, m: Affine, width: number, height: number): RgbImage {
  const [i0, i1, i2, i3, i4, i5] = invertAffine(m);
  const out = new Uint8Array(width * height * 3);
  const { data, width: W, height: H } = img;
  // Two reads per source row: R G B of a pixel and R of its right neighbour, then the neighbour's G B.
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const stride = W * 3;
  let o = 0;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++, o += 3) {
      const sx = i0 * u + i1 * v + i2;
      const sy = i3 * u + i4 * v + i5;
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const fx = sx - x0, fy = sy - y0;
      // A face usually lies well inside the photo: all four neighbours exist and need no checks.
      if (x0 >= 0 && y0 >= 0 && x0 < W - 1 && y0 < H - 1) {
        const p = y0 * stride + x0 * 3;
        const a = view.getUint32(p, true), b = view.getUint16(p + 4, true);
        const c = view.getUint32(p + stride, true), d = view.getUint16(p + stride + 4, true);
        const gx = 1 - fx, gy = 1 - fy;
        // Uint8Array truncates: adding 0.5 rounds the non-negative value.
        out[o] = ((a & 255) * gx + (a >>> 24) * fx) * gy + ((c & 255) * gx + (c >>> 24) * fx) * fy + 0.5;
        out[o + 1] = (((a >>> 8) & 255) * gx + (b & 255) * fx) * gy + (((c >>> 8) & 255) * gx + (d & 255) * fx) * fy + 0.5;
        out[o + 2] = (((a >>> 16) & 255) * gx + (b >>> 8) * fx) * gy + (((c >>> 16) & 255) * gx + (d >>> 8) * fx) * fy + 0.5;
      } else if (x0 >= -1 && y0 >= -1 && x0 < W && y0 < H) {
        borderPixel(img, x0, y0, fx, fy, out, o);
      }
    }
  }
  return { width, height, data: out };
}

/** A sample with some of its four neighbours outside the source: those count as black. */
function borderPixel(img: RgbImage, x0: number, y0: number, fx: number, fy: number, out: Uint8Array, o: number): void {
  const { data, width: W, height: H } = img;
  const stride = W * 3;
  const p = y0 * stride + x0 * 3;
  const inX0 = x0 >= 0, inX1 = x0 + 1 < W, inY0 = y0 >= 0, inY1 = y0 + 1 < H;
  const a = inX0 && inY0, b = inX1 && inY0, c = inX0 && inY1, d = inX1 && inY1;
  for (let k = 0; k < 3; k++) {
    const top = (a ? data[p + k] : 0) * (1 - fx) + (b ? data[p + 3 + k] : 0) * fx;
    const bottom = (c ? data[p + stride + k] : 0) * (1 - fx) + (d ? data[p + stride + 3 + k] : 0) * fx;
    out[o + k] = top * (1 - fy) + bottom * fy + 0.5;
  }
}

/** The face aligned onto the ArcFace template at `size` (112 for every embedder here). */
export function alignFace(img: RgbImage, landmarks: readonly Point[], size = 112): RgbImage {
  return warpAffine(img, similarityTransform(landmarks, templateFor(size)), size, size);
}
