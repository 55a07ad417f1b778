/**
 * Image decoding in the browser (window or worker): createImageBitmap applies the EXIF orientation, an
 * OffscreenCanvas gives the pixels (alpha dropped). Matrix/TRC profiles are converted to sRGB by ../colour.ts,
 * exactly as the Node path does; other profiles by the browser.
 */
import { colourPlan, convertToSrgb } from '../colour.ts';
import { readImageHeader } from '../header.ts';
import type { RgbImage } from '../types.ts';

export async function decodeImageBlob(blob: Blob, maxPixels = 64_000_000): Promise<RgbImage> {
  const plan = colourPlan(readImageHeader(new Uint8Array(await blob.arrayBuffer())));
  const bitmap = await createImageBitmap(blob, {
    imageOrientation: 'from-image',
    premultiplyAlpha: 'none',
    colorSpaceConversion: plan.kind === 'platform' ? 'default' : 'none',
  });
  try {
    const { width, height } = bitmap;
    if (width * height > maxPixels) throw new Error(`image is ${width}x${height}, over the limit of ${maxPixels / 1e6} MP`);
    const canvas = new OffscreenCanvas(width, height);
    const g = canvas.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' });
    if (!g) throw new Error('no 2D canvas context');
    g.drawImage(bitmap, 0, 0);
    const rgba = g.getImageData(0, 0, width, height).data;
    const data = new Uint8Array(width * height * 3);
    for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
      data[j] = rgba[i];
      data[j + 1] = rgba[i + 1];
      data[j + 2] = rgba[i + 2];
    }
    const img = { width, height, data };
    if (plan.kind === 'convert') convertToSrgb(img, plan.profile);
    return img;
  } finally {
    bitmap.close();
  }
}
