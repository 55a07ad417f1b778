/** The image nodes, chained the way graphs use them, checked on real pixels decoded by sharp. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { makeNodeContext } from '../support/node-context.ts';
import load from '../../nodes/image.load/index.ts';
import create from '../../nodes/image.create/index.ts';
import resize from '../../nodes/image.resize/index.ts';
import crop from '../../nodes/image.crop/index.ts';
import save from '../../nodes/image.save/index.ts';
import type { ArtifactRef } from '../../runtime/graph/node-definition.ts';

const t = makeNodeContext();
const { ctx, store } = t;
test.after(t.cleanup);

const createDefaults = { width: 64, height: 32, fill: 'solid', color: '#808080', color2: '#000000', angle: 90 };
const resizeDefaults = { width: 0, height: 0, fit: 'cover', position: 'centre', kernel: 'lanczos3', background: '#00000000', enlarge: true };

async function pixel(ref: ArtifactRef, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(store.path(ref)).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + info.channels)];
}

/** Left half red, right half blue, `width`×`height`. */
async function halves(width: number, height: number) {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set(x < width / 2 ? [255, 0, 0] : [0, 0, 255], (y * width + x) * 3);
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

test('image.create makes a solid colour of the asked size, with alpha only when the colour is transparent', async () => {
  const { image } = (await create.run(ctx, createDefaults)) as { image: ArtifactRef };
  assert.deepEqual([image.mime, image.width, image.height], ['image/png', 64, 32]);
  assert.deepEqual(await pixel(image, 10, 10), [128, 128, 128]);
  const { image: clear } = (await create.run(ctx, { ...createDefaults, color: '#ff000080' })) as { image: ArtifactRef };
  assert.deepEqual(await pixel(clear, 0, 0), [255, 0, 0, 128]);
});

test('image.create draws a linear gradient in the direction of `angle`', async () => {
  const base = { ...createDefaults, width: 100, height: 50, fill: 'linear_gradient', color: '#000000', color2: '#ffffff' };
  const { image: down } = (await create.run(ctx, { ...base, angle: 90 })) as { image: ArtifactRef };
  const [top, bottom] = [(await pixel(down, 50, 0))[0]!, (await pixel(down, 50, 49))[0]!];
  assert.ok(top < 10 && bottom > 245, `top ${top} dark, bottom ${bottom} light`);
  assert.deepEqual(await pixel(down, 0, 25), await pixel(down, 99, 25), 'constant along a row');
  const { image: right } = (await create.run(ctx, { ...base, angle: 0 })) as { image: ArtifactRef };
  assert.ok((await pixel(right, 0, 25))[0]! < 10 && (await pixel(right, 99, 25))[0]! > 245);
});

test('image.create names a bad colour or size', async () => {
  await assert.rejects(async () => create.run(ctx, { ...createDefaults, color: 'red"/><script>' }), /inputs\.color: expected a colour like "#ff8800"/);
  await assert.rejects(async () => create.run(ctx, { ...createDefaults, width: 0 }), /inputs\.width: expected a whole number of pixels from 1 to 16384, got number 0/);
});

test('image.load applies EXIF orientation and converts CMYK to sRGB PNG', async () => {
  const rotated = await (await halves(40, 20)).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
  const file = await store.put(rotated, { mime: 'image/jpeg', name: 'phone.jpg' });
  const out = (await load.run(ctx, { file })) as { image: ArtifactRef; width: number; height: number };
  assert.deepEqual([out.width, out.height, out.image.mime, out.image.name], [20, 40, 'image/png', 'phone.png']);
  // Orientation 6 means "rotate 90° clockwise to view": the red left half ends up on top.
  const [r, , b] = await pixel(out.image, 10, 5);
  assert.ok(r! > 200 && b! < 50, 'top is red');
  assert.ok((await pixel(out.image, 10, 35))[2]! > 200, 'bottom is blue');

  const cmyk = await (await halves(16, 16)).toColourspace('cmyk').jpeg().toBuffer();
  const cmykRef = await store.put(cmyk, { mime: 'image/jpeg' });
  assert.equal((await sharp(cmyk).metadata()).space, 'cmyk');
  const converted = (await load.run(ctx, { file: cmykRef })) as { image: ArtifactRef };
  const meta = await sharp(store.path(converted.image)).metadata();
  assert.deepEqual([meta.format, meta.space], ['png', 'srgb']);
  assert.ok((await pixel(converted.image, 2, 8))[0]! > 200, 'red stays red');
});

test('image.load passes a clean PNG through byte for byte and refuses a non-image', async () => {
  const png = await (await halves(8, 4)).png().toBuffer();
  const file = await store.put(png, { mime: 'image/png', name: 'clean.png' });
  const out = (await load.run(ctx, { file })) as { image: ArtifactRef };
  assert.equal(out.image.$artifact, file.$artifact);
  assert.deepEqual([out.image.width, out.image.height], [8, 4]);
  const text = await store.put(new TextEncoder().encode('not an image'), { mime: 'image/png' });
  await assert.rejects(async () => load.run(ctx, { file: text }), /inputs\.file: not a readable image/);
  await assert.rejects(async () => load.run(ctx, { file: 'photo.png' }), /inputs\.file: expected an image \(an artifact reference\), got text "photo.png"/);
  await assert.rejects(async () => load.run(ctx, { file: { $artifact: 'a'.repeat(64), mime: 'image/png', size: 1 } }), /inputs\.file: artifact aaaaaaaaaaaa… is not in the artifact store/);
});

test('image.resize honours fit: cover crops to the box, inside keeps the aspect ratio', async () => {
  const src = await store.put(await (await halves(200, 100)).png().toBuffer(), { mime: 'image/png' });
  const cover = (await resize.run(ctx, { ...resizeDefaults, image: src, width: 50, height: 50 })) as { image: ArtifactRef };
  assert.deepEqual([cover.image.width, cover.image.height], [50, 50]);
  const inside = (await resize.run(ctx, { ...resizeDefaults, image: src, width: 50, height: 50, fit: 'inside' })) as { image: ArtifactRef };
  assert.deepEqual([inside.image.width, inside.image.height], [50, 25]);
  const contain = (await resize.run(ctx, { ...resizeDefaults, image: src, width: 50, height: 50, fit: 'contain', background: '#00ff00' })) as { image: ArtifactRef };
  assert.deepEqual((await pixel(contain.image, 25, 2)).slice(0, 3), [0, 255, 0], 'padding colour above the image');
  const auto = (await resize.run(ctx, { ...resizeDefaults, image: src, height: 10 })) as { image: ArtifactRef };
  assert.deepEqual([auto.image.width, auto.image.height], [20, 10]);
  const noGrow = (await resize.run(ctx, { ...resizeDefaults, image: src, width: 400, fit: 'inside', enlarge: false })) as { image: ArtifactRef };
  assert.equal(noGrow.image.width, 200);
  await assert.rejects(async () => resize.run(ctx, { ...resizeDefaults, image: src }), /inputs\.width: set a width or a height/);
});

test('image.crop cuts the rectangle and names the input that reaches past an edge', async () => {
  const src = await store.put(await (await halves(100, 60)).png().toBuffer(), { mime: 'image/png' });
  const out = (await crop.run(ctx, { image: src, left: 50, top: 10, width: 30, height: 20 })) as { image: ArtifactRef };
  assert.deepEqual([out.image.width, out.image.height], [30, 20]);
  assert.deepEqual(await pixel(out.image, 0, 0), [0, 0, 255], 'starts in the blue half');
  const bad = { image: src, left: 0, top: 0, width: 10, height: 10 };
  await assert.rejects(async () => crop.run(ctx, { ...bad, left: 100 }), /inputs\.left: 100 is outside the 100×60 image \(at most 99\)/);
  await assert.rejects(async () => crop.run(ctx, { ...bad, top: 60 }), /inputs\.top: 60 is outside/);
  await assert.rejects(async () => crop.run(ctx, { ...bad, left: 95 }), /inputs\.width: left 95 \+ width 10 = 105 reaches past the right edge of the 100×60 image \(at most 5\)/);
  await assert.rejects(async () => crop.run(ctx, { ...bad, top: 55 }), /inputs\.height: top 55 \+ height 10 = 65 reaches past the bottom edge/);
});

test('image.save encodes the chosen format with a file name, flattening transparency for JPEG', async () => {
  const { image } = (await create.run(ctx, { ...createDefaults, color: '#00000000' })) as { image: ArtifactRef };
  const base = { image, format: 'jpeg', quality: 80, name: 'portrait', background: '#ff0000' };
  const jpeg = ((await save.run(ctx, base)) as { image: ArtifactRef }).image;
  assert.deepEqual([jpeg.mime, jpeg.name, (await sharp(store.path(jpeg)).metadata()).format], ['image/jpeg', 'portrait.jpg', 'jpeg']);
  const [r, g] = await pixel(jpeg, 5, 5);
  assert.ok(r! > 240 && g! < 15, 'transparent pixels became the red background');
  const webp = ((await save.run(ctx, { ...base, format: 'webp', name: 'x.webp' })) as { image: ArtifactRef }).image;
  assert.deepEqual([webp.mime, webp.name], ['image/webp', 'x.webp']);
  const small = ((await save.run(ctx, { ...base, quality: 5 })) as { image: ArtifactRef }).image;
  assert.ok(small.size <= jpeg.size, 'lower quality is not larger');
  await assert.rejects(async () => save.run(ctx, { ...base, name: '../etc/passwd' }), /inputs\.name: expected a plain file name/);
  await assert.rejects(async () => save.run(ctx, { ...base, quality: 0 }), /inputs\.quality: expected a whole number from 1 to 100, got number 0/);
});

test('image nodes stop at once when the run is already cancelled', async () => {
  const c = makeNodeContext();
  try {
    c.controller.abort(new Error('cancelled by test'));
    await assert.rejects(async () => create.run(c.ctx, createDefaults), /cancelled by test/);
  } finally {
    c.cleanup();
  }
});
