/** Artifacts over real HTTP: streaming upload with a cap, download by hash with content type and Range (206/416), thumbnails, bad hashes. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { parseRange } from '../../server/routes/artifacts.ts';
import { raw, startTestServer, type TestServer } from '../support/server.ts';

let t: TestServer;
const LIMIT = 256 * 1024;

before(async () => {
  t = await startTestServer({ maxUploadBytes: LIMIT });
});
after(() => t.close());

describe('artifacts', () => {
  it('parses byte ranges as RFC 9110 says', () => {
    assert.deepEqual(parseRange('bytes=0-9', 100), { start: 0, end: 9 });
    assert.deepEqual(parseRange('bytes=90-', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=-10', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=50-500', 100), { start: 50, end: 99 });
    assert.equal(parseRange('bytes=100-', 100), 'unsatisfiable');
    assert.equal(parseRange('bytes=9-3', 100), 'unsatisfiable');
    assert.equal(parseRange('bytes=0-1,5-6', 100), undefined, 'multi-range: the whole file');
    assert.equal(parseRange('items=0-1', 100), undefined);
  });

  it('streams an upload in and serves it back by hash, whole and by range', async () => {
    const bytes = randomBytes(100_000);
    const hash = createHash('sha256').update(bytes).digest('hex');
    // A streamed (chunked) body: the server never needs the whole upload in memory.
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 10_000) c.enqueue(bytes.subarray(i, i + 10_000));
        c.close();
      },
    });
    const ref = await t.client.uploadArtifact(body, { mime: 'video/mp4', name: 'clip.mp4' });
    assert.deepEqual(ref, { $artifact: hash, mime: 'video/mp4', size: 100_000, name: 'clip.mp4' });

    const whole = await t.client.downloadArtifact(hash);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-type'), 'video/mp4');
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    assert.equal(whole.headers.get('content-length'), '100000');
    assert.match(whole.headers.get('content-security-policy')!, /sandbox/);
    assert.ok(Buffer.from(await whole.arrayBuffer()).equals(bytes));

    const part = await t.client.downloadArtifact(hash, { start: 1000, end: 1999 });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), 'bytes 1000-1999/100000');
    assert.ok(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000)));

    const tail = await raw(t.url, 'GET', `/api/artifacts/${hash}`, { headers: { range: 'bytes=-16' } });
    assert.equal(tail.status, 206);
    assert.equal(tail.headers.get('content-range'), 'bytes 99984-99999/100000');

    const outside = await raw(t.url, 'GET', `/api/artifacts/${hash}`, { headers: { range: 'bytes=200000-' } });
    assert.equal(outside.status, 416);
    assert.equal(outside.headers.get('content-range'), 'bytes */100000');
    assert.equal(outside.json.error.code, 'range_not_satisfiable');

    const head = await fetch(`${t.url}/api/artifacts/${hash}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '100000');
    assert.equal((await fetch(`${t.url}/api/artifacts/${hash}`, { headers: { 'if-none-match': `"${hash}"` } })).status, 304);
    assert.deepEqual(await t.client.artifactMeta(hash), ref);
  });

  it('refuses uploads over the cap, declared or streamed, and keeps no partial file', async () => {
    const declared = await raw(t.url, 'POST', '/api/artifacts', { body: new Uint8Array(LIMIT + 1), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(declared.status, 413);
    assert.equal(declared.json.error.code, 'payload_too_large');

    const chunks = 20;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < chunks; i++) c.enqueue(new Uint8Array(LIMIT / 8));
        c.close();
      },
    });
    const streamed = await fetch(`${t.url}/api/artifacts`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' }, duplex: 'half' } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.equal(((await streamed.json()) as { error: { code: string } }).error.code, 'payload_too_large');
    assert.deepEqual(readdirSync(join(t.dataDir, 'artifacts', 'tmp')), [], 'the partial upload was deleted');

    const badType = await raw(t.url, 'POST', '/api/artifacts', { body: 'x', headers: { 'content-type': 'not a type' } });
    assert.equal(badType.status, 400);
    assert.equal(badType.json.error.issues[0].path, 'headers.content-type');
  });

  it('makes image thumbnails once and serves them as artifacts', async () => {
    const png = await sharp({ create: { width: 800, height: 400, channels: 3, background: '#3366cc' } }).png().toBuffer();
    const ref = await t.client.uploadArtifact(png, { mime: 'image/png' });
    assert.equal(ref.width, 800, 'uploads of images carry their pixel size');
    assert.equal(ref.height, 400);
    const res = await t.client.downloadThumbnail(ref.$artifact, 128);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/webp');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 128, 64]);
    const first = await raw(t.url, 'GET', `/api/artifacts/${ref.$artifact}/thumbnail?size=128`);
    const second = await raw(t.url, 'GET', `/api/artifacts/${ref.$artifact}/thumbnail?size=128`);
    assert.equal(first.status, 302);
    assert.equal(first.headers.get('location'), second.headers.get('location'), 'the same stored thumbnail');

    const notImage = await t.client.uploadArtifact(new TextEncoder().encode('plain'), { mime: 'text/plain' });
    const r = await raw(t.url, 'GET', `/api/artifacts/${notImage.$artifact}/thumbnail`);
    assert.equal(r.status, 415);
    assert.equal((await raw(t.url, 'GET', `/api/artifacts/${ref.$artifact}/thumbnail?size=99`)).status, 400);
  });

  it('keeps every size when thumbnails of one image are requested at once, and refuses images over the pixel limit', async () => {
    const png = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#cc6633' } }).png().toBuffer();
    const ref = await t.client.uploadArtifact(png, { mime: 'image/png' });
    const sizes = ['64', '128', '256', '512'];
    const thumbnails = () => Promise.all(sizes.map((size) => raw(t.url, 'GET', `/api/artifacts/${ref.$artifact}/thumbnail?size=${size}`)));
    const first = await thumbnails();
    assert.deepEqual(first.map((r) => r.status), [302, 302, 302, 302]);
    const index = JSON.parse(readFileSync(join(t.dataDir, 'thumbnails', ref.$artifact.slice(0, 2), `${ref.$artifact}.json`), 'utf8'));
    assert.deepEqual(Object.keys(index).sort(), [...sizes].sort(), 'no request overwrote another one\'s index entry');
    const again = await thumbnails();
    assert.deepEqual(again.map((r) => r.headers.get('location')), first.map((r) => r.headers.get('location')));

    const small = await startTestServer({ thumbnailMaxPixels: 500_000 });
    try {
      const big = await small.client.uploadArtifact(png, { mime: 'image/png' });
      const refused = await raw(small.url, 'GET', `/api/artifacts/${big.$artifact}/thumbnail`);
      assert.equal(refused.status, 413);
      assert.match(refused.json.error.message, /900×600 px, over the thumbnail limit of 500000 pixels/);
    } finally {
      await small.close();
    }
  });

  it('downloads risky types as attachments and answers 404 for unknown or malformed hashes', async () => {
    const html = await t.client.uploadArtifact(new TextEncoder().encode('<script>alert(1)</script>'), { mime: 'text/html' });
    const r = await raw(t.url, 'GET', `/api/artifacts/${html.$artifact}`);
    assert.match(r.headers.get('content-disposition')!, /^attachment/);
    for (const h of ['0'.repeat(64), 'not-a-hash', '..%2F..%2Fpackage.json', 'A'.repeat(64)]) {
      const res = await raw(t.url, 'GET', `/api/artifacts/${h}`);
      assert.equal(res.status, 404, h);
      assert.equal(res.json.error.code, 'not_found');
      assert.equal((await raw(t.url, 'GET', `/api/artifacts/${h}/meta`)).status, 404);
      assert.equal((await raw(t.url, 'GET', `/api/artifacts/${h}/thumbnail`)).status, 404);
    }
  });
});
