/**
 * image.face_blend: puts an edited face crop back into the image it came from (the region from
 * image.face_crop), with a feathered edge so no seam shows.
 */
import { defineNode, NodeError } from '../../runtime/graph/node-definition.ts';
import { loadImage, putImage, rawSharp } from '../lib/face/image-io.ts';
import type { RgbImage } from '../../runtime/face/types.ts';

interface Region {
  left: number;
  top: number;
  size: number;
  imageWidth: number;
  imageHeight: number;
}

export default defineNode({
  type: 'image.face_blend',
  version: 1,
  title: 'Face blend',
  category: 'image',
  description: 'Feather-blends an edited face crop back into the original image at the region image.face_crop reported.',
  inputs: {
    image: { type: 'image', description: 'The original image.' },
    crop: { type: 'image', description: 'The edited crop (any size; it is scaled to the region).' },
    region: { type: 'json', description: 'The region output of image.face_crop.' },
    feather: { type: 'float', default: 0.12, min: 0, max: 0.5, step: 0.01, description: 'Width of the soft edge as a fraction of the region side.' },
  },
  outputs: { image: { type: 'image' } },
  resource: 'cpu',
  async run(ctx, inputs) {
    const feather = inputs.feather ?? 0.12;
    if (typeof feather !== 'number' || !(feather >= 0 && feather <= 0.5)) throw new NodeError(`inputs.feather: expected a number in 0..0.5, got ${JSON.stringify(inputs.feather)}`);
    const base = await loadImage(ctx, inputs.image, 'inputs.image');
    const region = parseRegion(inputs.region, base);
    const edited = await loadImage(ctx, inputs.crop, 'inputs.crop');
    const { data } = await rawSharp(edited).resize(region.size, region.size, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer({ resolveWithObject: true });
    const out = blend(base, { width: region.size, height: region.size, data }, region, feather);
    return { image: await putImage(ctx, rawSharp(out), 'face-blend.png') };
  },
});

function parseRegion(value: unknown, base: RgbImage): Region {
  const r = value as Partial<Region> | undefined;
  const ints = ['left', 'top', 'size'] as const;
  if (!r || typeof r !== 'object' || ints.some((k) => !Number.isInteger(r[k]))) throw new NodeError('inputs.region: expected { left, top, size } from image.face_crop');
  if (r.imageWidth !== base.width || r.imageHeight !== base.height) {
    throw new NodeError(`inputs.region: it was measured on a ${r.imageWidth}x${r.imageHeight} image, but inputs.image is ${base.width}x${base.height}`);
  }
  if (r.left! < 0 || r.top! < 0 || r.size! < 1 || r.left! + r.size! > base.width || r.top! + r.size! > base.height) throw new NodeError('inputs.region: the square does not lie inside the image');
  return r as Region;
}

/** Alpha is 1 inside and eases to 0 (smoothstep) over the last `feather * size` pixels before the region edge. */
function blend(base: RgbImage, patch: RgbImage, r: Region, feather: number): RgbImage {
  const data = Uint8Array.from(base.data);
  const band = Math.max(1e-6, feather * r.size);
  for (let y = 0; y < r.size; y++) {
    for (let x = 0; x < r.size; x++) {
      const edge = Math.min(x + 0.5, y + 0.5, r.size - x - 0.5, r.size - y - 0.5);
      const t = Math.min(1, edge / band);
      const a = feather === 0 ? 1 : t * t * (3 - 2 * t);
      const o = ((r.top + y) * base.width + r.left + x) * 3;
      const p = (y * r.size + x) * 3;
      for (let c = 0; c < 3; c++) data[o + c] = Math.round(data[o + c] * (1 - a) + patch.data[p + c] * a);
    }
  }
  return { width: base.width, height: base.height, data };
}
