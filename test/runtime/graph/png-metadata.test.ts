/** runtime/graph/png-metadata.ts: the graph text chunk, written and read back, checked by libpng (sharp). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { isPng, readGraphText, withGraphText } from '../../../runtime/graph/png-metadata.ts';

const image = async () => new Uint8Array(await sharp({ create: { width: 4, height: 3, channels: 3, background: '#336699' } }).png().toBuffer());

test('a PNG carries its graph in an iTXt chunk, survives re-embedding, and decodes as an image', async () => {
  const png = await image();
  assert.equal(readGraphText(png), undefined);
  const json = JSON.stringify({ format: 'castgraph.graph', name: 'héllo ✓' });
  const tagged = withGraphText(png, json);
  assert.ok(isPng(tagged));
  assert.equal(readGraphText(tagged), json);
  const again = withGraphText(tagged, '{"v":2}');
  assert.equal(readGraphText(again), '{"v":2}', 'the old graph chunk is replaced, not duplicated');
  const meta = await sharp(Buffer.from(again)).metadata();
  assert.deepEqual([meta.width, meta.height], [4, 3], 'CRCs valid: libpng still reads the file');
});

test('bad bytes are refused with a reason', () => {
  assert.throws(() => readGraphText(new Uint8Array([1, 2, 3])), /not a PNG/);
  assert.throws(() => withGraphText(new Uint8Array([1, 2, 3]), '{}'), /not a PNG/);
});
