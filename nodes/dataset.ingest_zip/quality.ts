/**
 * Photo quality measures for dataset cleaning, computed on small grayscale versions so thresholds do not
 * depend on the photo's resolution.
 */
import sharp from 'sharp';
import type { RgbImage } from '../../runtime/face/types.ts';

const SIDE = 512;

export interface Quality {
  /** The photo at 512 px on its longer side (RGB), reused for the thumbnail. */
  small: RgbImage;
  /** Variance of the 4-neighbour Laplacian at 512 px on the longer side: low means blurry. */
  sharpness: number;
  /** 64-bit difference hash as two 32-bit halves. */
  hash: [number, number];
}

/**
 * Both measures from one small copy of the photo (one sharp pipeline; bilinear is enough for measuring and
 * twice as cheap as lanczos3): the Laplacian on its luma as is, the difference hash from its 9x8 area
 * averages (re-encodes, resizes and small edits change few bits).
 */
export async function quality(img: RgbImage): Promise<Quality> {
  const scale = SIDE / Math.max(img.width, img.height);
  const w = Math.max(9, Math.round(img.width * scale));
  const h = Math.max(8, Math.round(img.height * scale));
  const rgb = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).resize(w, h, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
  const { luma, hash } = lumaAndHash(rgb, w, h);
  return { small: { width: w, height: h, data: rgb }, sharpness: laplacianVariance(luma, w, h), hash };
}

/**
 * Rec. 601 luma by hand (libvips' greyscale() goes through a colour-space conversion that costs 3x the resize),
 * and in the same pass the 64-bit difference hash from area averages on a 9x8 grid.
 */
function lumaAndHash(rgb: Uint8Array, w: number, h: number): { luma: Uint8Array; hash: [number, number] } {
  const luma = new Uint8Array(w * h);
  // Grid column c covers pixel columns [edge[c], edge[c + 1]); grid rows likewise, so each row sums 9 runs.
  const edge = new Int32Array(10);
  for (let x = 0, c = 0; x < w; x++) while (c < 8 && Math.floor((x * 9) / w) > c) edge[++c] = x;
  edge[9] = w;
  const cells = new Float64Array(72);
  const counts = new Float64Array(72);
  for (let y = 0; y < h; y++) {
    const row = Math.min(7, Math.floor((y * 8) / h)) * 9;
    const base = y * w;
    for (let c = 0; c < 9; c++) {
      let sum = 0;
      for (let i = base + edge[c], end = base + edge[c + 1], j = i * 3; i < end; i++, j += 3) {
        const v = ((rgb[j] * 299 + rgb[j + 1] * 587 + rgb[j + 2] * 114 + 500) / 1000) | 0;
        luma[i] = v;
        sum += v;
      }
      cells[row + c] += sum;
      counts[row + c] += edge[c + 1] - edge[c];
    }
  }
  const bits = [0, 0];
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      const i = y * 8 + x;
      if (cells[y * 9 + x] / counts[y * 9 + x] > cells[y * 9 + x + 1] / counts[y * 9 + x + 1]) bits[i >> 5] |= 1 << (i & 31);
    }
  }
  return { luma, hash: [bits[0] >>> 0, bits[1] >>> 0] };
}

function laplacianVariance(g: Uint8Array, w: number, h: number): number {
  // Integer sums per row (a row of 510 squares of at most 1020 stays under 2^31), exact in any order; the
  // row's pixels slide through three locals so each step loads three bytes, not five.
  let sum = 0, sumSq = 0;
  for (let y = 1; y < h - 1; y++) {
    let rowSum = 0, rowSq = 0;
    let left = g[y * w], mid = g[y * w + 1];
    for (let i = y * w + 1, end = y * w + w - 1; i < end; i++) {
      const right = g[i + 1];
      const lap = left + right + g[i - w] + g[i + w] - 4 * mid;
      rowSum += lap;
      rowSq += lap * lap;
      left = mid;
      mid = right;
    }
    sum += rowSum;
    sumSq += rowSq;
  }
  const n = (w - 2) * (h - 2);
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

export function hamming(a: [number, number], b: [number, number]): number {
  return popcount(a[0] ^ b[0]) + popcount(a[1] ^ b[1]);
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
