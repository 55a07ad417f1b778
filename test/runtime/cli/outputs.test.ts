import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ArtifactStore } from '../../../runtime/store/artifact-store.ts';
import { writeOutputs } from '../../../runtime/cli/run/outputs.ts';

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
