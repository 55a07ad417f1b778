import sharp from 'sharp';
import { defineNode } from '../../runtime/graph/node-definition.ts';
import { MAX_SIDE, parseColor, requireSide, storeImage, type Rgba } from '../lib/image/index.ts';

export default defineNode({
  type: 'image.create',
  version: 1,
  title: 'New image',
  category: 'image',
  description: 'A new image of a given size, filled with one colour or a linear gradient between two colours.',
  docs: [
    'Useful as a canvas, a mask, a background, or to try a graph without any input files.',
    '`angle` turns the gradient: 0° runs left to right, 90° top to bottom. Colours are `#rrggbb`,',
    'or `#rrggbbaa` with transparency (the PNG then has an alpha channel).',
  ].join('\n'),
  inputs: {
    width: { type: 'int', default: 512, min: 1, max: MAX_SIDE, description: 'Width in pixels.' },
    height: { type: 'int', default: 512, min: 1, max: MAX_SIDE, description: 'Height in pixels.' },
    fill: { type: 'enum', values: ['solid', 'linear_gradient'], default: 'solid', description: 'One colour, or a gradient from `color` to `color2`.' },
    color: { type: 'text', default: '#808080', widget: 'color', description: 'The colour (gradient start).' },
    color2: { type: 'text', default: '#000000', widget: 'color', description: 'Gradient end colour.' },
    angle: { type: 'float', default: 90, min: 0, max: 360, step: 1, description: 'Gradient direction in degrees.' },
  },
  outputs: { image: { type: 'image', description: 'The new PNG image.' } },
  async run(ctx, inputs: { width: unknown; height: unknown; fill: string; color: unknown; color2: unknown; angle: number }) {
    const width = requireSide(inputs.width, 'width', 1);
    const height = requireSide(inputs.height, 'height', 1);
    const from = parseColor(inputs.color, 'color');
    if (inputs.fill !== 'linear_gradient') {
      const channels = from.alpha < 1 ? 4 : 3;
      const image = sharp({ create: { width, height, channels, background: from } });
      return { image: await storeImage(ctx, image, { format: 'png' }) };
    }
    const to = parseColor(inputs.color2, 'color2');
    const svg = gradientSvg(width, height, inputs.angle, from, to);
    let image = sharp(Buffer.from(svg), { limitInputPixels: false });
    if (from.alpha === 1 && to.alpha === 1) image = image.removeAlpha();
    return { image: await storeImage(ctx, image, { format: 'png' }) };
  },
});

/** librsvg renders the gradient; colours are re-serialised from parsed numbers, so no input text reaches the SVG. */
function gradientSvg(width: number, height: number, angleDeg: number, from: Rgba, to: Rgba): string {
  const a = (angleDeg * Math.PI) / 180;
  const dx = Math.cos(a);
  const dy = Math.sin(a);
  // Half the length of the box's projection on the direction: the gradient spans exactly corner to corner.
  const half = (Math.abs(width * dx) + Math.abs(height * dy)) / 2;
  const [cx, cy] = [width / 2, height / 2];
  const stop = (offset: number, c: Rgba) => `<stop offset="${offset}" stop-color="rgb(${c.r},${c.g},${c.b})" stop-opacity="${c.alpha}"/>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs><linearGradient id="g" gradientUnits="userSpaceOnUse" x1="${cx - dx * half}" y1="${cy - dy * half}" x2="${cx + dx * half}" y2="${cy + dy * half}">` +
    `${stop(0, from)}${stop(1, to)}</linearGradient></defs><rect width="${width}" height="${height}" fill="url(#g)"/></svg>`
  );
}
