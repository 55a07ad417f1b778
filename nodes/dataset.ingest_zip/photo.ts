/**
 * One photo of an ingest: read, vet the header, decode once at working size, measure (sharpness, perceptual
 * hash, faces), then — in archive order, so results do not depend on timing — decide and crop.
 */
import sharp, { type Metadata } from 'sharp';
import type { ArtifactRef, RunContext } from '../../runtime/graph/node-definition.ts';
import type { FaceAnalysisPool } from '../../runtime/face/node-pool.ts';
import { countDominant } from '../../runtime/face/analyzer.ts';
import { colourPlan } from '../../runtime/face/colour.ts';
import { readImageHeader } from '../../runtime/face/header.ts';
import type { Face, RgbImage } from '../../runtime/face/types.ts';
import { centreSquare, squareAround } from '../lib/face/crop.ts';
import { PREVIEW_JPEG_OPTIONS, putImage, rawSharp, type ImageFormat } from '../lib/face/image-io.ts';
import { hamming, quality } from './quality.ts';

export interface IngestSettings {
  resolution: number;
  format: ImageFormat;
  caption: string;
  maxPixels: number;
  maxEntryBytes: number;
  blurThreshold: number;
  nearDuplicateDistance: number;
  faces: 'one' | 'largest' | 'off';
  dominance: number;
  analyzer?: FaceAnalysisPool;
}

export interface PhotoReport {
  name: string;
  status: 'kept' | 'dropped' | 'skipped' | 'refused';
  reason?: string;
  width?: number;
  height?: number;
  sharpness?: number;
  faces?: number;
  faceBox?: [number, number, number, number];
  duplicateOf?: string;
  thumbnail?: ArtifactRef;
  image?: ArtifactRef;
}

/** What a photo is once measured; `report` is set when it was already rejected. */
export interface Measured {
  name: string;
  report?: PhotoReport;
  /** Equal for two photos exactly when their bytes are (see SafeZip.contentKey). */
  contentKey?: string;
  img?: RgbImage;
  /** Source-photo pixels per working-image pixel (the photo is decoded at working size). */
  scale?: number;
  sourceSize?: [number, number];
  sharpness?: number;
  hash?: [number, number];
  faces?: Face[];
  thumbnail?: ArtifactRef;
}

const THUMB = 160;
const ACCEPTED = new Set(['jpeg', 'png', 'webp']);

