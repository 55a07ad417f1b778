/**
 * Photo quality measures for dataset cleaning, computed on small grayscale versions so thresholds do not
 * depend on the photo's resolution.
 */
import sharp from 'sharp';
import type { RgbImage } from '../../runtime/face/types.ts';

const BLUR_SIDE = 512;

function raw(img: RgbImage) {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } });
}

/**
 * Difference hash: 9x8 grayscale, one bit per horizontally adjacent pair. Re-encodes, resizes and small
 * edits change few bits; returned as two 32-bit halves.
 */
export async function dHash(img: RgbImage): Promise<[number, number]> {
  const px = await raw(img).greyscale().resize(9, 8, { fit: 'fill' }).raw().toBuffer();
  const bits = [0, 0];
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      const i = y * 8 + x;
      if (px[y * 9 + x] > px[y * 9 + x + 1]) bits[i >> 5] |= 1 << (i & 31);
    }
  }
  return [bits[0] >>> 0, bits[1] >>> 0];
}

export function hamming(a: [number, number], b: [number, number]): number {
  return popcount(a[0] ^ b[0]) + popcount(a[1] ^ b[1]);
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Variance of the 4-neighbour Laplacian on the photo scaled to 512 px on its longer side: low means blurry. */
export async function sharpness(img: RgbImage): Promise<number> {
  const scale = BLUR_SIDE / Math.max(img.width, img.height);
  const w = Math.max(3, Math.round(img.width * scale));
  const h = Math.max(3, Math.round(img.height * scale));
  const g = await raw(img).greyscale().resize(w, h, { fit: 'fill' }).raw().toBuffer();
  let sum = 0, sumSq = 0, n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const lap = g[i - 1] + g[i + 1] + g[i - w] + g[i + w] - 4 * g[i];
      sum += lap;
      sumSq += lap * lap;
      n++;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}
