/**
 * `GET /api/runs/:id/outputs/:name` over real HTTP: PNG and MP4 outputs carry the run's graph (the
 * store keeps the original bytes), other files stream unchanged with their type; node outputs, lists,
 * and errors that name the field at fault.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { readGraphText } from '../../runtime/graph/png-metadata.ts';
import { lavfiClip, mp4Graph } from '../support/media.ts';
import { graph, raw, startTestServer, tempDir, until, type TestServer } from '../support/server.ts';

let t: TestServer;
let runId: string;
const doc = graph('Outputs ✓', [
  { id: 'make', type: 'image.create', inputs: { width: 20, height: 10, color: '#123456' } },
  { id: 'jpeg', type: 'image.save', inputs: { format: 'jpeg', name: 'photo' } },
  { id: 'both', type: 'list.make' },
  { id: 'n', type: 'value.int', inputs: { value: 4 } },
], {
  edges: [['make.image', 'jpeg.image'], ['make.image', 'both.items'], ['jpeg.image', 'both.items']],
  outputs: { png: 'make.image', photo: 'jpeg.image', both: 'both.list', count: 'n.value' },
});

before(async () => {
  t = await startTestServer();
  runId = (await t.client.submitRun({ graph: doc as never })).runId;
  const run = await until(async () => {
    const r = await t.client.getRun(runId);
    return ['succeeded', 'failed'].includes(r.status) ? r : undefined;
  }, 'the run to end');
  assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
});
after(() => t.close());

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
async function download(path: string) {
  const res = await fetch(`${t.url}/api/runs/${runId}/outputs/${path}`);
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

describe('GET /api/runs/:id/outputs/:name', () => {
  it('serves a PNG output with the run\'s graph in an iTXt chunk; the store keeps the original', async () => {
    const { res, bytes } = await download('png');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.match(res.headers.get('content-disposition')!, /^inline; filename="png\.png"$/);
    assert.match(res.headers.get('content-security-policy')!, /sandbox/);
    assert.deepEqual(JSON.parse(readGraphText(bytes)!), doc);
    assert.deepEqual([(await sharp(bytes).metadata()).width, (await sharp(bytes).metadata()).height], [20, 10]);

    const record = await t.client.getRun(runId);
    const ref = record.outputs!.png as { $artifact: string };
    const stored = new Uint8Array(await (await t.client.downloadArtifact(ref.$artifact)).arrayBuffer());
    assert.equal(sha256(stored), ref.$artifact, 'the content-addressed bytes are untouched');
    assert.equal(readGraphText(stored), undefined);
  });

  it('streams a non-PNG output unchanged with its content type', async () => {
    const { res, bytes } = await download('photo');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    assert.match(res.headers.get('content-disposition')!, /filename="photo\.jpg"/);
    const ref = (await t.client.getRun(runId)).outputs!.photo as { $artifact: string };
    assert.equal(sha256(bytes), ref.$artifact);
  });

  it('serves node outputs as nodePath.port, and list items by index, through the typed client', async () => {
    const node = await t.client.downloadRunOutput(runId, 'make.image');
    assert.equal(JSON.parse(readGraphText(new Uint8Array(await node.arrayBuffer()))!).name, 'Outputs ✓');
    const first = await t.client.downloadRunOutput(runId, 'both', 0);
    assert.equal(first.headers.get('content-type'), 'image/png');
    assert.ok(readGraphText(new Uint8Array(await first.arrayBuffer())));
    const second = await t.client.downloadRunOutput(runId, 'both', 1);
    assert.equal(second.headers.get('content-type'), 'image/jpeg');
    assert.match(second.headers.get('content-disposition')!, /filename="both-1\.jpg"/);
  });

  it('refuses with the field at fault: unknown runs and outputs, values that are not files, bad indexes', async () => {
    const cases: Array<[string, number, string, string?]> = [
      [`/api/runs/run_nope/outputs/png`, 404, 'not_found'],
      [`/api/runs/..%2F..%2Fetc/outputs/png`, 404, 'not_found'],
      [`/api/runs/${runId}/outputs/nothing`, 404, 'not_found', 'params.name'],
      [`/api/runs/${runId}/outputs/__proto__`, 404, 'not_found', 'params.name'],
      [`/api/runs/${runId}/outputs/make.nope`, 404, 'not_found', 'params.name'],
      [`/api/runs/${runId}/outputs/count`, 404, 'not_found', 'params.name'],
      [`/api/runs/${runId}/outputs/both`, 400, 'validation_failed', 'query.index'],
      [`/api/runs/${runId}/outputs/both?index=2`, 404, 'not_found', 'query.index'],
      [`/api/runs/${runId}/outputs/png?index=0`, 400, 'validation_failed', 'query.index'],
      [`/api/runs/${runId}/outputs/both?index=-1`, 400, 'validation_failed', 'query.index'],
      [`/api/runs/${runId}/outputs/bad%20name!`, 400, 'validation_failed', 'params.name'],
    ];
    for (const [path, status, code, field] of cases) {
      const r = await raw(t.url, 'GET', path);
      assert.equal(r.status, status, path);
      assert.equal(r.json.error.code, code, path);
      if (field) assert.equal(r.json.error.issues[0]?.path, field, path);
      assert.doesNotMatch(r.text, /\bat \S+ \(/, 'no stack trace');
    }
  });

  it('serves an MP4 output with the run\'s graph as a metadata item (real ffmpeg remux)', async () => {
    const clipFile = join(tempDir('castgraph-clip-'), 'clip.mp4');
    await lavfiClip(clipFile);
    const uploaded = await t.client.uploadArtifact(readFileSync(clipFile), { mime: 'video/mp4', name: 'clip.mp4' });
    const pass = graph('Clip pass', [{ id: 'clip', type: 'value.json' }], { inputs: { clip: 'clip.value' }, outputs: { clip: 'clip.value' } });
    const clipRun = (await t.client.submitRun({ graph: pass as never, inputs: { clip: { $artifact: uploaded.$artifact } } })).runId;
    await until(async () => ((await t.client.getRun(clipRun)).status === 'succeeded' ? true : undefined), 'the clip run');
    const res = await t.client.downloadRunOutput(clipRun, 'clip');
    assert.equal(res.headers.get('content-type'), 'video/mp4');
    assert.match(res.headers.get('content-disposition')!, /filename="clip\.mp4"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual(JSON.parse((await mp4Graph(bytes))!), pass);
    assert.notEqual(sha256(bytes), uploaded.$artifact, 'a derived file');
    assert.equal(sha256(new Uint8Array(await (await t.client.downloadArtifact(uploaded.$artifact)).arrayBuffer())), uploaded.$artifact, 'the stored bytes are untouched');
  });

  it('is in the OpenAPI document', async () => {
    const spec = (await t.client.openapi()) as { paths: Record<string, { get?: { operationId: string } }> };
    assert.equal(spec.paths['/api/runs/{id}/outputs/{name}']!.get!.operationId, 'getRunOutput');
  });
});
