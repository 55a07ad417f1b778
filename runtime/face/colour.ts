/**
 * Conversion to sRGB for photos with an embedded matrix/TRC ICC profile (ProPhoto, Adobe RGB, Display P3 and
 * the like), done here in plain TypeScript rather than by lcms (sharp) or skcms (Chrome): the two CMSs round
 * differently, and a ±1 difference on a ProPhoto photo moved an identity score by 1e-3 between Node and the
 * browser. With the same code on the same decoded pixels, both paths agree exactly. Profiles this does not
 * handle (LUT-based, CMYK) are left to the platform's CMS.
 */
import { ascii, u32be } from './bytes.ts';
import type { ImageHeader } from './header.ts';
import type { RgbImage } from './types.ts';

type Curve = (v: number) => number;

export interface MatrixShaper {
  /** Columns: the XYZ (D50) of the red, green and blue primaries. */
  colorants: [number, number, number, number, number, number, number, number, number];
  trc: [Curve, Curve, Curve];
}

/** sRGB IEC61966-2.1 colorants adapted to D50, as in the standard ICC profile (row-major: X, Y, Z rows). */
const SRGB_D50 = [0.4360747, 0.3850649, 0.1430804, 0.2225045, 0.7168786, 0.0606169, 0.0139322, 0.0971045, 0.7141733];

const srgbToLinear = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const linearToSrgb = (v: number) => (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);

/** The primaries and tone curves of an RGB matrix/TRC profile; undefined for anything else. */
export function parseMatrixShaper(icc: Uint8Array): MatrixShaper | undefined {
  if (icc.length < 132 || ascii(icc, 16, 4) !== 'RGB ' || ascii(icc, 20, 4) !== 'XYZ ') return undefined;
  const tags = new Map<string, Uint8Array>();
  const count = u32be(icc, 128);
  for (let t = 0; t < count && 132 + t * 12 + 12 <= icc.length; t++) {
    const o = 132 + t * 12;
    const off = u32be(icc, o + 4), len = u32be(icc, o + 8);
    if (off + len <= icc.length) tags.set(ascii(icc, o, 4), icc.subarray(off, off + len));
  }
  if (tags.has('A2B0')) return undefined; // a LUT profile: its matrix tags, if present, are not what renders
  const xyz = (sig: string) => {
    const t = tags.get(sig);
    if (!t || ascii(t, 0, 4) !== 'XYZ ' || t.length < 20) return undefined;
    return [s15(t, 8), s15(t, 12), s15(t, 16)];
  };
  const r = xyz('rXYZ'), g = xyz('gXYZ'), bl = xyz('bXYZ');
  const curves = ['rTRC', 'gTRC', 'bTRC'].map((s) => tags.get(s) && parseCurve(tags.get(s)!));
  if (!r || !g || !bl || curves.some((c) => !c)) return undefined;
  return { colorants: [r[0], g[0], bl[0], r[1], g[1], bl[1], r[2], g[2], bl[2]], trc: curves as [Curve, Curve, Curve] };
}

function s15(b: Uint8Array, at: number): number {
  return (u32be(b, at) | 0) / 65536;
}

function parseCurve(t: Uint8Array): Curve | undefined {
  const type = ascii(t, 0, 4);
  if (type === 'curv') {
    const n = u32be(t, 8);
    if (n === 0) return (v) => v;
    if (n === 1) {
      const gamma = ((t[12] << 8) | t[13]) / 256;
      return (v) => v ** gamma;
    }
    const table = Array.from({ length: n }, (_, i) => ((t[12 + 2 * i] << 8) | t[13 + 2 * i]) / 65535);
    return (v) => {
      const x = v * (n - 1);
      const i = Math.min(n - 2, Math.floor(x));
      return table[i] + (table[i + 1] - table[i]) * (x - i);
    };
  }
  if (type === 'para') {
    const fn = (t[8] << 8) | t[9];
    const p = Array.from({ length: [1, 3, 4, 5, 7][fn] ?? 0 }, (_, i) => s15(t, 12 + 4 * i));
    const [g, a = 1, b = 0, c = 0, d = 0, e = 0, f = 0] = p;
    switch (fn) {
      case 0: return (v) => v ** g;
      case 1: return (v) => (v >= -b / a ? (a * v + b) ** g : 0);
      case 2: return (v) => (v >= -b / a ? (a * v + b) ** g + c : c);
      case 3: return (v) => (v >= d ? (a * v + b) ** g : c * v);
      case 4: return (v) => (v >= d ? (a * v + b) ** g + e : c * v + f);
    }
  }
  return undefined;
}

