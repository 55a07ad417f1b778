import type { Face } from './types.ts';

/** Intersection over union with the "+1 pixel" convention InsightFace's NMS uses. */
export function iou(a: Face['box'], b: Face['box']): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]) + 1;
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]) + 1;
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const areaA = (a[2] - a[0] + 1) * (a[3] - a[1] + 1);
  const areaB = (b[2] - b[0] + 1) * (b[3] - b[1] + 1);
  return inter / (areaA + areaB - inter);
}

/** Greedy non-maximum suppression: highest score first, drop every later box overlapping a kept one by more than `threshold`. */
export function nms(faces: Face[], threshold: number): Face[] {
  const sorted = [...faces].sort((a, b) => b.score - a.score);
  const kept: Face[] = [];
  for (const f of sorted) if (kept.every((k) => iou(k.box, f.box) <= threshold)) kept.push(f);
  return kept;
}
