/** Detector decoding and NMS on synthetic model outputs (no model needed). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDetector } from '../../../runtime/face/detectors.ts';
import { nms, iou } from '../../../runtime/face/nms.ts';
import type { Face, FloatTensor, ModelSession, RgbImage } from '../../../runtime/face/types.ts';

const face = (box: Face['box'], score: number): Face => ({ box, score, landmarks: [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]] });

test('nms keeps the best of overlapping boxes and every separate one', () => {
  const kept = nms([face([0, 0, 10, 10], 0.8), face([1, 1, 11, 11], 0.9), face([50, 50, 60, 60], 0.7)], 0.4);
  assert.deepEqual(kept.map((f) => f.score), [0.9, 0.7]);
  assert.equal(iou([0, 0, 9, 9], [0, 0, 9, 9]), 1);
  assert.equal(iou([0, 0, 9, 9], [20, 20, 29, 29]), 0);
});

/** A fake YuNet session: one confident face in the stride-32 grid at column 5, row 3. */
function fakeYunet(): ModelSession {
  const out: Record<string, { data: Float32Array; dims: number[] }> = {};
  for (const s of [8, 16, 32]) {
    const n = (640 / s) ** 2;
    out[`cls_${s}`] = { data: new Float32Array(n), dims: [1, n, 1] };
    out[`obj_${s}`] = { data: new Float32Array(n), dims: [1, n, 1] };
    out[`bbox_${s}`] = { data: new Float32Array(n * 4), dims: [1, n, 4] };
    out[`kps_${s}`] = { data: new Float32Array(n * 10), dims: [1, n, 10] };
  }
  const i = 3 * 20 + 5;
  out.cls_32.data[i] = 0.96;
  out.obj_32.data[i] = 1.2; // clamped to 1
  out.bbox_32.data.set([0.5, 0.5, Math.log(2), Math.log(3)], i * 4);
  out.kps_32.data.set([0.1, 0.2, 0.9, 0.2, 0.5, 0.5, 0.2, 0.8, 0.8, 0.8], i * 10);
  return { inputNames: ['input'], outputNames: Object.keys(out), run: async (_f: Record<string, FloatTensor>) => out };
}

test('YuNet decoding: score = sqrt(cls*obj), centre/size from the grid, landmarks, mapped back by the letterbox scale', async () => {
  const det = createDetector('yunet', fakeYunet());
  const img: RgbImage = { width: 1280, height: 960, data: new Uint8Array(1280 * 960 * 3) }; // scale 0.5
  const [f, ...rest] = await det.detect(img);
  assert.equal(rest.length, 0);
  assert.ok(Math.abs(f.score - Math.sqrt(0.96)) < 1e-6);
  const cx = (5 + 0.5) * 32 * 2, cy = (3 + 0.5) * 32 * 2, w = 2 * 32 * 2, h = 3 * 32 * 2;
  [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2].forEach((v, k) => assert.ok(Math.abs(f.box[k] - v) < 1e-3));
  assert.ok(Math.abs(f.landmarks[0][0] - (0.1 + 5) * 64) < 1e-3);
  assert.deepEqual(await det.detect(img, { scoreThreshold: 0.99 }), []);
});

test('detections in flight never share an input buffer; a finished one is reused unless the session detached it', async () => {
  const seen: { data: Float32Array; first: number }[] = [];
  const yunet = fakeYunet();
  let detach = false;
  const session: ModelSession = {
    ...yunet,
    async run(feeds) {
      const data = feeds.input.data;
      await new Promise((resolve) => setTimeout(resolve, 5)); // the other detection prepares its input meanwhile
      seen.push({ data, first: data[0] });
      if (detach) structuredClone(data.buffer, { transfer: [data.buffer] }); // as onnxruntime-web's proxy mode does
      return yunet.run(feeds);
    },
  };
  const det = createDetector('yunet', session);
  const grey = (v: number): RgbImage => ({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(v) });
  await Promise.all([det.detect(grey(10)), det.detect(grey(20))]);
  assert.deepEqual(seen.map((s) => s.first).sort(), [10, 20], 'each run saw its own photo');
  assert.notEqual(seen[0].data, seen[1].data);
  await det.detect(grey(30));
  assert.ok(seen[2].data === seen[0].data || seen[2].data === seen[1].data, 'a finished buffer is reused');
  detach = true;
  for (const v of [40, 50, 60]) await det.detect(grey(v));
  assert.deepEqual(seen.slice(3).map((s) => s.first), [40, 50, 60]);
});
