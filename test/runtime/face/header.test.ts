/**
 * readImageHeader against sharp's metadata() as the oracle: images sharp writes, hand-edited variants of them
 * (big-endian EXIF, fill bytes, tables before the frame, split ICC profiles), the fixture photos, and hostile
 * bytes that must give `undefined` or the right answer, never an exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { readImageHeader } from '../../../runtime/face/header.ts';
import { FACE_IMAGES, faceImage, fixturesMissing } from '../../support/fixtures.ts';
import { pngHeaderOnly } from '../../nodes/dataset.ingest_zip/zip-writer.ts';

const W = 37, H = 21; // odd and unequal, so a swapped or off-by-one size shows
const base = () => sharp({ create: { width: W, height: H, channels: 3, background: '#5080c0' } });
const withAlpha = () => sharp({ create: { width: W, height: H, channels: 4, background: { r: 80, g: 128, b: 192, alpha: 0.5 } } });

async function assertLikeSharp(bytes: Uint8Array, label: string): Promise<void> {
  const m = await sharp(bytes, { limitInputPixels: false }).metadata();
  const h = readImageHeader(bytes);
  assert.deepEqual(h && { ...h, icc: h.icc && Buffer.from(h.icc) }, { format: m.format, width: m.width, height: m.height, orientation: m.orientation ?? 1, icc: m.icc }, label);
}

/**
 * TIFF-structured EXIF holding IFD0 entries (tag, type, count, 4-byte value field already in the byte order),
 * then `extra` bytes for values stored at an offset (they start at 26 + 12 per entry after the first).
 */
function tiff(le: boolean, entries: { tag: number; type: number; count: number; value: number[] }[], extra: number[] = []): Buffer {
  const t = Buffer.alloc(8 + 2 + 12 * entries.length + 4 + extra.length);
  t.set(extra, t.length - extra.length);
  t.write(le ? 'II' : 'MM', 0, 'latin1');
  const u16 = (v: number, at: number) => (le ? t.writeUInt16LE(v, at) : t.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (le ? t.writeUInt32LE(v, at) : t.writeUInt32BE(v, at));
  u16(42, 2);
  u32(8, 4);
  u16(entries.length, 8);
  entries.forEach((e, k) => {
    const at = 10 + 12 * k;
    u16(e.tag, at);
    u16(e.type, at + 2);
    u32(e.count, at + 4);
    t.set(e.value, at + 8);
  });
  return t;
}

function orientationTiff(le: boolean, v: number): Buffer {
  return tiff(le, [{ tag: 0x0112, type: 3, count: 1, value: le ? [v & 0xff, v >> 8, 0, 0] : [v >> 8, v & 0xff, 0, 0] }]);
}

function jpegSegment(marker: number, payload: Uint8Array): Buffer {
  const s = Buffer.alloc(4);
  s[0] = 0xff;
  s[1] = marker;
  s.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([s, payload]);
}

/** A JPEG's marker segments before the scan, and everything from SOS on (sharp writes no fill bytes). */
function splitJpeg(b: Buffer): { segments: Buffer[]; scan: Buffer } {
  const segments: Buffer[] = [];
  let i = 2;
  while (b[i + 1] !== 0xda) {
    const len = b.readUInt16BE(i + 2);
    segments.push(b.subarray(i, i + 2 + len));
    i += 2 + len;
  }
  return { segments, scan: b.subarray(i) };
}

const joinJpeg = (segments: Buffer[], scan: Buffer) => Buffer.concat([Buffer.from([0xff, 0xd8]), ...segments, scan]);
const plainJpeg = () => base().jpeg().toBuffer();

function pngChunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]); // CRC left 0: only IHDR's is checked by decoders that check
}

/** A WebP rebuilt from chunks with its RIFF size recomputed. */
function riff(chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), ...chunks]);
  const head = Buffer.from('RIFF\0\0\0\0', 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

function webpChunks(b: Buffer): { fourcc: string; data: Buffer }[] {
  const out = [];
  for (let i = 12; i + 8 <= b.length; ) {
    const len = b.readUInt32LE(i + 4);
    out.push({ fourcc: b.toString('latin1', i, i + 4), data: b.subarray(i + 8, i + 8 + len) });
    i += 8 + len + (len & 1);
  }
  return out;
}

function webpChunk(fourcc: string, data: Uint8Array): Buffer {
  const head = Buffer.from(fourcc + '\0\0\0\0', 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, Buffer.alloc(data.length & 1)]);
}

