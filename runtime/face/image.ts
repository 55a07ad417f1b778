/**
 * Pixel work done in TypeScript and WebAssembly rather than by sharp or a canvas, so Node and the browser turn
 * the same decoded pixels into bit-identical model inputs (the browser test compares scores to 1e-3).
 */
import type { FloatTensor, RgbImage } from './types.ts';
import { kernel, layout, model, views } from './wasm/letterbox.ts';

/** Per-channel input normalisation: value = (pixel - mean[c]) / std[c], channels in model order. */
export interface Normalisation {
  order: 'rgb' | 'bgr';
  mean: [number, number, number];
  std: [number, number, number];
}

/** Output rows per kernel call: 32 rows of a 640-wide tensor are 240 kB of floats. */
const BAND = 32;

/**
 * Bilinear resize with half-pixel centres (what cv2.resize INTER_LINEAR does), written into the
 * top-left corner of a `size`x`size` zero canvas, as an NCHW float tensor. Returns the scale applied,
 * so detections can be mapped back by dividing by it. `out` (3 x size x size), when given, is
 * overwritten entirely, so a caller can reuse one buffer across photos. The per-pixel work runs in the
 * WebAssembly kernel of ./wasm/letterbox.wat; this lays out its tables and copies in only the source rows it reads.
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
  const xs = axisWeights(nw, img.width / nw, img.width, true);
  const ys = axisWeights(nh, img.height / nh, img.height, false);

  // Source rows the samples read, in order, each once: a downscale reads two rows per output row, not the image.
  const rows: number[] = [];
  const slot = new Int32Array(nh * 2);
  for (let y = 0; y < nh * 2; y++) {
    const r = ys.i[y >> 1] + (y & 1) * ys.next[y >> 1];
    if (rows.length === 0 || rows[rows.length - 1] < r) rows.push(r);
    slot[y] = rows.lastIndexOf(r);
  }
  // Output rows go through the kernel in bands, so the rows copied in and the floats copied out stay in cache.
  const bands = Math.ceil(nh / BAND);
  let bandRows = 0;
  for (let b = 0; b < bands; b++) {
    const last = Math.min(nh, (b + 1) * BAND) - 1;
    bandRows = Math.max(bandRows, slot[2 * last + 1] - slot[2 * b * BAND] + 1);
  }
  const k = kernel();
  const at = layout(k, { nw, nh, band: Math.min(nh, BAND), size, rowBytes, rowCount: bandRows });
  const { i32, f32, u8 } = views(k);
  const m = model(norm);
  u8.set(m.swizzles, at.consts);
  f32.set([...m.mean, 0, ...m.inv, 0, ...m.pad, 0], at.consts / 4 + 16);
  i32.set(xs.i, at.xi / 4);
  f32.set(xs.w, at.wx / 4);
  f32.set(ys.w, at.wy / 4);
  for (let y0 = 0; y0 < nh; y0 += BAND) {
    const y1 = Math.min(nh, y0 + BAND), first = slot[2 * y0];
    for (let y = y0; y < y1; y++) {
      i32[at.ytop / 4 + y] = (slot[2 * y] - first) * rowBytes;
      i32[at.ynext / 4 + y] = (slot[2 * y + 1] - slot[2 * y]) * rowBytes;
    }
    // Runs of adjacent source rows are copied in one call.
    for (let s = first, end = slot[2 * y1 - 1] + 1; s < end; ) {
      let e = s + 1;
      while (e < end && rows[e] === rows[e - 1] + 1) e++;
      u8.set(data.subarray(rows[s] * rowBytes, (rows[e - 1] + 1) * rowBytes), at.rows + (s - first) * rowBytes);
      s = e;
    }
    k.letterbox(at.rows, at.ytop + 4 * y0, at.ynext + 4 * y0, at.wy + 4 * y0, y1 - y0, at.xi, at.wx, nw, at.consts, at.out, size);
    const n = (y1 - y0) * size;
    for (let c = 0; c < 3; c++) out.set(f32.subarray(at.out / 4 + c * n, at.out / 4 + (c + 1) * n), c * plane + y0 * size);
  }
  // Padding is a zero *pixel*, normalised like any other, as in the reference implementations.
  for (let c = 0; c < 3; c++) out.fill(m.pad[c], c * plane + nh * size, (c + 1) * plane);
  return { tensor: { data: out, dims: [1, 3, size, size] }, scale: nw / img.width };
}

/**
 * Per output position along one axis (half-pixel centres): the first source index (x3 for pixel columns), the
 * step to the second (0 or 1 row), and the weight of the second. With `pairs`, the second is always the next
 * pixel: where the edge clamps both to the last pixel, the pair steps back one and puts all the weight on the last.
 */
function axisWeights(n: number, step: number, limit: number, pairs: boolean): { i: Int32Array; next: Int32Array; w: Float32Array } {
  const i = new Int32Array(n);
  const next = new Int32Array(n);
  const w = new Float32Array(n);
  for (let x = 0; x < n; x++) {
    let f = (x + 0.5) * step - 0.5;
    if (f < 0) f = 0;
    let a = Math.min(Math.floor(f), limit - 1);
    w[x] = f - a;
    if (pairs && a === limit - 1) {
      a = Math.max(0, limit - 2);
      w[x] = limit - 1 - a;
    }
    i[x] = pairs ? a * 3 : a;
    next[x] = Math.min(a + 1, limit - 1) - a;
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
