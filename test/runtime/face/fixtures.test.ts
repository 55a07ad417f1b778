/**
 * The face pipeline on the real fixture models and photos (shared/fixtures/faces): identity separation
 * for both detectors, the two-face photo, and a photo without a face.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeImage, loadAnalyzer } from '../../../runtime/face/node.ts';
import { cosine, idrScore } from '../../../runtime/face/similarity.ts';
import type { RgbImage } from '../../../runtime/face/types.ts';
import { ModelManager } from '../../../runtime/models/manager.ts';
import { FACE_MODELS, faceImage, fixturesMissing } from '../../support/fixtures.ts';

const skip = fixturesMissing();
const PEOPLE: Record<string, string> = {
  'obama.jpg': 'obama',
  'obama2.jpg': 'obama',
  'obama_knn_test1.jpg': 'obama',
  'biden.jpg': 'biden',
  'kit_harington_john1.jpeg': 'kit',
  'kit_harington_john2.jpeg': 'kit',
  'rose_leslie_img1.jpg': 'rose',
  'alex_lacamoire1.jpg': 'alex',
};

for (const detector of ['yunet', 'scrfd'] as const) {
  test(`${detector}: every same-person pair scores above every different-person pair, margin >= 0.3`, { skip }, async () => {
    const analyzer = await loadAnalyzer({ detector, manager: new ModelManager(FACE_MODELS) });
    const emb: Record<string, Float32Array> = {};
    for (const name of Object.keys(PEOPLE)) {
      const r = await analyzer.analyze(await decodeImage(faceImage(name)), { multiFace: 'fail' });
      assert.equal(r.faces.length, 1, `${name}: one face expected, found ${r.faces.length}`);
      assert.ok(r.embedding, `${name}: ${r.reason}`);
      emb[name] = r.embedding;
    }
    const same: number[] = [];
    const diff: number[] = [];
    const names = Object.keys(PEOPLE);
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const c = cosine(emb[names[i]], emb[names[j]]);
        (PEOPLE[names[i]] === PEOPLE[names[j]] ? same : diff).push(c);
      }
    }
    assert.equal(same.length, 4);
    assert.equal(diff.length, 24);
    const cosMargin = Math.min(...same) - Math.max(...diff);
    const scoreMargin = idrScore(Math.min(...same), 'mobilefacenet') - idrScore(Math.max(...diff), 'mobilefacenet');
    assert.ok(cosMargin >= 0.3, `cosine margin ${cosMargin.toFixed(3)} < 0.3`);
    assert.ok(scoreMargin >= 0.3, `IDR score margin ${scoreMargin.toFixed(3)} < 0.3`);
    // The bands SOURCES.md documents for this set.
    assert.ok(Math.min(...same) >= 0.6 && Math.max(...diff) <= 0.3);

    const small = await analyzer.analyze(await decodeImage(faceImage('obama_small.jpg')));
    assert.ok(cosine(small.embedding!, emb['obama.jpg']) >= 0.9, 'downscaled copy of obama.jpg should be a near-duplicate');
  });

  test(`${detector}: two_people.jpg takes the largest face or fails with "2 faces"`, { skip }, async () => {
    const analyzer = await loadAnalyzer({ detector, manager: new ModelManager(FACE_MODELS) });
    const img = await decodeImage(faceImage('two_people.jpg'));
    const strict = await analyzer.analyze(img, { multiFace: 'fail' });
    assert.equal(strict.reason, '2 faces');
    assert.equal(strict.embedding, undefined);

    const largest = await analyzer.analyze(img, { multiFace: 'largest' });
    assert.equal(largest.faces.length, 2);
    const areas = largest.faces.map((f) => (f.box[2] - f.box[0]) * (f.box[3] - f.box[1]));
    assert.ok(areas[0] >= areas[1], 'faces are sorted largest first');
    assert.ok(largest.embedding);
    // The two faces are different people; each matches its own single-face photo.
    const [a, b] = await Promise.all(largest.faces.map((f) => analyzer.embedFace(img, f)));
    assert.ok(cosine(a, b) < 0.3);
    const left = largest.faces[0].box[0] < largest.faces[1].box[0] ? a : b;
    const right = left === a ? b : a;
    const biden = (await analyzer.analyze(await decodeImage(faceImage('biden.jpg')))).embedding!;
    const obama = (await analyzer.analyze(await decodeImage(faceImage('obama.jpg')))).embedding!;
    assert.ok(cosine(right, biden) > 0.6, 'right face is Biden');
    assert.ok(cosine(left, obama) > 0.6, 'left face is Obama');
  });
}

test('a photo without a face fails with "no face found"', { skip }, async () => {
  const analyzer = await loadAnalyzer({ manager: new ModelManager(FACE_MODELS) });
  const r = await analyzer.analyze(gradient(800, 600));
  assert.equal(r.faces.length, 0);
  assert.equal(r.reason, 'no face found');
  assert.equal(r.embedding, undefined);
});

function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      data[o] = (x * 255) / width;
      data[o + 1] = (y * 255) / height;
      data[o + 2] = 128;
    }
  }
  return { width, height, data };
}
