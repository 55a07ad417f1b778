import { defineNode, NodeError } from '../../runtime/graph/node-definition.ts';
import { MAX_SIDE, openImage, parseColor, requireSide, storeImage } from '../lib/image/index.ts';

const FITS = ['cover', 'contain', 'fill', 'inside', 'outside'] as const;
const KERNELS = ['nearest', 'linear', 'cubic', 'mitchell', 'lanczos2', 'lanczos3'] as const;
const POSITIONS = ['centre', 'top', 'bottom', 'left', 'right', 'entropy', 'attention'] as const;

export default defineNode({
  type: 'image.resize',
  version: 1,
  title: 'Resize image',
  category: 'image',
  description: 'Scales an image to a width and/or height, cropping, padding or stretching as `fit` says.',
  docs: [
    'Set `width`, `height` or both (0 = work it out from the aspect ratio).',
    '',
    '| fit | result |',
    '|---|---|',
    '| cover | fills the box, cropping the overflow (where `position` says; `attention` keeps the most salient part) |',
    '| contain | fits inside the box, padding with `background` |',
    '| fill | exactly the box, stretched |',
    '| inside | as large as possible within the box, no crop, no padding |',
    '| outside | as small as possible while covering the box |',
    '',
    '`kernel` picks the resampling filter for shrinking (lanczos3 is sharpest, nearest keeps hard pixel edges).',
    'The result is lossless PNG; choose the final format with `image.save`.',
  ].join('\n'),
  inputs: {
    image: { type: 'image', description: 'The image to resize.' },
    width: { type: 'int', default: 0, min: 0, max: MAX_SIDE, description: 'Target width in pixels; 0 = from the aspect ratio.' },
    height: { type: 'int', default: 0, min: 0, max: MAX_SIDE, description: 'Target height in pixels; 0 = from the aspect ratio.' },
    fit: { type: 'enum', values: FITS, default: 'cover', description: 'How the image fills the box.' },
    position: { type: 'enum', values: POSITIONS, default: 'centre', description: 'What `cover` keeps and where `contain` places the image.' },
    kernel: { type: 'enum', values: KERNELS, default: 'lanczos3', description: 'Resampling filter.' },
    background: { type: 'text', default: '#00000000', widget: 'color', description: 'Padding colour for `contain`.' },
    enlarge: { type: 'bool', default: true, description: 'Allow making the image larger than it is.' },
  },
  outputs: { image: { type: 'image', description: 'The resized image.' } },
  async run(ctx, inputs: Record<string, unknown>) {
    const width = requireSide(inputs.width, 'width', 0) || undefined;
    const height = requireSide(inputs.height, 'height', 0) || undefined;
    if (!width && !height) throw new NodeError('inputs.width: set a width or a height (both are 0)');
    const { image, ref } = await openImage(ctx, inputs.image, 'image');
    const resized = image.rotate().resize({
      width,
      height,
      fit: inputs.fit as (typeof FITS)[number],
      position: inputs.position as string,
      kernel: inputs.kernel as (typeof KERNELS)[number],
      background: parseColor(inputs.background, 'background'),
      withoutEnlargement: inputs.enlarge === false,
    });
    return { image: await storeImage(ctx, resized, { format: 'png', name: ref.name }) };
  },
});
