/** runtime/media/embed-graph.ts with real ffmpeg, ffprobe and libpng: graphs go into PNG and MP4 copies; other bytes pass through. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { readGraphText } from '../../../runtime/graph/png-metadata.ts';
import { withEmbeddedGraph } from '../../../runtime/media/embed-graph.ts';
import { lavfiClip, mp4Graph, probe } from '../../support/media.ts';

const dir = mkdtempSync(join(tmpdir(), 'castgraph-embed-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const collect = async (r: Readable) => new Uint8Array(Buffer.concat(await r.toArray()));
/** A big graph with every character ffmetadata escapes: past the 128 KiB limit of one command-line argument. */
const bigGraph = JSON.stringify({ format: 'castgraph.graph', version: 1, id: 'big', name: 'a=b; #1 \\ "q" ✓\nnext', notes: ['x'.repeat(200_000)] });

test('an MP4 copy carries the graph as a metadata item; the video is remuxed, not re-encoded', async () => {
  const clip = join(dir, 'clip.mp4');
  await lavfiClip(clip);
  const before = await probe(clip);
  const tempsBefore = readdirSync(tmpdir()).filter((f) => f.startsWith('castgraph-mp4-')).length;
  const out = await collect(await withEmbeddedGraph({ mime: 'video/mp4' }, () => createReadStream(clip), bigGraph));
  assert.equal(await mp4Graph(out), bigGraph, 'read back byte for byte by the browser-side parser');
  writeFileSync(join(dir, 'tagged.mp4'), out);
  const after = await probe(join(dir, 'tagged.mp4'));
  assert.equal(after.tags['castgraph.graph'], bigGraph, 'ffprobe sees the same tag');
  assert.deepEqual([after.codec, after.frames, after.width], [before.codec, before.frames, before.width]);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(readdirSync(tmpdir()).filter((f) => f.startsWith('castgraph-mp4-')).length, tempsBefore, 'the temporary folder is gone once read');

  const again = await collect(await withEmbeddedGraph({ mime: 'video/mp4' }, () => Readable.from([out]), '{"format":"castgraph.graph","v":2}'));
  assert.equal(await mp4Graph(again), '{"format":"castgraph.graph","v":2}', 'a second embedding replaces the first');
});

test('a PNG copy carries the graph in an iTXt chunk', async () => {
  const png = await sharp({ create: { width: 3, height: 2, channels: 3, background: '#00aa00' } }).png().toBuffer();
  const out = await collect(await withEmbeddedGraph({ mime: 'image/png' }, () => Readable.from([png]), bigGraph));
  assert.equal(readGraphText(out), bigGraph);
  assert.equal((await sharp(out).metadata()).width, 3);
});

test('other types, and bytes that are not what their type says, pass through unchanged', async () => {
  const bytes = new Uint8Array([0, 1, 2, 3, 250]);
  for (const mime of ['image/jpeg', 'text/plain', 'image/png', 'video/mp4']) {
    let opened = 0;
    const out = await collect(await withEmbeddedGraph({ mime }, () => (opened++, Readable.from([Buffer.from(bytes)])), bigGraph));
    assert.deepEqual([...out], [...bytes], mime);
    assert.ok(opened >= 1, mime);
  }
});
