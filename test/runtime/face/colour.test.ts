/** The module's own matrix/TRC colour conversion agrees with libvips/lcms to within one 8-bit step. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { colourPlan, convertToSrgb, isSrgb, parseMatrixShaper, type MatrixShaper } from '../../../runtime/face/colour.ts';
import { readImageHeader } from '../../../runtime/face/header.ts';
import { decodeImage } from '../../../runtime/face/node.ts';
import { faceImage, fixturesMissing } from '../../support/fixtures.ts';

async function maxDiffFromLcms(bytes: Buffer): Promise<number> {
  const ours = await decodeImage(bytes);
  const lcms = await sharp(bytes).rotate().removeAlpha().raw().toBuffer();
  let max = 0;
  for (let i = 0; i < lcms.length; i++) max = Math.max(max, Math.abs(lcms[i] - ours.data[i]));
  return max;
}

for (const format of ['jpeg', 'png', 'webp'] as const) {
  test(`a Display P3 ${format} is found, parsed and converted like lcms does`, async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32"><rect width="32" height="32" fill="#e02030"/><rect x="32" width="32" height="32" fill="#20c050"/></svg>';
    const bytes = await sharp(Buffer.from(svg)).withIccProfile('p3').toFormat(format, { quality: 100, lossless: true }).toBuffer();
    const icc = readImageHeader(bytes)?.icc;
    assert.ok(icc, 'profile found');
    const p = parseMatrixShaper(icc);
    assert.ok(p && !isSrgb(p));
    assert.equal(colourPlan(readImageHeader(bytes)).kind, 'convert');
    assert.ok((await maxDiffFromLcms(bytes)) <= 1);
  });
}

test('sRGB-tagged and untagged photos need no conversion', async () => {
  const plain = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).jpeg().toBuffer();
  assert.equal(readImageHeader(plain)?.icc, undefined);
  assert.equal(colourPlan(readImageHeader(plain)).kind, 'none');
  const tagged = await sharp(plain).withIccProfile('srgb').jpeg().toBuffer();
  assert.equal(colourPlan(readImageHeader(tagged)).kind, 'none');
  assert.ok((await maxDiffFromLcms(tagged)) === 0, 'skipping the sRGB-to-sRGB transform changes no pixel');
});

test('the ProPhoto RGB fixture photo converts within one step of lcms', { skip: fixturesMissing() }, async () => {
  const bytes = readFileSync(faceImage('kit_harington_john2.jpeg'));
  assert.equal(colourPlan(readImageHeader(bytes)).kind, 'convert');
  assert.ok((await maxDiffFromLcms(bytes)) <= 1);
});

test('a file whose header cannot be read leaves colour to the platform', async () => {
  const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).gif().toBuffer();
  assert.equal(colourPlan(readImageHeader(gif)).kind, 'platform');
  assert.equal(colourPlan(undefined).kind, 'platform');
});

test('conversion encodes every one of its 65537 linear steps as the sRGB formula does', () => {
  // sRGB's own colorants make the matrix the identity, so each byte reaches the encoder as the curve's value.
  const srgbD50: MatrixShaper['colorants'] = [0.4360747, 0.3850649, 0.1430804, 0.2225045, 0.7168786, 0.0606169, 0.0139322, 0.0971045, 0.7141733];
  const encode = (v: number) => Math.round(255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055));
  for (let base = 0; base <= 65536; base += 256) {
    const curve = (v: number) => Math.min(65536, base + Math.round(v * 255)) / 65536;
    const data = Uint8Array.from({ length: 768 }, (_, i) => Math.floor(i / 3));
    convertToSrgb({ width: 256, height: 1, data }, { colorants: srgbD50, trc: [curve, curve, curve] });
    for (let i = 0; i < 768; i++) {
      const step = Math.min(65536, base + Math.floor(i / 3));
      if (data[i] !== encode(step / 65536)) assert.fail(`step ${step}: got ${data[i]}, expected ${encode(step / 65536)}`);
    }
  }
});
