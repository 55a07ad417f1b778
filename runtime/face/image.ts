/**
 * Pixel work done in plain TypeScript rather than by sharp or a canvas, so Node and the browser turn the
 * same decoded pixels into bit-identical model inputs (the browser test compares scores to 1e-3).
 */
import type { FloatTensor, RgbImage } from './types.ts';

/** Per-channel input normalisation: value = (pixel - mean[c]) / std[c], channels in model order. */
export interface Normalisation {
  order: 'rgb' | 'bgr';
  mean: [number, number, number];
  std: [number, number, number];
}

/**
 * Bilinear resize with half-pixel centres (what cv2.resize INTER_LINEAR does), written into the
 * top-left corner of a `size`x`size` zero canvas, as an NCHW float tensor. Returns the scale applied,
 * so detections can be mapped back by dividing by it.
 */
export function letterbox(img: RgbImage, size: number, norm: Normalisation): { tensor: FloatTensor; scale: number } {
  const scale = Math.min(size / img.width, size / img.height);
  const nw = Math.max(1, Math.min(size, Math.floor(img.width * scale)));
  const nh = Math.max(1, Math.min(size, Math.floor(img.height * scale)));
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  const channels = norm.order === 'rgb' ? [0, 1, 2] : [2, 1, 0];
  // Padding is a zero *pixel*, normalised like any other, as in the reference implementations.
  for (let c = 0; c < 3; c++) out.fill((0 - norm.mean[c]) / norm.std[c], c * plane, (c + 1) * plane);
  const sx = img.width / nw;
  const sy = img.height / nh;
  const xs = axisWeights(nw, sx, img.width);
  const { data, width } = img;
  for (let y = 0; y < nh; y++) {
    let fy = (y + 0.5) * sy - 0.5;
    if (fy < 0) fy = 0;
    const y0 = Math.min(Math.floor(fy), img.height - 1);
    const y1 = Math.min(y0 + 1, img.height - 1);
    const wy = fy - y0;
    const row0 = y0 * width * 3;
    const row1 = y1 * width * 3;
    for (let x = 0; x < nw; x++) {
      const x0 = xs.i0[x] * 3;
      const x1 = xs.i1[x] * 3;
      const wx = xs.w[x];
      const o = y * size + x;
      for (let k = 0; k < 3; k++) {
        const c = channels[k];
        const top = data[row0 + x0 + c] + (data[row0 + x1 + c] - data[row0 + x0 + c]) * wx;
        const bottom = data[row1 + x0 + c] + (data[row1 + x1 + c] - data[row1 + x0 + c]) * wx;
        out[k * plane + o] = (top + (bottom - top) * wy - norm.mean[k]) / norm.std[k];
      }
    }
  }
  return { tensor: { data: out, dims: [1, 3, size, size] }, scale: nw / img.width };
}

function axisWeights(n: number, step: number, limit: number): { i0: Int32Array; i1: Int32Array; w: Float32Array } {
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const w = new Float32Array(n);
  for (let x = 0; x < n; x++) {
    let f = (x + 0.5) * step - 0.5;
    if (f < 0) f = 0;
    const a = Math.min(Math.floor(f), limit - 1);
    i0[x] = a;
    i1[x] = Math.min(a + 1, limit - 1);
    w[x] = f - a;
  }
  return { i0, i1, w };
}

/** An RGB image as an NCHW float tensor (no resizing). */
export function toTensor(img: RgbImage, norm: Normalisation): FloatTensor {
  const plane = img.width * img.height;
  const out = new Float32Array(3 * plane);
  const channels = norm.order === 'rgb' ? [0, 1, 2] : [2, 1, 0];
  for (let i = 0; i < plane; i++) {
    for (let k = 0; k < 3; k++) out[k * plane + i] = (img.data[i * 3 + channels[k]] - norm.mean[k]) / norm.std[k];
  }
  return { data: out, dims: [1, 3, img.height, img.width] };
}
