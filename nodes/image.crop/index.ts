import { defineNode, NodeError } from '../../runtime/graph/node-definition.ts';
import { MAX_SIDE, openImage, orientedSize, requireSide, storeImage } from '../lib/image/index.ts';

export default defineNode({
  type: 'image.crop',
  version: 1,
  title: 'Crop image',
  category: 'image',
  description: 'Cuts out the rectangle at `left`,`top` of size `width`×`height` (pixels, from the top-left corner).',
  docs: 'The rectangle must lie inside the image; otherwise the node fails and says which input reaches past which edge.',
  inputs: {
    image: { type: 'image', description: 'The image to crop.' },
    left: { type: 'int', default: 0, min: 0, max: MAX_SIDE, description: 'Distance from the left edge.' },
    top: { type: 'int', default: 0, min: 0, max: MAX_SIDE, description: 'Distance from the top edge.' },
    width: { type: 'int', default: 256, min: 1, max: MAX_SIDE, description: 'Width of the cut-out.' },
    height: { type: 'int', default: 256, min: 1, max: MAX_SIDE, description: 'Height of the cut-out.' },
  },
  outputs: { image: { type: 'image', description: 'The cut-out.' } },
  async run(ctx, inputs: Record<string, unknown>) {
    const left = requireSide(inputs.left, 'left', 0);
    const top = requireSide(inputs.top, 'top', 0);
    const width = requireSide(inputs.width, 'width', 1);
    const height = requireSide(inputs.height, 'height', 1);
    const { image, meta, ref } = await openImage(ctx, inputs.image, 'image');
    const size = orientedSize(meta);
    const dims = `${size.width}×${size.height}`;
    if (left >= size.width) throw new NodeError(`inputs.left: ${left} is outside the ${dims} image (at most ${size.width - 1})`);
    if (top >= size.height) throw new NodeError(`inputs.top: ${top} is outside the ${dims} image (at most ${size.height - 1})`);
    if (left + width > size.width) {
      throw new NodeError(`inputs.width: left ${left} + width ${width} = ${left + width} reaches past the right edge of the ${dims} image (at most ${size.width - left})`);
    }
    if (top + height > size.height) {
      throw new NodeError(`inputs.height: top ${top} + height ${height} = ${top + height} reaches past the bottom edge of the ${dims} image (at most ${size.height - top})`);
    }
    const cropped = image.rotate().extract({ left, top, width, height });
    return { image: await storeImage(ctx, cropped, { format: 'png', name: ref.name }) };
  },
});