test('JPEG baseline and progressive, without EXIF and with each orientation 1..8, read as sharp reads them', async () => {
  for (const progressive of [false, true]) {
    await assertLikeSharp(await base().jpeg({ progressive }).toBuffer(), `progressive=${progressive}, no EXIF`);
    for (let o = 1; o <= 8; o++) {
      await assertLikeSharp(await base().withMetadata({ orientation: o }).jpeg({ progressive }).toBuffer(), `progressive=${progressive}, orientation ${o}`);
    }
  }
});

test('PNG with and without an eXIf chunk reads as sharp reads it', async () => {
  await assertLikeSharp(await base().png().toBuffer(), 'no eXIf');
  await assertLikeSharp(await withAlpha().png().toBuffer(), 'RGBA, no eXIf');
  for (let o = 1; o <= 8; o++) await assertLikeSharp(await base().withMetadata({ orientation: o }).png().toBuffer(), `orientation ${o}`);
});

test('WebP lossy, lossless, with alpha (VP8X) and with EXIF (VP8X) reads as sharp reads it', async () => {
  const lossy = await base().webp().toBuffer();
  const lossless = await base().webp({ lossless: true }).toBuffer();
  const alpha = await withAlpha().webp().toBuffer();
  assert.deepEqual([lossy, lossless, alpha].map((b) => b.toString('latin1', 12, 16)), ['VP8 ', 'VP8L', 'VP8X'], 'each WebP flavour is covered');
  await assertLikeSharp(lossy, 'lossy');
  await assertLikeSharp(lossless, 'lossless');
  await assertLikeSharp(alpha, 'lossy with alpha');
  await assertLikeSharp(await withAlpha().webp({ lossless: true }).toBuffer(), 'lossless with alpha');
  for (let o = 1; o <= 8; o++) {
    await assertLikeSharp(await base().withMetadata({ orientation: o }).webp().toBuffer(), `lossy, orientation ${o}`);
    await assertLikeSharp(await base().withMetadata({ orientation: o }).webp({ lossless: true }).toBuffer(), `lossless, orientation ${o}`);
  }
});

test('a WebP EXIF chunk is read with or without the "Exif\\0\\0" prefix', async () => {
  const withPrefix = await base().withMetadata({ orientation: 6 }).webp().toBuffer();
  const chunks = webpChunks(withPrefix);
  const exif = chunks.find((c) => c.fourcc === 'EXIF')!;
  assert.equal(exif.data.toString('latin1', 0, 6), 'Exif\0\0', 'sharp writes the prefix');
  const bare = riff(chunks.map((c) => webpChunk(c.fourcc, c === exif ? c.data.subarray(6) : c.data)));
  await assertLikeSharp(bare, 'no prefix');
  assert.equal(readImageHeader(bare)?.orientation, 6);
});

test('big-endian EXIF, fill bytes, standalone markers and a DHT before the frame header read as sharp reads them', async () => {
  const { segments, scan } = splitJpeg(await plainJpeg());
  for (let o = 1; o <= 8; o++) {
    const app1 = jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), orientationTiff(false, o)]));
    await assertLikeSharp(joinJpeg([app1, ...segments], scan), `big-endian orientation ${o}`);
  }
  const filled = segments.map((s) => Buffer.concat([Buffer.from([0xff, 0xff, 0xff]), s]));
  await assertLikeSharp(joinJpeg(filled, scan), 'fill bytes before every marker');
  await assertLikeSharp(joinJpeg([Buffer.from([0xff, 0xd0]), Buffer.from([0xff, 0x01]), ...segments], scan), 'RST0 and TEM before the tables');
  const dht = segments.filter((s) => s[1] === 0xc4);
  assert.ok(dht.length > 0 && segments.findIndex((s) => s[1] === 0xc4) > segments.findIndex((s) => s[1] === 0xc0), 'sharp writes DHT after SOF0');
  await assertLikeSharp(joinJpeg([...dht, ...segments.filter((s) => s[1] !== 0xc4)], scan), 'DHT first');
});

test('an Exif APP1 after the frame header still counts; the first Exif APP1 wins over a later one', async () => {
  const { segments, scan } = splitJpeg(await plainJpeg());
  const app1 = (o: number) => jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), orientationTiff(true, o)]));
  const xmp = jpegSegment(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x/>', 'latin1'));
  await assertLikeSharp(joinJpeg([...segments, app1(5)], scan), 'APP1 after SOF');
  assert.equal(readImageHeader(joinJpeg([xmp, app1(3), app1(6), ...segments], scan))?.orientation, 3, 'XMP APP1 skipped, first Exif taken');
});

