import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARCFACE_TEMPLATE, alignFace, invertAffine, similarityTransform, templateFor, warpAffine, type Affine } from '../../../runtime/face/align.ts';
import type { Point, RgbImage } from '../../../runtime/face/types.ts';

const apply = (m: Affine, [x, y]: Point): Point => [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];

test('similarityTransform recovers a known rotation + scale + translation exactly', () => {
  const angle = 0.3, s = 2.5;
  const truth: Affine = [s * Math.cos(angle), -s * Math.sin(angle), 40, s * Math.sin(angle), s * Math.cos(angle), -12];
  const src: Point[] = [[10, 20], [50, 22], [30, 45], [15, 70], [48, 69]];
  const m = similarityTransform(src, src.map((p) => apply(truth, p)));
  m.forEach((v, i) => assert.ok(Math.abs(v - truth[i]) < 1e-9, `element ${i}: ${v} vs ${truth[i]}`));
});

test('similarityTransform is the least-squares fit: noise-free landmarks land on the template, noisy ones close to it', () => {
  const inv = invertAffine(similarityTransform([[0, 0], [1, 0]], [[10, 10], [12, 10]]));
  const landmarks = ARCFACE_TEMPLATE.map((p) => apply(inv, p));
  const m = similarityTransform(landmarks, ARCFACE_TEMPLATE);
  landmarks.forEach((p, i) => {
    const q = apply(m, p);
    assert.ok(Math.hypot(q[0] - ARCFACE_TEMPLATE[i][0], q[1] - ARCFACE_TEMPLATE[i][1]) < 1e-9);
  });
  // A reflection is never produced: the determinant stays positive even for mirrored points.
  const mirrored = ARCFACE_TEMPLATE.map(([x, y]) => [-x, y] as Point);
  const r = similarityTransform(mirrored, ARCFACE_TEMPLATE);
  assert.ok(r[0] * r[4] - r[1] * r[3] > 0);
});

test('templateFor scales for multiples of 112 and shifts for multiples of 128; other sizes are refused', () => {
  assert.deepEqual(templateFor(224)[0], [38.2946 * 2, 51.6963 * 2]);
  assert.deepEqual(templateFor(128)[0], [38.2946 + 8, 51.6963]);
  assert.throws(() => templateFor(100), /multiple of 112 or 128/);
});

test('warpAffine: identity keeps pixels, a shift samples bilinearly, outside the source is black', () => {
  const img: RgbImage = { width: 2, height: 1, data: Uint8Array.from([0, 0, 0, 200, 100, 50]) };
  assert.deepEqual([...warpAffine(img, [1, 0, 0, 0, 1, 0], 2, 1).data], [...img.data]);
  const half = warpAffine(img, [1, 0, -0.5, 0, 1, 0], 2, 1); // output x samples source x + 0.5
  assert.deepEqual([...half.data.slice(0, 3)], [100, 50, 25]);
  assert.deepEqual([...half.data.slice(3)], [100, 50, 25]); // half of pixel 1, half of the black border
});

test('alignFace outputs a 112x112 face', () => {
  const img: RgbImage = { width: 300, height: 300, data: new Uint8Array(300 * 300 * 3).fill(90) };
  const out = alignFace(img, ARCFACE_TEMPLATE.map(([x, y]) => [x * 2 + 20, y * 2 + 10] as Point));
  assert.equal(out.width, 112);
  assert.equal(out.data.length, 112 * 112 * 3);
  assert.equal(out.data[56 * 112 * 3 + 56 * 3], 90);
});
