/**
 * Format, size, EXIF orientation and embedded ICC profile of a JPEG, PNG or WebP, read from its headers in plain
 * TypeScript, in one walk over the metadata. Ingest needs these before decoding, to refuse decompression bombs by
 * pixel count before libvips sees the bytes; a sharp metadata() call for the same answer costs about a millisecond
 * of thread hand-offs and libexif parsing. Decoders in Node and the browser read the profile here to plan the
 * colour conversion (./colour.ts). Anything this reader is unsure of (malformed, truncated before the metadata
 * ends, another format) is `undefined`, so the caller can ask sharp, whose error message then describes the file.
 */
import { unzlibSync } from 'fflate';
import { ascii, u16be, u32be, u32le } from './bytes.ts';

export interface ImageHeader {
  format: 'jpeg' | 'png' | 'webp';
  width: number;
  height: number;
  /** EXIF orientation 1..8, 1 when absent or unreadable */
  orientation: number;
  /** The embedded ICC profile (JPEG APP2 chunks joined, PNG iCCP inflated, WebP ICCP); absent when there is none or it is unreadable. */
  icc?: Uint8Array;
}

/** undefined when the bytes are not a JPEG/PNG/WebP this reader understands (caller falls back to sharp.metadata for the message). */
export function readImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpeg(bytes);
  if (bytes.length >= 8 && PNG_SIGNATURE.every((v, i) => bytes[i] === v)) return png(bytes);
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return webp(bytes);
  return undefined;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Bytes without the ICC header's 'acsp' signature are no profile (a damaged chunk, a stray APP2), so they are dropped here. */
function withIcc(header: ImageHeader, icc: Uint8Array | undefined): ImageHeader {
  if (icc && icc.length >= 128 && ascii(icc, 36, 4) === 'acsp') header.icc = icc;
  return header;
}

/** SOF0-3, 5-7, 9-11, 13-15: C4 (DHT), C8 (reserved) and CC (DAC) share the range but carry no frame size. */
function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/**
 * Walks every segment up to the scan (SOS), not just up to the frame header: libjpeg reads an Exif APP1 that
 * follows SOF too, so stopping at SOF could miss an orientation that sharp applies.
 */
function jpeg(b: Uint8Array): ImageHeader | undefined {
  let size: { width: number; height: number } | undefined;
  let orientation: number | undefined;
  const iccChunks: { seq: number; data: Uint8Array }[] = [];
  for (let i = 2; ; ) {
    if (i >= b.length || b[i] !== 0xff) return undefined;
    while (i < b.length && b[i] === 0xff) i++; // fill bytes may pad any marker
    if (i >= b.length) return undefined;
    const marker = b[i++];
    if (marker === 0xda || marker === 0xd9) return size && withIcc({ format: 'jpeg', ...size, orientation: orientation ?? 1 }, joinIcc(iccChunks));
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // TEM and RSTn stand alone, no length
    if (i + 2 > b.length) return undefined;
    const len = u16be(b, i);
    if (len < 2 || i + len > b.length) return undefined;
    const seg = b.subarray(i + 2, i + len);
    if (isSof(marker) && !size) {
      if (seg.length < 5) return undefined;
      const height = u16be(seg, 1), width = u16be(seg, 3);
      if (height === 0 || width === 0) return undefined; // height 0 defers to a DNL marker after the scan
      size = { width, height };
    } else if (marker === 0xe1 && orientation === undefined && seg.length >= 6 && ascii(seg, 0, 6) === 'Exif\0\0') {
      orientation = tiffOrientation(seg.subarray(6));
    } else if (marker === 0xe2 && seg.length >= 14 && ascii(seg, 0, 12) === 'ICC_PROFILE\0') {
      iccChunks.push({ seq: seg[12], data: seg.subarray(14) });
    }
    i += len;
  }
}

/** A profile over 64 KB spans several APP2 segments, each numbered; they are joined in that order. */
function joinIcc(chunks: { seq: number; data: Uint8Array }[]): Uint8Array | undefined {
  if (chunks.length <= 1) return chunks[0]?.data;
  chunks.sort((a, c) => a.seq - c.seq);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.data.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c.data, o);
    o += c.data.length;
  }
  return out;
}

/** Orientation only counts from an eXIf before IDAT: the spec's placement, and all libspng reads before decoding. */
function png(b: Uint8Array): ImageHeader | undefined {
  if (b.length < 33 || u32be(b, 8) !== 13 || ascii(b, 12, 4) !== 'IHDR') return undefined;
  const width = u32be(b, 16), height = u32be(b, 20);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return undefined;
  let orientation = 1;
  let icc: Uint8Array | undefined;
  for (let i = 33; i + 8 <= b.length; ) {
    const len = u32be(b, i);
    const type = ascii(b, i + 4, 4);
    if (type === 'IDAT') return withIcc({ format: 'png', width, height, orientation }, icc);
    if (type === 'IEND' || i + 12 + len > b.length) return undefined;
    if (type === 'eXIf') orientation = tiffOrientation(b.subarray(i + 8, i + 8 + len));
    else if (type === 'iCCP') icc = inflateIccp(b.subarray(i + 8, i + 8 + len));
    i += 12 + len;
  }
  return undefined; // cut off before the image data: a later eXIf could still change the orientation
}