test('orientation tags of other integer types, counts and ranges read as libexif (sharp) reads them', async () => {
  const { segments, scan } = splitJpeg(await plainJpeg());
  const withTiff = (t: Buffer) => joinJpeg([jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t])), ...segments], scan);
  const entry = (type: number, count: number, value: number[], extra?: number[]) => withTiff(tiff(true, [{ tag: 0x0112, type, count, value }], extra));
  const cases: [string, Buffer, number][] = [
    ['0', withTiff(orientationTiff(true, 0)), 1],
    ['9', withTiff(orientationTiff(false, 9)), 1],
    ['BYTE', entry(1, 1, [6]), 6],
    ['SSHORT', entry(8, 1, [6, 0]), 6],
    ['LONG', entry(4, 1, [6, 0, 0, 0]), 6],
    ['LONG truncated to SHORT', entry(4, 1, [6, 0, 1, 0]), 6],
    ['SHORT count 2, first component', entry(3, 2, [5, 0, 6, 0]), 5],
    ['SHORT count 3, at an offset', entry(3, 3, [26, 0, 0, 0], [7, 0, 7, 0, 7, 0]), 7],
    ['SHORT count 0', entry(3, 0, [6, 0]), 1],
    ['SHORT count 1000, values past the end', entry(3, 1000, [26, 0, 0, 0], [7, 0]), 1],
    ['UNDEFINED', entry(7, 1, [6]), 1],
    ['ASCII', entry(2, 1, [6]), 1],
  ];
  for (const [label, bytes, expected] of cases) {
    assert.equal(readImageHeader(bytes)?.orientation, expected, label);
    await assertLikeSharp(bytes, label);
  }
});

test('a bad TIFF header or IFD0 reads as orientation 1', async () => {
  const { segments, scan } = splitJpeg(await plainJpeg());
  const withTiff = (t: Buffer) => joinJpeg([jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t])), ...segments], scan);
  const badMagic = orientationTiff(true, 6);
  badMagic[2] = 43;
  assert.equal(readImageHeader(withTiff(badMagic))?.orientation, 1, 'not 42');
  const farIfd = orientationTiff(true, 6);
  farIfd.writeUInt32LE(0xfffffff0, 4);
  assert.equal(readImageHeader(withTiff(farIfd))?.orientation, 1, 'IFD0 beyond the data');
  const manyEntries = orientationTiff(true, 6);
  manyEntries.writeUInt16LE(0xffff, 8);
  manyEntries.writeUInt16LE(0x0100, 10); // first entry no longer the orientation, so the walk runs off the end
  assert.equal(readImageHeader(withTiff(manyEntries))?.orientation, 1, 'entry count beyond the data');
  assert.equal(readImageHeader(withTiff(Buffer.from('II*\0', 'latin1')))?.orientation, 1, 'TIFF header cut short');
});

test('a PNG eXIf chunk before IDAT counts and one after it does not; a hand-built eXIf matches sharp', async () => {
  const png = await base().png().toBuffer();
  const ihdrEnd = 8 + 25;
  const iend = png.length - 12;
  for (const le of [true, false]) {
    const before = Buffer.concat([png.subarray(0, ihdrEnd), pngChunk('eXIf', orientationTiff(le, 7)), png.subarray(ihdrEnd)]);
    await assertLikeSharp(before, `hand-built eXIf, little-endian=${le}`);
    assert.equal(readImageHeader(before)?.orientation, 7);
  }
  const after = Buffer.concat([png.subarray(0, iend), pngChunk('eXIf', orientationTiff(true, 7)), png.subarray(iend)]);
  assert.equal(readImageHeader(after)?.orientation, 1);
});

test('ICC profiles in JPEG, PNG and WebP read as sharp reads them', async () => {
  for (const format of ['jpeg', 'png', 'webp'] as const) {
    for (const profile of ['p3', 'cmyk', 'srgb']) {
      if (profile === 'cmyk' && format !== 'jpeg') continue;
      const bytes = await base().withIccProfile(profile).toFormat(format).toBuffer();
      await assertLikeSharp(bytes, `${format} with ${profile}`);
      assert.ok(readImageHeader(bytes)?.icc, `${format} with ${profile}: found`);
    }
  }
});

