/** Every example template in graphs/ must stay valid and run to success through the real engine. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadDocument, isArtifactRef } from '../runtime/graph/index.ts';
import { Engine } from '../runtime/engine/index.ts';
import { loadRegistry } from '../runtime/node-loader.ts';
import { ArtifactStore } from '../runtime/store/artifact-store.ts';

const graphsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../graphs');
const files = readdirSync(graphsDir).filter((f) => f.endsWith('.json')).sort();
const work = mkdtempSync(join(tmpdir(), 'castgraph-graphs-'));
test.after(() => rmSync(work, { recursive: true, force: true }));
const store = new ArtifactStore(join(work, 'artifacts'));
const read = (file: string): unknown => JSON.parse(readFileSync(join(graphsDir, file), 'utf8'));

test('graphs/ holds example templates', () => assert.ok(files.length >= 2, files.join(', ')));

for (const file of files) {
  test(`${file} is valid, documented, and runs to success`, async () => {
    const registry = await loadRegistry();
    const { doc, errors } = loadDocument(read(file), registry);
    assert.deepEqual(errors, []);
    assert.ok(doc!.description, 'says what it does');
    assert.ok(doc!.inputs.length > 0 && doc!.outputs.length > 0, 'exposes inputs and outputs for headless runs');
    const engine = new Engine({ registry, store, cacheDir: join(work, 'cache') });
    const result = await engine.run(read(file));
    assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
    for (const [name, value] of Object.entries(result.outputs)) {
      if (isArtifactRef(value)) assert.ok(await store.has(value), `output ${name} is stored`);
    }
  });
}

test('hello-image: the exposed inputs reach the pixels and the caption', async () => {
  const engine = new Engine({ registry: await loadRegistry(), store });
  const result = await engine.run(read('hello-image.json'), { inputs: { from: '#ff0000', to: '#ff0000', size: 208 } });
  assert.equal(result.status, 'succeeded');
  const image = result.outputs.image;
  assert.ok(isArtifactRef(image));
  assert.deepEqual([image.mime, image.width, image.height, image.name], ['image/png', 192, 192, 'hello.png']);
  const { data } = await sharp(store.path(image)).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([...data.subarray(0, 3)], [255, 0, 0], 'a red-to-red gradient is red');
  assert.equal(result.outputs.caption, 'A 192×192 crop of a 208px gradient from #ff0000 to #ff0000.');
});

test('gate-and-lists: closing the gate skips the approved branch and the run still succeeds', async () => {
  const engine = new Engine({ registry: await loadRegistry(), store });
  const open = await engine.run(read('gate-and-lists.json'), { inputs: { stop: 3 } });
  assert.deepEqual(open.outputs, { approved: 'approved: 3 numbers, the last is 2', numbers: [1, 3, 2] });
  const closed = await engine.run(read('gate-and-lists.json'), { inputs: { approve: false } });
  assert.equal(closed.status, 'succeeded');
  assert.equal(closed.nodes.approved!.status, 'skipped');
  assert.match(closed.nodes.approved!.reason ?? '', /gate/);
  assert.equal(closed.outputs.rejected, 'rejected: 5 numbers, the last is 4');
  assert.equal('approved' in closed.outputs, false);
});