export async function measure(ctx: RunContext, name: string, bytes: Buffer, contentKey: string, s: IngestSettings): Promise<Measured> {
  // The header is read here, not by sharp.metadata(): that costs a thread hand-off and an EXIF parse per
  // photo, and this way the pixel limit is checked before libvips sees the bytes. sharp only names what
  // the reader does not understand.
  const header = readImageHeader(bytes);
  let meta: Pick<Metadata, 'format' | 'width' | 'height' | 'orientation'> | undefined = header;
  if (!meta) {
    try {
      meta = await sharp(bytes, { limitInputPixels: false }).metadata(); // header only: our own limit below names the size
    } catch (err) {
      return { name, report: { name, status: 'skipped', reason: `corrupt image: ${(err as Error).message}` } };
    }
  }
  if (!meta.format || !ACCEPTED.has(meta.format)) {
    return { name, report: { name, status: 'skipped', reason: `not a JPEG, PNG or WebP image (${meta.format ?? 'unknown format'})` } };
  }
  const w = meta.width ?? 0, h = meta.height ?? 0;
  if (w * h > s.maxPixels) {
    const mp = ((w * h) / 1e6).toFixed(1);
    return { name, report: { name, status: 'refused', width: w, height: h, reason: `decompression bomb refused: ${w}x${h} = ${mp} MP, over the limit of ${s.maxPixels / 1e6} MP (inputs.maxMegapixels); not decoded` } };
  }
  let img: RgbImage;
  let sourceSize: [number, number];
  try {
    // Decoded once, at the smallest size whose shorter side still covers the output resolution (JPEG
    // shrink-on-load makes this much cheaper than a full decode); EXIF orientation applied, sRGB.
    // Photos that already are sRGB skip libvips' no-op sRGB-to-sRGB transform (a third of the decode time).
    const ignoreIcc = colourPlan(header).kind === 'none';
    const { data, info } = await sharp(bytes, { limitInputPixels: s.maxPixels, failOn: 'error', ignoreIcc })
      .rotate()
      .resize(s.resolution, s.resolution, { fit: 'outside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    img = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    const rotated = (meta.orientation ?? 1) >= 5;
    sourceSize = rotated ? [h, w] : [w, h];
  } catch (err) {
    return { name, report: { name, status: 'skipped', width: w, height: h, reason: `corrupt image: ${(err as Error).message}` } };
  }
  const [q, faces] = await Promise.all([quality(img), s.faces === 'off' || !s.analyzer ? undefined : s.analyzer.detect(img)]);
  const thumbnail = await putImage(ctx, rawSharp(q.small).resize(THUMB, THUMB, { fit: 'inside', kernel: 'linear' }), `thumb-${baseName(name)}.jpg`, 'jpeg', PREVIEW_JPEG_OPTIONS);
  return { name, contentKey, img, scale: sourceSize[0] / img.width, sourceSize, sharpness: q.sharpness, hash: q.hash, faces, thumbnail };
}

export interface Decision {
  reason?: string;
  duplicateOf?: string;
  face?: Face;
}

/** Decisions that depend on earlier photos; one instance per ingest, called in archive order. */
export class Deduper {
  readonly #byContent = new Map<string, string>();
  readonly #kept: { name: string; hash: [number, number] }[] = [];

  decide(m: Measured, s: IngestSettings): Decision {
    const first = this.#byContent.get(m.contentKey!);
    if (first) return { reason: `exact duplicate of ${first}`, duplicateOf: first };
    this.#byContent.set(m.contentKey!, m.name);
    if (s.blurThreshold > 0 && m.sharpness! < s.blurThreshold) {
      return { reason: `blurry: sharpness ${m.sharpness!.toFixed(1)} is under ${s.blurThreshold} (inputs.blurThreshold)` };
    }
    if (s.nearDuplicateDistance >= 0) {
      for (const k of this.#kept) {
        const d = hamming(k.hash, m.hash!);
        if (d <= s.nearDuplicateDistance) return { reason: `near duplicate of ${k.name} (hash distance ${d})`, duplicateOf: k.name };
      }
    }
    let face: Face | undefined;
    if (s.faces !== 'off') {
      const faces = m.faces ?? [];
      if (faces.length === 0) return { reason: 'no face found' };
      const dominant = countDominant(faces, s.dominance);
      if (s.faces === 'one' && dominant > 1) return { reason: `${dominant} faces` };
      face = faces[0];
    }
    this.#kept.push({ name: m.name, hash: m.hash! });
    return { face };
  }
}

/** The kept photo cropped to a face-centred (or centre) square at the training resolution. */
export async function cropKept(ctx: RunContext, m: Measured, face: Face | undefined, s: IngestSettings): Promise<ArtifactRef> {
  const img = m.img!;
  const region = face ? squareAround(face, img.width, img.height, Math.min(img.width, img.height)) : centreSquare(img.width, img.height);
  const square = rawSharp(img).extract({ left: region.left, top: region.top, width: region.size, height: region.size });
  // The photo was decoded with its shorter side at the resolution, so the square usually has the size already.
  const pipeline = region.size === s.resolution ? square : square.resize(s.resolution, s.resolution, { kernel: 'lanczos3' });
  return putImage(ctx, pipeline, `${baseName(m.name)}.${s.format === 'png' ? 'png' : 'jpg'}`, s.format);
}

/** Box in source-photo pixels, for the report. */
export function sourceBox(m: Measured, face: Face): [number, number, number, number] {
  return face.box.map((v) => Math.round(v * m.scale!)) as [number, number, number, number];
}

function baseName(name: string): string {
  return (name.split('/').pop() ?? name).replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_.-]/g, '_') || 'photo';
}
