import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import faceCrop from '../../../nodes/image.face_crop/index.ts';
import { makeNodeContext } from '../../support/node-context.ts';
import { FACE_MODELS, fixturesMissing } from '../../support/fixtures.ts';
import { putFixture, putNoFace } from '../../support/face-images.ts';

const skip = fixturesMissing();

test('image.face_crop: a square around the face, with its region and landmarks; no face is a clear error', { skip }, async () => {
  const t = makeNodeContext({ config: { modelsDir: FACE_MODELS } });
  try {
    const image = await putFixture(t.store, 'obama.jpg');
    const out = (await faceCrop.run(t.ctx, { image, margin: 0.5, size: 256 })) as any;
    assert.deepEqual([out.crop.width, out.crop.height], [256, 256]);
    const [x1, y1, x2, y2] = out.face.box;
    const { left, top, size } = out.region;
    assert.ok(left <= x1 && top <= y1 && left + size >= x2 && top + size >= y2, 'the face lies inside the crop');
    assert.ok(Math.abs(size - 2 * Math.max(x2 - x1, y2 - y1)) <= 2, `side ${size} = face size x (1 + 2 x margin)`);
    assert.equal(out.region.imageWidth, 910);
    const native = (await faceCrop.run(t.ctx, { image, size: 0 })) as any;
    const meta = await sharp(t.store.path(native.crop)).metadata();
    assert.equal(meta.width, native.region.size);
    await assert.rejects(async () => faceCrop.run(t.ctx, { image: await putNoFace(t.store) }), /inputs\.image: no face found/);
    await assert.rejects(async () => faceCrop.run(t.ctx, { image, margin: -1 }), /inputs\.margin: expected a number in 0\.\.4/);
  } finally {
    t.cleanup();
  }
});
