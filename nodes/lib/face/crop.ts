/** Square regions around a face, kept inside the image. */
import type { Face } from '../../../runtime/face/types.ts';

export interface Region {
  left: number;
  top: number;
  size: number;
}

/**
 * The square of side `side` (capped to the image's shorter side) centred on the face's box centre,
 * shifted as little as needed to stay inside the image.
 */
export function squareAround(face: Face, width: number, height: number, side: number): Region {
  const size = Math.max(1, Math.min(Math.round(side), width, height));
  const cx = (face.box[0] + face.box[2]) / 2;
  const cy = (face.box[1] + face.box[3]) / 2;
  const left = Math.min(Math.max(0, Math.round(cx - size / 2)), width - size);
  const top = Math.min(Math.max(0, Math.round(cy - size / 2)), height - size);
  return { left, top, size };
}

/** The centre square, for photos cropped without a face. */
export function centreSquare(width: number, height: number): Region {
  const size = Math.min(width, height);
  return { left: Math.floor((width - size) / 2), top: Math.floor((height - size) / 2), size };
}