/** True when the profile is sRGB to within rounding: nothing to convert. */
export function isSrgb(p: MatrixShaper): boolean {
  if (p.colorants.some((v, i) => Math.abs(v - SRGB_D50[i]) > 0.003)) return false;
  for (let k = 1; k < 16; k++) {
    const v = k / 16;
    if (p.trc.some((c) => Math.abs(c(v) - srgbToLinear(v)) > 0.002)) return false;
  }
  return true;
}

/** linearToSrgb quantised to 8 bits at 65536 steps of linear light; built once per thread. */
const ENCODE_STEPS = 65536;
let encodeTable: Uint8Array | undefined;
function srgbEncodeTable(): Uint8Array {
  return (encodeTable ??= buildEncodeTable());
}

/**
 * The table is 256 runs of equal codes, so it is filled run by run from where each code starts: the inverse curve
 * guesses the boundary and the exact formula settles it, 255 boundaries instead of 65537 pow calls (~14 ms on a
 * cold worker thread).
 */
function buildEncodeTable(): Uint8Array {
  const code = (i: number) => Math.round(255 * linearToSrgb(i / ENCODE_STEPS));
  const table = new Uint8Array(ENCODE_STEPS + 1);
  let start = 0;
  for (let c = 1; c <= 255; c++) {
    let i = Math.max(start, Math.ceil(srgbToLinear((c - 0.5) / 255) * ENCODE_STEPS));
    while (i > start && code(i - 1) >= c) i--;
    while (code(i) < c) i++;
    table.fill(c - 1, start, i);
    start = i;
  }
  return table.fill(255, start);
}

/** The table index of a linear value: clipped to 0..1, rounded to the nearest step. */
function encodeStep(v: number): number {
  return v <= 0 ? 0 : v >= 1 ? ENCODE_STEPS : (v * ENCODE_STEPS + 0.5) | 0;
}

/** Converts pixels from the profile's space to sRGB in place (relative colorimetric, clipped). */
export function convertToSrgb(img: RgbImage, p: MatrixShaper): void {
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = multiply3(invert3(SRGB_D50), p.colorants);
  const [lr, lg, lb] = p.trc.map((curve) => Float64Array.from({ length: 256 }, (_, i) => curve(i / 255)));
  const encode = srgbEncodeTable();
  const d = img.data;
  // encodeStep is a module function, not a closure: V8 inlines it, where a closure here ran at half the speed.
  for (let i = 0, n = d.length; i < n; i += 3) {
    const r = lr[d[i]], g = lg[d[i + 1]], b = lb[d[i + 2]];
    d[i] = encode[encodeStep(m0 * r + m1 * g + m2 * b)];
    d[i + 1] = encode[encodeStep(m3 * r + m4 * g + m5 * b)];
    d[i + 2] = encode[encodeStep(m6 * r + m7 * g + m8 * b)];
  }
}

function multiply3(a: number[], b: number[]): number[] {
  const out = new Array<number>(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
  return out;
}

function invert3(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

/**
 * What decoders should do with a photo's colour, from its header (./header.ts):
 * - `convert`: decode without the platform CMS, then convertToSrgb (matrix/TRC profiles other than sRGB);
 * - `none`: the pixels already are sRGB (no profile, or an sRGB one): decode without the platform CMS, whose
 *   sRGB-to-sRGB transform changes nothing and cost libvips a third of the decode time;
 * - `platform`: a profile this module does not handle (LUT-based, CMYK), or a header it could not read (another
 *   format, damaged metadata): let the platform's CMS do what it does with the file.
 */
export type ColourPlan = { kind: 'convert'; profile: MatrixShaper } | { kind: 'none' } | { kind: 'platform' };

export function colourPlan(header: ImageHeader | undefined): ColourPlan {
  if (!header) return { kind: 'platform' };
  const icc = header.icc;
  if (!icc) return { kind: 'none' };
  const profile = parseMatrixShaper(icc);
  if (!profile) return { kind: 'platform' };
  return isSrgb(profile) ? { kind: 'none' } : { kind: 'convert', profile };
}
