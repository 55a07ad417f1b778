import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import faceBlend from '../../../nodes/image.face_blend/index.ts';
import { makeNodeContext } from '../../support/node-context.ts';

test('image.face_blend: the crop replaces the region centre, fades out at its edge, leaves the rest alone', async () => {
  const t = makeNodeContext();
  try {
    const grey = await sharp({ create: { width: 200, height: 100, channels: 3, background: { r: 100, g: 100, b: 100 } } }).png().toBuffer();
    const red = await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 250, g: 0, b: 0 } } }).png().toBuffer();
    const image = await t.store.put(grey, { mime: 'image/png', width: 200, height: 100 });
    const crop = await t.store.put(red, { mime: 'image/png', width: 32, height: 32 });
    const region = { left: 50, top: 10, size: 80, imageWidth: 200, imageHeight: 100 };
    const out = (await faceBlend.run(t.ctx, { image, crop, region, feather: 0.2 })) as any;
    const { data } = await sharp(t.store.path(out.image)).raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => [...data.subarray((y * 200 + x) * 3, (y * 200 + x) * 3 + 3)];
    assert.deepEqual(px(90, 50), [250, 0, 0], 'centre is the crop');
    assert.deepEqual(px(10, 50), [100, 100, 100], 'outside is untouched');
    const edge = px(51, 50);
    assert.ok(edge[0] > 100 && edge[0] < 140, `edge is mostly the original: ${edge}`);
    const mid = px(58, 50);
    assert.ok(mid[0] > edge[0] && mid[0] < 250, `the blend ramps up: ${mid}`);
    await assert.rejects(async () => faceBlend.run(t.ctx, { image, crop, region: { ...region, imageWidth: 300 } }), /inputs\.region: it was measured on a 300x100 image/);
    await assert.rejects(async () => faceBlend.run(t.ctx, { image, crop, region: { ...region, left: 150 } }), /inputs\.region: the square does not lie inside the image/);
  } finally {
    t.cleanup();
  }
});
