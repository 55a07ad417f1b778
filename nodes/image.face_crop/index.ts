/**
 * image.face_crop: the face (the largest one) cut out as a square with margin, plus the region it came from so
 * image.face_blend can put an edited version back.
 */
import { defineNode, NodeError } from '../../runtime/graph/node-definition.ts';
import { analyzerFor, DETECTOR_INPUT } from '../lib/face/models.ts';
import { loadImage, putImage, rawSharp } from '../lib/face/image-io.ts';
import { squareAround } from '../lib/face/crop.ts';

export default defineNode({
  type: 'image.face_crop',
  version: 1,
  title: 'Face crop',
  category: 'image',
  description: 'Finds the largest face and crops a square around it with a margin; outputs the crop and its region for image.face_blend.',
  inputs: {
    image: { type: 'image' },
    margin: { type: 'float', default: 0.5, min: 0, max: 4, step: 0.05, description: 'Extra space on each side, as a fraction of the face box’s longer side.' },
    size: { type: 'int', default: 512, min: 0, max: 4096, description: 'Side of the output crop in pixels; 0 keeps the native size.' },
    detector: DETECTOR_INPUT,
  },
  outputs: {
    crop: { type: 'image' },
    region: { type: 'json', description: '{ left, top, size, imageWidth, imageHeight } in source pixels.' },
    face: { type: 'json', description: 'The face found: box, 5 landmarks, score (source pixels).' },
  },
  resource: 'cpu',
  async run(ctx, inputs) {
    const margin = inputs.margin ?? 0.5;
    if (typeof margin !== 'number' || !(margin >= 0 && margin <= 4)) throw new NodeError(`inputs.margin: expected a number in 0..4, got ${JSON.stringify(inputs.margin)}`);
    const size = inputs.size ?? 512;
    if (!Number.isInteger(size) || size < 0 || size > 4096) throw new NodeError(`inputs.size: expected an integer in 0..4096, got ${JSON.stringify(inputs.size)}`);
    const img = await loadImage(ctx, inputs.image, 'inputs.image');
    const analyzer = await analyzerFor(ctx, inputs.detector ?? 'yunet');
    const [face] = await analyzer.detect(img);
    if (!face) throw new NodeError('inputs.image: no face found');
    const side = Math.max(face.box[2] - face.box[0], face.box[3] - face.box[1]) * (1 + 2 * margin);
    const region = squareAround(face, img.width, img.height, side);
    let pipeline = rawSharp(img).extract({ left: region.left, top: region.top, width: region.size, height: region.size });
    if (size > 0) pipeline = pipeline.resize(size, size, { kernel: 'lanczos3' });
    const crop = await putImage(ctx, pipeline, 'face-crop.png');
    return {
      crop,
      region: { ...region, imageWidth: img.width, imageHeight: img.height },
      face: { box: face.box.map((v) => Math.round(v * 10) / 10), landmarks: face.landmarks.map(([x, y]) => [Math.round(x * 10) / 10, Math.round(y * 10) / 10]), score: face.score },
    };
  },
});
