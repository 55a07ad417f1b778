/** The model manager against a loopback HTTP server (tests never download) and the fixture model files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ModelManager, ModelError } from '../../../runtime/models/manager.ts';
import { MODELS, licenceWarning, modelEntry } from '../../../runtime/models/catalog.ts';
import { FACE_MODELS, fixturesMissing } from '../../support/fixtures.ts';
import { buildZip } from '../../nodes/dataset.ingest_zip/zip-writer.ts';

const skip = fixturesMissing();

async function serve(routes: Record<string, Buffer>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const body = routes[req.url ?? ''];
    if (!body) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-models-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('the catalogue: every model has an https URL, a sha256 and a licence; InsightFace models are flagged non-commercial', () => {
  for (const m of MODELS) {
    assert.match(m.url, /^https:\/\//);
    assert.match(m.sha256, /^[0-9a-f]{64}$/);
    assert.ok(m.licence.length > 3 && m.preprocessing.length > 10);
  }
  assert.equal(licenceWarning('yunet'), undefined);
  assert.match(licenceWarning('scrfd')!, /non-commercial/);
  assert.match(licenceWarning('w600k_r50')!, /non-commercial/);
  assert.throws(() => modelEntry('nope'), /unknown model "nope"; known models: yunet/);
});

test('list reports missing, verified and mismatched files; resolve says how to get a missing model', { skip }, async () => {
  const { dir, done } = tempDir();
  try {
    const m = new ModelManager(dir);
    copyFileSync(join(FACE_MODELS, 'face_detection_yunet_2023mar.onnx'), join(dir, 'face_detection_yunet_2023mar.onnx'));
    writeFileSync(join(dir, 'det_500m.onnx'), 'version https://git-lfs.github.com/spec/v1\noid sha256:5e44\nsize 2524817\n');
    const states = Object.fromEntries((await m.list()).map((s) => [s.id, s.state]));
    assert.deepEqual(states, { yunet: 'verified', scrfd: 'mismatch', mobilefacenet: 'missing', w600k_r50: 'missing', w600k_mbf: 'missing' });
    assert.equal(await m.resolve('yunet'), join(dir, 'face_detection_yunet_2023mar.onnx'));
    await assert.rejects(m.resolve('mobilefacenet'), /model "mobilefacenet" is not in .*; run `castgraph models pull mobilefacenet` or `castgraph models add mobilefacenet <file>`/);
    await assert.rejects(m.resolve('scrfd'), /does not match the sha256 of "scrfd"/);
  } finally {
    done();
  }
});

test('pull verifies the sha256 (plain file and archive member) and writes atomically; a bad download leaves nothing', { skip }, async () => {
  const { dir, done } = tempDir();
  const yunet = readFileSync(join(FACE_MODELS, 'face_detection_yunet_2023mar.onnx'));
  const det = readFileSync(join(FACE_MODELS, 'det_500m.onnx'));
  const { url, server } = await serve({
    '/yunet.onnx': yunet,
    '/lfs-pointer.onnx': Buffer.from('version https://git-lfs.github.com/spec/v1\n'),
    '/buffalo_sc.zip': buildZip([{ name: 'buffalo_sc/det_500m.onnx', data: det }, { name: 'buffalo_sc/w600k_mbf.onnx', data: Buffer.from('not this one') }]),
  });
  try {
    const m = new ModelManager(dir);
    let progress = 0;
    const path = await m.pull('yunet', { url: `${url}/yunet.onnx`, onProgress: (n) => (progress = n) });
    assert.equal(path, join(dir, 'face_detection_yunet_2023mar.onnx'));
    assert.equal(progress, yunet.length);
    assert.equal((await m.status('yunet')).state, 'verified');

    assert.equal(await m.pull('scrfd', { url: `${url}/buffalo_sc.zip` }), join(dir, 'det_500m.onnx'));
    assert.equal((await m.status('scrfd')).state, 'verified');

    await assert.rejects(m.pull('mobilefacenet', { url: `${url}/lfs-pointer.onnx` }), (err: Error) => err instanceof ModelError && /has sha256 [0-9a-f]{64}, expected b7120c09.*nothing was installed/.test(err.message));
    await assert.rejects(m.pull('mobilefacenet', { url: `${url}/missing` }), /HTTP 404/);
    await assert.rejects(m.pull('w600k_mbf', { url: `${url}/buffalo_sc.zip` }), /w600k_mbf.onnx in the archive is 12 bytes, expected 13616099/);
    await assert.rejects(m.pull('yunet', { url: `${url}/yunet.onnx`, maxBytes: 1000 }), /larger than 1000 bytes/);
    assert.deepEqual(readdirSync(dir).sort(), ['det_500m.onnx', 'face_detection_yunet_2023mar.onnx'], 'no temporary files are left');
  } finally {
    server.close();
    done();
  }
});

test('add registers a local copy only when its bytes match', { skip }, async () => {
  const { dir, done } = tempDir();
  try {
    const m = new ModelManager(dir);
    assert.equal(await m.add('mobilefacenet', join(FACE_MODELS, 'mobilefacenet_foamliu.onnx')), join(dir, 'mobilefacenet_foamliu.onnx'));
    await assert.rejects(m.add('w600k_r50', join(FACE_MODELS, 'mobilefacenet_foamliu.onnx')), /expected 4c06341c/);
    assert.deepEqual(readdirSync(dir), ['mobilefacenet_foamliu.onnx']);
  } finally {
    done();
  }
});
