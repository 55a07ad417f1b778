import { test } from 'node:test';
import assert from 'node:assert/strict';
import gate from '../../../nodes/identity.gate/index.ts';
import profile from '../../../nodes/identity.profile/index.ts';
import { makeNodeContext } from '../../support/node-context.ts';
import { FACE_MODELS, fixturesMissing } from '../../support/fixtures.ts';
import { putFixture, putNoFace } from '../../support/face-images.ts';

const skip = fixturesMissing();

async function obamaIdentity(t: ReturnType<typeof makeNodeContext>, detector = 'yunet') {
  const images = await Promise.all(['obama.jpg', 'obama2.jpg'].map((n) => putFixture(t.store, n)));
  return ((await profile.run(t.ctx, { images, detector })) as any).identity;
}

for (const detector of ['yunet', 'scrfd']) {
  test(`identity.gate (${detector}): same person passes, others fail with their reason`, { skip }, async () => {
    const t = makeNodeContext({ config: { modelsDir: FACE_MODELS } });
    try {
      const identity = await obamaIdentity(t, detector);
      const names = ['obama_knn_test1.jpg', 'rose_leslie_img1.jpg', 'biden.jpg', 'two_people.jpg'];
      const images = [...(await Promise.all(names.map((n) => putFixture(t.store, n)))), await putNoFace(t.store)];
      const out = (await gate.run(t.ctx, { images, identity, threshold: 0.5 })) as any;
      assert.deepEqual(out.pass.map((r: any) => r.name), ['obama_knn_test1.jpg']);
      assert.deepEqual(out.fail.map((r: any) => r.name), ['rose_leslie_img1.jpg', 'biden.jpg', 'two_people.jpg', 'landscape.png']);
      const by = Object.fromEntries(out.report.items.map((r: any) => [r.name, r]));
      assert.ok(by['obama_knn_test1.jpg'].score > 0.9, `score ${by['obama_knn_test1.jpg'].score}`);
      assert.ok(by['rose_leslie_img1.jpg'].score < 0.1);
      assert.match(by['rose_leslie_img1.jpg'].reason, /^IDR score [\d.]+ is under 0.5$/);
      assert.equal(by['two_people.jpg'].reason, '2 faces');
      assert.equal(by['landscape.png'].reason, 'no face found');
      assert.equal(out.scores.length, 5);
      assert.equal(out.scores[4], 0);
      assert.equal(out.report.summary.thresholdCosine, 0.45);

      // With the largest face, two_people.jpg is scored (its largest face is whichever is bigger; both are scored faces).
      const largest = (await gate.run(t.ctx, { images: [images[3]], identity, multiFace: 'largest' })) as any;
      assert.equal(largest.report.items[0].faces, 2);
      assert.equal(typeof largest.report.items[0].cosine, 'number');
    } finally {
      t.cleanup();
    }
  });
}

test('identity.gate: an output with no images is left empty (undefined), so the engine skips its consumers', { skip }, async () => {
  const t = makeNodeContext({ config: { modelsDir: FACE_MODELS } });
  try {
    const identity = await obamaIdentity(t);
    const good = (await gate.run(t.ctx, { images: [await putFixture(t.store, 'obama_knn_test1.jpg')], identity })) as any;
    assert.equal(good.pass.length, 1);
    assert.equal(good.fail, undefined);
    const bad = (await gate.run(t.ctx, { images: [await putFixture(t.store, 'rose_leslie_img1.jpg')], identity })) as any;
    assert.equal(bad.pass, undefined);
    assert.equal(bad.fail.length, 1);
    assert.equal(bad.report.summary.passed, 0);
  } finally {
    t.cleanup();
  }
});

test('identity.gate: bad inputs name the field', async () => {
  const t = makeNodeContext({ config: { modelsDir: FACE_MODELS } });
  try {
    await assert.rejects(async () => gate.run(t.ctx, { images: [], identity: { kind: 'nope' } }), /inputs\.identity: expected an identity/);
    const identity = { kind: 'castgraph.identity', version: 1, detector: 'yunet', embedder: 'mobilefacenet', dim: 2, centre: [1, 0], references: [] };
    await assert.rejects(async () => gate.run(t.ctx, { images: [], identity, threshold: 2 }), /inputs\.threshold: expected a number in 0\.\.1/);
    await assert.rejects(async () => gate.run(t.ctx, { images: [], identity: { ...identity, centre: [1] } }), /inputs\.identity\.centre: expected 2 numbers/);
  } finally {
    t.cleanup();
  }
});
