/** Ingest with face filtering on the real fixture photos and models. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import ingest from '../../../nodes/dataset.ingest_zip/index.ts';
import { makeNodeContext } from '../../support/node-context.ts';
import { FACE_MODELS, faceImage, fixturesMissing } from '../../support/fixtures.ts';
import { buildZip } from './zip-writer.ts';

const skip = fixturesMissing();

test('keeps single-face photos as face-centred squares, drops "2 faces", "no face found" and duplicates', { skip }, async () => {
  const t = makeNodeContext({ config: { modelsDir: FACE_MODELS } });
  try {
    const photo = (n: string) => readFileSync(faceImage(n));
    const gradient = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#336699' } })
      .composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><path d="M0 0 L640 480 M640 0 L0 480" stroke="#fff" stroke-width="9"/><rect x="100" y="80" width="200" height="150" fill="#c33"/></svg>') }])
      .png()
      .toBuffer();
    const zip = buildZip([
      { name: 'me/obama.jpg', data: photo('obama.jpg') },
      { name: 'me/kit.jpeg', data: photo('kit_harington_john2.jpeg') },
      { name: 'me/two.jpg', data: photo('two_people.jpg') },
      { name: 'me/nobody.png', data: gradient },
      { name: 'me/obama-again.jpg', data: photo('obama.jpg') },
    ]);
    const archive = await t.store.put(zip, { mime: 'application/zip' });
    const out = (await ingest.run(t.ctx, { archive, resolution: '768', caption: 'photo of sks person' })) as any;
    const by = Object.fromEntries(out.report.items.map((r: any) => [r.name, r]));
    assert.equal(by['me/obama.jpg'].status, 'kept');
    assert.equal(by['me/kit.jpeg'].status, 'kept');
    assert.equal(by['me/two.jpg'].reason, '2 faces');
    assert.equal(by['me/nobody.png'].reason, 'no face found');
    assert.equal(by['me/obama-again.jpg'].reason, 'exact duplicate of me/obama.jpg');
    assert.equal(out.dataset.items.length, 2);
    for (const item of out.dataset.items) {
      assert.equal(item.caption, 'photo of sks person');
      const meta = await sharp(t.store.path(item.image)).metadata();
      assert.deepEqual([meta.width, meta.height], [768, 768]);
    }
    // obama.jpg is 910x1137 with the face high up: the 910 px square is pushed to the top edge and holds the whole face.
    const [x1, y1, x2, y2] = by['me/obama.jpg'].faceBox;
    assert.ok(x1 > 0 && y1 > 0 && x2 < 910 && y2 < 910 && x2 - x1 > 150, `face box ${by['me/obama.jpg'].faceBox}`);

    const relaxed = (await ingest.run(t.ctx, { archive, resolution: '512', faces: 'largest' })) as any;
    assert.equal(relaxed.report.items.find((r: any) => r.name === 'me/two.jpg').status, 'kept');
  } finally {
    t.cleanup();
  }
});
