import { defineNode, NodeError } from '../../runtime/graph/node-definition.ts';
import { describe } from '../../runtime/graph/values.ts';
import { EXTENSION, OUTPUT_FORMATS, openImage, parseColor, storeImage, type OutputFormat } from '../lib/image/index.ts';

/** A file name, not a path: it names the file a run's `--out` folder and the editor's download get. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/;

export default defineNode({
  type: 'image.save',
  version: 1,
  title: 'Save image',
  category: 'image',
  description: 'Encodes an image as PNG, JPEG or WebP with a file name, ready to download or to be a graph output.',
  docs: [
    '`quality` (1-100) applies to JPEG and WebP; WebP at 100 is lossless. PNG is always lossless and maximally compressed.',
    'JPEG has no transparency, so transparent pixels are laid over `background`. Metadata (EXIF, GPS) is stripped.',
    '`name` is a plain file name; the extension for the format is added when missing.',
  ].join('\n'),
  inputs: {
    image: { type: 'image', description: 'The image to save.' },
    format: { type: 'enum', values: OUTPUT_FORMATS, default: 'png', description: 'File format.' },
    quality: { type: 'int', default: 90, min: 1, max: 100, widget: 'slider', description: 'JPEG/WebP quality.' },
    name: { type: 'text', default: 'image', description: 'File name, without folders.' },
    background: { type: 'text', default: '#ffffff', widget: 'color', description: 'Colour behind transparent pixels in a JPEG.' },
  },
  outputs: { image: { type: 'image', description: 'The encoded file.' } },
  async run(ctx, inputs: Record<string, unknown>) {
    const format = inputs.format as OutputFormat;
    if (!OUTPUT_FORMATS.includes(format)) throw new NodeError(`inputs.format: expected one of ${OUTPUT_FORMATS.join(', ')}, got ${describe(format)}`);
    const quality = inputs.quality;
    if (!Number.isInteger(quality) || (quality as number) < 1 || (quality as number) > 100) {
      throw new NodeError(`inputs.quality: expected a whole number from 1 to 100, got ${describe(quality)}`);
    }
    const name = typeof inputs.name === 'string' ? inputs.name.trim() : '';
    if (!FILE_NAME.test(name) || name.includes('..')) {
      throw new NodeError(`inputs.name: expected a plain file name (letters, digits, space, "_", "-", "."; no folders), got ${describe(inputs.name)}`);
    }
    const ext = EXTENSION[format];
    const fileName = name.toLowerCase().endsWith(`.${ext}`) ? name : `${name}.${ext}`;
    const { image } = await openImage(ctx, inputs.image, 'image');
    let pipeline = image.rotate();
    if (format === 'jpeg') pipeline = pipeline.flatten({ background: parseColor(inputs.background, 'background') });
    return { image: await storeImage(ctx, pipeline, { format, quality: quality as number, final: true, name: fileName }) };
  },
});
