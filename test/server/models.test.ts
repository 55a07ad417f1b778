/** Face models for the editor's browser preview: catalogued, verified files only, with their state. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { FACE_MODELS, fixturesMissing } from '../support/fixtures.ts';
import { raw, startTestServer, tempDir, type TestServer } from '../support/server.ts';

const skip = fixturesMissing();

describe('GET /api/models', { skip }, () => {
  let t: TestServer;
  let empty: TestServer;
  before(async () => {
    t = await startTestServer({ modelsDir: FACE_MODELS });
    empty = await startTestServer({ modelsDir: tempDir('castgraph-models-') });
  });
  after(async () => {
    await t.close();
    await empty.close();
  });

  it('lists the catalogue with each model verified against its sha256', async () => {
    const { json } = await raw(t.url, 'GET', '/api/models');
    const yunet = json.items.find((m: { id: string }) => m.id === 'yunet');
    assert.equal(yunet.state, 'verified');
    assert.equal(yunet.file, 'face_detection_yunet_2023mar.onnx');
    const none = await raw(empty.url, 'GET', '/api/models');
    assert.ok(none.json.items.every((m: { state: string }) => m.state === 'missing'));
  });

  it('serves a verified model file byte for byte, with ranges', async () => {
    const res = await fetch(`${t.url}/api/models/face_detection_yunet_2023mar.onnx`);
    assert.equal(res.status, 200);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(createHash('sha256').update(bytes).digest('hex'), '8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4');
    assert.match(res.headers.get('cache-control')!, /immutable/);
    const part = await fetch(`${t.url}/api/models/face_detection_yunet_2023mar.onnx`, { headers: { range: 'bytes=0-15' } });
    assert.equal(part.status, 206);
    assert.equal((await part.arrayBuffer()).byteLength, 16);
  });

  it('answers 404 for files outside the catalogue, and for models not installed', async () => {
    for (const file of ['not-a-model.onnx', '..%2F..%2Fpackage.json', 'SOURCES.md']) {
      const r = await raw(t.url, 'GET', `/api/models/${file}`);
      assert.equal(r.status, 404, file);
      assert.equal(r.json.error.code, 'not_found');
    }
    const missing = await raw(empty.url, 'GET', '/api/models/face_detection_yunet_2023mar.onnx');
    assert.equal(missing.status, 404);
    assert.match(missing.json.error.message, /castgraph models pull yunet/);
  });
});
