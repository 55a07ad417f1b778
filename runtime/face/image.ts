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
  const xs = axisWeights(nw, img.width / nw, img.width);
  const ys = axisWeights(nh, img.height / nh, img.height, img.width * 3);
  const { data } = img;
  // Output planes in model channel order; `first` is the source channel that goes to plane 0.
  const first = norm.order === 'rgb' ? 0 : 2;
  const last = 2 - first;
  const [m0, m1, m2] = norm.mean;
  const s0 = 1 / norm.std[0], s1 = 1 / norm.std[1], s2 = 1 / norm.std[2];
  const xi0 = xs.i0, xi1 = xs.i1, xw = xs.w;
  for (let y = 0; y < nh; y++) {
    const row0 = ys.i0[y];
    const row1 = ys.i1[y];
    const wy = ys.w[y];
    const o = y * size;
    const o1 = o + plane, o2 = o + 2 * plane;
    for (let x = 0; x < nw; x++) {
      const a = row0 + xi0[x], b = row0 + xi1[x], c = row1 + xi0[x], d = row1 + xi1[x];
      const wx = xw[x];
      // Weights of the four neighbours, so each channel is one dot product.
      const wa = (1 - wx) * (1 - wy), wb = wx * (1 - wy), wc = (1 - wx) * wy, wd = wx * wy;
      out[o + x] = (data[a + first] * wa + data[b + first] * wb + data[c + first] * wc + data[d + first] * wd - m0) * s0;
      out[o1 + x] = (data[a + 1] * wa + data[b + 1] * wb + data[c + 1] * wc + data[d + 1] * wd - m1) * s1;
      out[o2 + x] = (data[a + last] * wa + data[b + last] * wb + data[c + last] * wc + data[d + last] * wd - m2) * s2;
    }
  }
  // Padding is a zero *pixel*, normalised like any other, as in the reference implementations; only the
  // right and bottom strips the image does not cover are filled.
  for (let c = 0; c < 3; c++) {
    const pad = (0 - norm.mean[c]) / norm.std[c];
    const base = c * plane;
    if (nw < size) for (let y = 0; y < nh; y++) out.fill(pad, base + y * size + nw, base + (y + 1) * size);
    out.fill(pad, base + nh * size, base + plane);
  }
  return { tensor: { data: out, dims: [1, 3, size, size] }, scale: nw / img.width };
}

/** Source index pairs and weights along one axis (half-pixel centres); indices are pre-multiplied by `stride`. */
function axisWeights(n: number, step: number, limit: number, stride = 3): { i0: Int32Array; i1: Int32Array; w: Float64Array } {
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const w = new Float64Array(n);
  for (let x = 0; x < n; x++) {
    let f = (x + 0.5) * step - 0.5;
    if (f < 0) f = 0;
    const a = Math.min(Math.floor(f), limit - 1);
    i0[x] = a * stride;
    i1[x] = Math.min(a + 1, limit - 1) * stride;
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