test('a JPEG profile split over several APP2 segments is joined in sequence order, whatever the file order', async () => {
  const { segments, scan } = splitJpeg(await base().withIccProfile('p3').jpeg().toBuffer());
  const at = segments.findIndex((g) => g[1] === 0xe2);
  const icc = segments[at].subarray(4 + 14);
  const part = (seq: number, data: Uint8Array) => jpegSegment(0xe2, Buffer.concat([Buffer.from('ICC_PROFILE\0', 'latin1'), Buffer.from([seq, 3]), data]));
  const third = Math.ceil(icc.length / 3);
  const parts = [part(3, icc.subarray(2 * third)), part(1, icc.subarray(0, third)), part(2, icc.subarray(third, 2 * third))];
  const split = joinJpeg([...segments.slice(0, at), ...parts, ...segments.slice(at + 1)], scan);
  assert.deepEqual(Buffer.from(readImageHeader(split)!.icc!), Buffer.from(icc));
  await assertLikeSharp(split, 'split profile');
});

test('a PNG iCCP chunk that does not inflate is no profile, as libpng treats it', async () => {
  const png = await base().withIccProfile('p3').png().toBuffer();
  const at = png.indexOf('iCCP', 8, 'latin1');
  assert.ok(at > 0);
  const broken = Buffer.from(png);
  broken[png.indexOf(0, at + 4) + 4] ^= 0xff; // past the name, its NUL, the method and the zlib header: inside the deflate data
  const h = readImageHeader(broken);
  assert.ok(h, 'the header still reads');
  assert.equal(h.icc, undefined);
  await assertLikeSharp(broken, 'broken iCCP');
});

test('the fixture photos read as sharp reads them', { skip: fixturesMissing() }, async () => {
  const names = readdirSync(FACE_IMAGES).filter((n) => /\.(jpe?g|png|webp)$/i.test(n));
  assert.ok(names.length > 0);
  for (const name of names) await assertLikeSharp(readFileSync(faceImage(name)), name);
});

test('every prefix of a JPEG, PNG and WebP with EXIF gives undefined or the full header, never an exception', async () => {
  const images = [
    await base().withMetadata({ orientation: 6 }).jpeg().toBuffer(),
    await base().withMetadata({ orientation: 6 }).png().toBuffer(),
    await base().withMetadata({ orientation: 6 }).webp().toBuffer(),
    await base().webp({ lossless: true }).toBuffer(),
  ];
  for (const img of images) {
    const full = readImageHeader(img);
    assert.ok(full);
    for (let n = 0; n < img.length; n++) {
      const got = readImageHeader(img.subarray(0, n));
      if (got !== undefined) assert.deepEqual(got, full, `${full.format} cut to ${n} bytes`);
    }
  }
});

test('random bytes, alone or behind each format signature, never throw', () => {
  let seed = 0x9e3779b9;
  const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 24);
  const prefixes = [[], [0xff, 0xd8], [0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [...Buffer.from('RIFF\x40\0\0\0WEBP', 'latin1')]];
  for (const prefix of prefixes) {
    for (let k = 0; k < 2000; k++) {
      const b = Uint8Array.from([...prefix, ...Array.from({ length: k % 80 }, rand)]);
      const h = readImageHeader(b);
      if (h) assert.ok(h.width > 0 && h.height > 0 && h.orientation >= 1 && h.orientation <= 8);
    }
  }
});

test('a PNG header claiming 30000x30000 reads as such, so the pixel limit can refuse it before decoding', async () => {
  const bomb = pngHeaderOnly(30000, 30000);
  assert.deepEqual(readImageHeader(bomb), { format: 'png', width: 30000, height: 30000, orientation: 1 });
  await assertLikeSharp(bomb, 'header-only PNG');
});

test('a JPEG frame of height 0 (size deferred to DNL) and a missing frame header are undefined', async () => {
  const { segments, scan } = splitJpeg(await plainJpeg());
  const sof = segments.findIndex((s) => s[1] === 0xc0);
  const dnl = Buffer.from(segments[sof]);
  dnl.writeUInt16BE(0, 5);
  assert.equal(readImageHeader(joinJpeg(segments.map((s, k) => (k === sof ? dnl : s)), scan)), undefined);
  assert.equal(readImageHeader(joinJpeg(segments.filter((_, k) => k !== sof), scan)), undefined);
  assert.equal(readImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xd9])), undefined);
});

test('GIF, text and empty input are undefined', async () => {
  assert.equal(readImageHeader(await base().gif().toBuffer()), undefined);
  assert.equal(readImageHeader(Buffer.from('name,photo\nobama,obama.jpg\n')), undefined);
  assert.equal(readImageHeader(new Uint8Array(0)), undefined);
  assert.equal(readImageHeader(Buffer.from('RIFF\x04\0\0\0WAVE', 'latin1')), undefined);
});
