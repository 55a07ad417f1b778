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
 * so detections can be mapped back by dividing by it. `out` (3 x size x size), when given, is
 * overwritten entirely, so a caller can reuse one buffer across photos.
 */
export function letterbox(
  img: RgbImage,
  size: number,
  norm: Normalisation,
  out: Float32Array = new Float32Array(3 * size * size),
): { tensor: FloatTensor; scale: number } {
  const scale = Math.min(size / img.width, size / img.height);
  const nw = Math.max(1, Math.min(size, Math.floor(img.width * scale)));
  const nh = Math.max(1, Math.min(size, Math.floor(img.height * scale)));
  const plane = size * size;
  if (out.length !== 3 * plane) throw new Error(`letterbox: the output buffer holds ${out.length} values, not 3 x ${size} x ${size}`);
  // Each sample reads a pixel and its right neighbour together, so a one-pixel-wide image is read as two equal columns.
  const data = img.width > 1 ? img.data : twoColumns(img.data);
  const rowBytes = Math.max(2, img.width) * 3;
  const xs = axisWeights(nw, img.width / nw, img.width, 3, true);
  const ys = axisWeights(nh, img.height / nh, img.height, rowBytes, false);
  // Four bytes at a time: R G B of a pixel and R of its neighbour, then the neighbour's G B.
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  // Source channels are fixed (R G B); the output plane each one lands in follows the model's channel order.
  const ir = norm.order === 'rgb' ? 0 : 2, ib = 2 - ir;
  const pr = ir * plane, pg = plane, pb = ib * plane;
  const mr = norm.mean[ir], mg = norm.mean[1], mb = norm.mean[ib];
  const sr = 1 / norm.std[ir], sg = 1 / norm.std[1], sb = 1 / norm.std[ib];
  const xi = xs.i, xw = xs.w;
  for (let y = 0; y < nh; y++) {
    const top = ys.i[y], bottom = top + ys.next[y], wy = ys.w[y];
    const o = y * size, or = o + pr, og = o + pg, ob = o + pb;
    for (let x = 0; x < nw; x++) {
      const a = top + xi[x], c = bottom + xi[x], wx = xw[x];
      const p = view.getUint32(a, true), q = view.getUint16(a + 4, true);
      const s = view.getUint32(c, true), v = view.getUint16(c + 4, true);
      let t = p & 255, u = s & 255;
      t += ((p >>> 24) - t) * wx;
      u += ((s >>> 24) - u) * wx;
      out[or + x] = (t + (u - t) * wy - mr) * sr;
      t = (p >>> 8) & 255;
      u = (s >>> 8) & 255;
      t += ((q & 255) - t) * wx;
      u += ((v & 255) - u) * wx;
      out[og + x] = (t + (u - t) * wy - mg) * sg;
      t = (p >>> 16) & 255;
      u = (s >>> 16) & 255;
      t += ((q >>> 8) - t) * wx;
      u += ((v >>> 8) - u) * wx;
      out[ob + x] = (t + (u - t) * wy - mb) * sb;
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

/**
 * Per output position along one axis (half-pixel centres): the first source index, pre-multiplied by `stride`, the
 * offset to the second, and the weight of the second. With `pairs`, the second is always the next pixel: where
 * the edge clamps both to the last pixel, the pair steps back one and puts all the weight on the last pixel.
 */
function axisWeights(n: number, step: number, limit: number, stride: number, pairs: boolean): { i: Int32Array; next: Int32Array; w: Float64Array } {
  const i = new Int32Array(n);
  const next = new Int32Array(n);
  const w = new Float64Array(n);
  for (let x = 0; x < n; x++) {
    let f = (x + 0.5) * step - 0.5;
    if (f < 0) f = 0;
    let a = Math.min(Math.floor(f), limit - 1);
    w[x] = f - a;
    if (pairs && a === limit - 1) {
      a = Math.max(0, limit - 2);
      w[x] = limit - 1 - a;
    }
    i[x] = a * stride;
    next[x] = (Math.min(a + 1, limit - 1) - a) * stride;
  }
  return { i, next, w };
}

function twoColumns(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length * 2);
  for (let i = 0; i < data.length; i += 3) {
    const px = data.subarray(i, i + 3);
    out.set(px, 2 * i);
    out.set(px, 2 * i + 3);
  }
  return out;
}

/** An RGB image as an NCHW float tensor (no resizing). */
export function toTensor(img: RgbImage, norm: Normalisation): FloatTensor {
  const plane = img.width * img.height;
  const out = new Float32Array(3 * plane);
  const { data } = img;
  const first = norm.order === 'rgb' ? 0 : 2, last = 2 - first;
  // A byte has 256 possible normalised values per plane; looking them up keeps the arithmetic out of the loop.
  const t0 = normalisedBytes(norm, 0), t1 = normalisedBytes(norm, 1), t2 = normalisedBytes(norm, 2);
  for (let i = 0, j = 0; i < plane; i++, j += 3) {
    out[i] = t0[data[j + first]];
    out[plane + i] = t1[data[j + 1]];
    out[2 * plane + i] = t2[data[j + last]];
  }
  return { data: out, dims: [1, 3, img.height, img.width] };
}

function normalisedBytes(norm: Normalisation, plane: number): Float32Array {
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = (v - norm.mean[plane]) / norm.std[plane];
  return table;
}