/** iCCP: a profile name, NUL, the compression method (0, zlib), then the zlib stream; libpng ignores one that does not inflate. */
function inflateIccp(chunk: Uint8Array): Uint8Array | undefined {
  const nul = chunk.indexOf(0);
  if (nul < 1 || chunk[nul + 1] !== 0) return undefined;
  try {
    return unzlibSync(chunk.subarray(nul + 2));
  } catch {
    return undefined;
  }
}

/**
 * Requires the whole RIFF the header declares: an extended file keeps its EXIF chunk after the image data, so
 * a truncated one cannot say its orientation, and libwebp's demuxer refuses it anyway.
 */
function webp(b: Uint8Array): ImageHeader | undefined {
  const end = 8 + u32le(b, 4);
  if (end > b.length) return undefined;
  let size: { width: number; height: number } | undefined;
  let orientation = 1;
  let icc: Uint8Array | undefined;
  let extended = false;
  for (let i = 12; i + 8 <= end; ) {
    const fourcc = ascii(b, i, 4);
    const len = u32le(b, i + 4);
    if (i + 8 + len > end) return undefined;
    const p = b.subarray(i + 8, i + 8 + len);
    if (i === 12) {
      size = fourcc === 'VP8X' ? vp8x(p) : fourcc === 'VP8 ' ? vp8(p) : fourcc === 'VP8L' ? vp8l(p) : undefined;
      if (!size) return undefined;
      extended = fourcc === 'VP8X';
    } else if (fourcc === 'ICCP') {
      icc = p;
    } else if (fourcc === 'EXIF') {
      orientation = tiffOrientation(len >= 6 && ascii(p, 0, 6) === 'Exif\0\0' ? p.subarray(6) : p);
      break;
    }
    if (!extended) break; // a simple file is one image chunk: nothing after it is metadata
    i += 8 + len + (len & 1);
  }
  return size && withIcc({ format: 'webp', ...size, orientation }, icc);
}

/** Lossy key frame: 3-byte frame tag, start code 9D 01 2A, then 14-bit sizes (the top 2 bits are scaling). */
function vp8(p: Uint8Array) {
  if (p.length < 10 || p[3] !== 0x9d || p[4] !== 0x01 || p[5] !== 0x2a) return undefined;
  const width = (p[6] | (p[7] << 8)) & 0x3fff, height = (p[8] | (p[9] << 8)) & 0x3fff;
  return width && height ? { width, height } : undefined;
}

/** Lossless: signature 0x2F, then width-1 and height-1 in 14 bits each, alpha hint, and a 3-bit version that must be 0. */
function vp8l(p: Uint8Array) {
  if (p.length < 5 || p[0] !== 0x2f) return undefined;
  const bits = u32le(p, 1);
  if (bits >>> 29 !== 0) return undefined;
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}

/** Extended: flags and 3 reserved bytes, then canvas width-1 and height-1 as 24-bit little-endian. */
function vp8x(p: Uint8Array) {
  if (p.length < 10) return undefined;
  return { width: (p[4] | (p[5] << 8) | (p[6] << 16)) + 1, height: (p[7] | (p[8] << 8) | (p[9] << 16)) + 1 };
}

/** Bytes per component of the integer TIFF types libexif converts to the SHORT that Orientation should be. */
const INT_TYPES: Record<number, number> = { 1: 1, 3: 2, 4: 4, 6: 1, 8: 2, 9: 4 };

/**
 * The Orientation tag (0x0112) of IFD0 in TIFF-structured EXIF data; 1 when absent, malformed or out of range.
 * The spec says one SHORT, but libexif (and so sharp) converts any integer type to SHORT and takes the first
 * component, and a reader that disagreed would report a different orientation from the one sharp applies.
 */
function tiffOrientation(t: Uint8Array): number {
  if (t.length < 8) return 1;
  const le = t[0] === 0x49 && t[1] === 0x49;
  if (!le && !(t[0] === 0x4d && t[1] === 0x4d)) return 1;
  const u16 = (at: number) => (le ? t[at] | (t[at + 1] << 8) : u16be(t, at));
  const u32 = (at: number) => (le ? u32le(t, at) : u32be(t, at));
  if (u16(2) !== 42) return 1;
  const ifd = u32(4);
  if (ifd + 2 > t.length) return 1;
  for (let k = 0, n = u16(ifd); k < n; k++) {
    const e = ifd + 2 + 12 * k;
    if (e + 12 > t.length) return 1;
    if (u16(e) !== 0x0112) continue;
    const size = INT_TYPES[u16(e + 2)], count = u32(e + 4);
    if (!size || count === 0) return 1;
    const at = size * count <= 4 ? e + 8 : u32(e + 8); // values over 4 bytes live at an offset
    if (at + size * count > t.length) return 1; // libexif drops an entry whose values do not all fit
    const v = size === 1 ? t[at] : size === 2 ? u16(at) : u32(at) & 0xffff; // libexif's conversion to SHORT truncates
    return v >= 1 && v <= 8 ? v : 1;
  }
  return 1;
}
