import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { ArtifactStore } from '../../../runtime/store/artifact-store.ts';
import { writeOutputs } from '../../../runtime/cli/run/outputs.ts';
import { readGraphText } from '../../../runtime/graph/png-metadata.ts';

test('artifacts become files named by output, lists numbered, everything listed in outputs.json', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-out-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const store = new ArtifactStore(join(dir, 'store'));
  const png = await store.put(new Uint8Array([1, 2, 3]), { mime: 'image/png', name: 'hello.png' });
  const jpg = await store.put(new Uint8Array([4, 5]), { mime: 'image/jpeg' });
  const out = join(dir, 'out');
  const written = await writeOutputs(out, { image: png, frames: [jpg, png], caption: 'hi', score: 0.9 }, (ref) => store.stream(ref));
  assert.deepEqual(written.sort(), ['frames-0.jpg', 'frames-1.png', 'image.png', 'outputs.json']);
  assert.deepEqual(readdirSync(out).sort(), written.sort(), 'no temporary files left');
  assert.deepEqual([...readFileSync(join(out, 'image.png'))], [1, 2, 3]);
  const summary = JSON.parse(readFileSync(join(out, 'outputs.json'), 'utf8'));
  assert.equal(summary.caption, 'hi');
  assert.equal(summary.score, 0.9);
  assert.equal(summary.image.file, 'image.png');
  assert.equal(summary.image.$artifact, png.$artifact);
  assert.deepEqual(summary.frames.map((f: { file: string }) => f.file), ['frames-0.jpg', 'frames-1.png']);
});

test('a failing artifact read leaves no partial file behind', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-out-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const broken = () =>
    new Readable({
      read() {
        this.push(Buffer.from('half'));
        this.destroy(new Error('disk gone'));
      },
    });
  const ref = { $artifact: 'a'.repeat(64), mime: 'image/png', size: 10 };
  await assert.rejects(writeOutputs(dir, { image: ref }, broken), /disk gone/);
  assert.deepEqual(readdirSync(dir), []);
});

test('given the graph, PNG files carry it and other files are written byte for byte', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-out-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const store = new ArtifactStore(join(dir, 'store'));
  const pngBytes = await sharp({ create: { width: 5, height: 4, channels: 3, background: '#aa3300' } }).png().toBuffer();
  const png = await store.put(new Uint8Array(pngBytes), { mime: 'image/png' });
  const notReallyPng = await store.put(new Uint8Array([9, 9, 9]), { mime: 'image/png', name: 'broken.png' });
  const text = await store.put(new TextEncoder().encode('plain words'), { mime: 'text/plain', name: 'notes.txt' });
  const graph = { format: 'castgraph.graph', version: 1, id: 'as-ran', name: 'As ran ✓' };
  await writeOutputs(join(dir, 'out'), { image: png, broken: notReallyPng, notes: text }, (ref) => store.stream(ref), { graph });
  const written = readFileSync(join(dir, 'out/image.png'));
  assert.deepEqual(JSON.parse(readGraphText(written)!), graph);
  assert.deepEqual((await sharp(written).metadata()).width, 5, 'still a valid PNG');
  assert.deepEqual([...readFileSync(join(dir, 'out/broken.png'))], [9, 9, 9], 'bytes that are not a PNG are kept as they are');
  assert.equal(readFileSync(join(dir, 'out/notes.txt'), 'utf8'), 'plain words');
});

test('an output name that is not a port name (from a hostile server) is refused before anything is written', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-out-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const store = new ArtifactStore(join(dir, 'store'));
  const png = await store.put(new Uint8Array([1, 2, 3]), { mime: 'image/png' });
  const out = join(dir, 'out');
  await assert.rejects(writeOutputs(out, { '../escaped': png }, (ref) => store.stream(ref)), /outputs\."\.\.\/escaped": not an output name/);
  assert.deepEqual(readdirSync(dir).sort(), ['out', 'store'], 'nothing was written beside the output folder');
  assert.deepEqual(readdirSync(out), []);
});
