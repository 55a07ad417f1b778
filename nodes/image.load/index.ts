import { defineNode, NodeError } from '../../runtime/graph/node-definition.ts';
import { abortable, openImage, orientedSize, storeImage } from '../lib/image/index.ts';

/** Formats that pass through untouched when nothing needs fixing; anything else is decoded to PNG. */
const PASSTHROUGH: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

export default defineNode({
  type: 'image.load',
  version: 1,
  title: 'Load image',
  category: 'image',
  description: 'Turns an uploaded image file into a clean image: upright (EXIF orientation applied), sRGB colours, PNG/JPEG/WebP.',
  docs: [
    'Reads JPEG, PNG, WebP, TIFF, GIF (first frame), AVIF and HEIF.',
    '',
    'A PNG, JPEG or WebP that is already upright, sRGB and has no embedded colour profile passes through byte for byte',
    '(no generation loss). Anything else (a rotated phone photo, an Adobe RGB or CMYK file, another format) is rotated,',
    'converted to sRGB and re-encoded as lossless PNG. Images over 268 megapixels are refused before decoding.',
  ].join('\n'),
  inputs: {
    file: {
      type: 'image',
      widget: 'file',
      accept: ['image/png', 'image/jpeg', 'image/webp', 'image/tiff', 'image/gif', 'image/avif', 'image/heif'],
      description: 'The uploaded image file.',
    },
  },
  outputs: {
    image: { type: 'image', description: 'The upright sRGB image.' },
    width: { type: 'int', description: 'Width in pixels, after orientation.' },
    height: { type: 'int', description: 'Height in pixels, after orientation.' },
  },
  async run(ctx, inputs: { file: unknown }) {
    const { ref, image, meta } = await openImage(ctx, inputs.file, 'file');
    const { width, height } = orientedSize(meta);
    if (!width || !height) throw new NodeError('inputs.file: the image has no pixel size');
    const mime = meta.format ? PASSTHROUGH[meta.format] : undefined;
    const clean = mime && (meta.orientation ?? 1) === 1 && !meta.icc && (meta.space === 'srgb' || meta.space === 'b-w') && (meta.pages ?? 1) === 1;
    if (clean) {
      const bytes = await abortable(ctx.artifacts.get(ref), ctx.signal);
      const out = await ctx.artifacts.put(bytes, { mime, width, height, name: ref.name });
      return { image: out, width, height };
    }
    // sharp converts to sRGB through the embedded profile on output; rotate() with no angle applies EXIF orientation.
    const out = await storeImage(ctx, image.rotate().toColourspace('srgb'), { format: 'png', name: ref.name?.replace(/\.[^.]+$/, '.png') });
    return { image: out, width: out.width, height: out.height };
  },
});
