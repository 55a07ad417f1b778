import { test } from 'node:test';
import assert from 'node:assert/strict';
import profile from '../../../nodes/identity.profile/index.ts';
import { makeNodeContext } from '../../support/node-context.ts';
import { FACE_MODELS, fixturesMissing } from '../../support/fixtures.ts';
import { putFixture, putNoFace } from '../../support/face-images.ts';

const skip = fixturesMissing();

test('identity.profile: a robust centre from one person, a different person rejected as an outlier, unusable photos reported', { skip }, async () => {
  const t = makeNodeContext({ config: { modelsDir: FACE_MODELS } });
  try {
    const images = [
      ...(await Promise.all(['obama.jpg', 'obama2.jpg', 'obama_knn_test1.jpg', 'alex_lacamoire1.jpg', 'two_people.jpg'].map((n) => putFixture(t.store, n)))),
      await putNoFace(t.store),
    ];
    const out = (await profile.run(t.ctx, { images })) as any;
    assert.equal(out.identity.kind, 'castgraph.identity');
    assert.equal(out.identity.embedder, 'mobilefacenet');
    assert.equal(out.identity.dim, 128);
    const by = Object.fromEntries(out.report.items.map((r: any) => [r.name, r]));
    for (const n of ['obama.jpg', 'obama2.jpg', 'obama_knn_test1.jpg']) assert.equal(by[n].status, 'used', n);
    assert.match(by['alex_lacamoire1.jpg'].reason, /^outlier: IDR score/);
    assert.equal(by['two_people.jpg'].reason, '2 faces');
    assert.equal(by['landscape.png'].reason, 'no face found');
    assert.deepEqual(out.report.summary, { photos: 6, used: 3, rejected: 3 });
    const norm = Math.hypot(...out.identity.centre);
    assert.ok(Math.abs(norm - 1) < 1e-5);
  } finally {
    t.cleanup();
  }
});

test('identity.profile: bad inputs name the field', async () => {
  const t = makeNodeContext({ config: { modelsDir: FACE_MODELS } });
  try {
    await assert.rejects(async () => profile.run(t.ctx, { images: [] }), /inputs\.images: expected at least one reference photo/);
    await assert.rejects(async () => profile.run(t.ctx, { images: [{ foo: 1 }] }), /inputs\.images\[0\]: expected an image artifact/);
    await assert.rejects(async () => profile.run(t.ctx, { images: [await putNoFace(t.store)], detector: 'dlib' }), /inputs\.detector: expected one of yunet, scrfd/);
  } finally {
    t.cleanup();
  }
});

test('identity.profile: a missing model is a config error that says how to get it', async () => {
  const t = makeNodeContext({ config: { modelsDir: '/nonexistent/castgraph-models' } });
  try {
    await assert.rejects(async () => profile.run(t.ctx, { images: [await putNoFace(t.store)] }), (err: any) => err.errorClass === 'config' && /castgraph models pull yunet.*; .*castgraph models pull mobilefacenet/.test(err.message));
  } finally {
    t.cleanup();
  }
});

