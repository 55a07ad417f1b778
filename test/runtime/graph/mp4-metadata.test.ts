/** runtime/graph/mp4-metadata.ts against real ffmpeg output: the keys/ilst item, a ©cmt graph, files without one. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMp4, readMp4GraphText } from '../../../runtime/graph/mp4-metadata.ts';
import { lavfiClip, mp4Graph } from '../../support/media.ts';

const dir = mkdtempSync(join(tmpdir(), 'castgraph-mp4-meta-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const graph = JSON.stringify({ format: 'castgraph.graph', version: 1, id: 'clip', name: 'Clip ✓' });

test('an MP4 without a graph reads as none; bytes that are not an MP4 are refused', async () => {
  await lavfiClip(join(dir, 'plain.mp4'));
  const plain = readFileSync(join(dir, 'plain.mp4'));
  assert.ok(isMp4(plain));
  assert.equal(await mp4Graph(plain), undefined);
  await assert.rejects(mp4Graph(new TextEncoder().encode('definitely not a video file')), /not an MP4/);
});

test('reads the `castgraph.graph` key that ffmpeg writes with use_metadata_tags', async () => {
  await lavfiClip(join(dir, 'keyed.mp4'), ['-metadata', `castgraph.graph=${graph}`, '-movflags', 'use_metadata_tags']);
  assert.equal(await mp4Graph(readFileSync(join(dir, 'keyed.mp4'))), graph);
});

test('reads a graph from the iTunes-style ©cmt comment, and ignores comments that are not graphs', async () => {
  await lavfiClip(join(dir, 'comment.mp4'), ['-metadata', `comment=${graph}`]);
  assert.equal(await mp4Graph(readFileSync(join(dir, 'comment.mp4'))), graph);
  await lavfiClip(join(dir, 'note.mp4'), ['-metadata', 'comment=shot on a Tuesday']);
  assert.equal(await mp4Graph(readFileSync(join(dir, 'note.mp4'))), undefined);
});

test('finds moov after mdat, reading only box headers and the moov', async () => {
  await lavfiClip(join(dir, 'tail.mp4'), ['-metadata', `castgraph.graph=${graph}`, '-movflags', 'use_metadata_tags']);
  const bytes = readFileSync(join(dir, 'tail.mp4'));
  assert.ok(bytes.indexOf('moov') > bytes.indexOf('mdat'), 'ffmpeg wrote moov after mdat');
  let read = 0;
  const text = await readMp4GraphText(async (s, e) => {
    read += Math.min(e, bytes.length) - s;
    return bytes.subarray(s, e);
  }, bytes.length);
  assert.equal(text, graph);
  const mdat = bytes.indexOf('mdat') - 4;
  assert.ok(read < bytes.length - bytes.readUInt32BE(mdat) + 64, `read ${read} of ${bytes.length} bytes: the media data is skipped`);
});
