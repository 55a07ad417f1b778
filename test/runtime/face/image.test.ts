/** letterbox (WebAssembly kernel + its tables) against a plain cv2 INTER_LINEAR reference written for the test. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { letterbox, type Normalisation } from '../../../runtime/face/image.ts';
import type { RgbImage } from '../../../runtime/face/types.ts';

const BGR_RAW: Normalisation = { order: 'bgr', mean: [0, 0, 0], std: [1, 1, 1] };
const RGB_CENTRED: Normalisation = { order: 'rgb', mean: [127.5, 120, 110], std: [128, 64, 32] };

/** cv2.resize(INTER_LINEAR) semantics, one sample at a time in float64: half-pixel centres, edges clamped. */
function reference(img: RgbImage, size: number, norm: Normalisation): Float64Array {
  const scale = Math.min(size / img.width, size / img.height);
  const nw = Math.max(1, Math.min(size, Math.floor(img.width * scale)));
  const nh = Math.max(1, Math.min(size, Math.floor(img.height * scale)));
  const out = new Float64Array(3 * size * size);
  const source = norm.order === 'rgb' ? [0, 1, 2] : [2, 1, 0];
  const axis = (o: number, n: number, limit: number) => {
    const f = Math.max(0, (o + 0.5) * (limit / n) - 0.5);
    const a = Math.min(Math.floor(f), limit - 1);
    return { a, b: Math.min(a + 1, limit - 1), w: f - a };
  };
  const px = (x: number, y: number, c: number) => img.data[(y * img.width + x) * 3 + c];
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let v = 0;
        if (x < nw && y < nh) {
          const X = axis(x, nw, img.width), Y = axis(y, nh, img.height), s = source[c];
          const top = px(X.a, Y.a, s) + (px(X.b, Y.a, s) - px(X.a, Y.a, s)) * X.w;
          const bottom = px(X.a, Y.b, s) + (px(X.b, Y.b, s) - px(X.a, Y.b, s)) * X.w;
          v = top + (bottom - top) * Y.w;
        }
        out[c * size * size + y * size + x] = (v - norm.mean[c]) / norm.std[c];
      }
    }
  }
  return out;
}

function noise(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) data[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
  return { width, height, data };
}

/** Largest difference in pixel units (0..255), so one tolerance fits every normalisation. */
function worst(a: Float32Array, b: Float64Array, norm: Normalisation, size: number): number {
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]) * norm.std[Math.floor(i / (size * size))]);
  return w;
}

test('letterbox matches cv2 bilinear resizing for downscales, upscales, odd sizes and one-pixel strips', () => {
  const cases: [number, number, number][] = [
    [1480, 832, 640], [970, 2204, 640], [320, 240, 640], [640, 640, 640], [641, 3, 64],
    [1, 1, 8], [1, 9, 8], [9, 1, 8], [2, 5, 17], [33, 7, 17], [100, 100, 17], [5, 300, 64],
  ];
  cases.forEach(([w, h, size], k) => {
    for (const norm of [BGR_RAW, RGB_CENTRED]) {
      const img = noise(w, h, k + 1);
      const got = letterbox(img, size, norm).tensor.data;
      const diff = worst(got, reference(img, size, norm), norm, size);
      // float32 arithmetic against float64: within a thousandth of a grey level.
      assert.ok(diff < 1e-3, `${w}x${h} -> ${size} ${norm.order}: off by ${diff}`);
    }
  });
});

test('letterbox puts the resized image top-left and pads with normalised zero', () => {
  const img: RgbImage = { width: 4, height: 2, data: new Uint8Array(24).fill(200) };
  const { tensor, scale } = letterbox(img, 8, { order: 'rgb', mean: [100, 100, 100], std: [2, 2, 2] });
  assert.equal(scale, 2);
  assert.deepEqual(tensor.dims, [1, 3, 8, 8]);
  assert.equal(tensor.data[0], 50); // (200 - 100) / 2
  assert.equal(tensor.data[4 * 8], -50); // row 4 is padding: (0 - 100) / 2
  assert.equal(tensor.data[64 + 3], 50); // the G plane starts at 8 x 8
});

test('a reused output buffer is overwritten entirely, after a large photo grew the kernel memory', () => {
  const out = new Float32Array(3 * 64 * 64);
  letterbox(noise(3000, 2000, 7), 64, BGR_RAW, out); // more than the kernel's first memory page
  const small = noise(20, 50, 8);
  letterbox(small, 64, BGR_RAW, out);
  assert.ok(worst(out, reference(small, 64, BGR_RAW), BGR_RAW, 64) < 1e-3);
});

test('an output buffer of the wrong length is refused', () => {
  assert.throws(() => letterbox(noise(4, 4, 1), 8, BGR_RAW, new Float32Array(10)), /holds 10 values, not 3 x 8 x 8/);
});
