/**
 * The WebAssembly side of ../image.ts `letterbox`: one instance per thread (workers each get their own), its
 * memory grown to the largest band of rows seen (at most 64 source rows and 32 output rows), and the byte layout
 * both sides agree on.
 */
import binary from './letterbox.wasm.ts';
import type { Normalisation } from '../image.ts';

interface Kernel {
  memory: WebAssembly.Memory;
  letterbox(rows: number, ytop: number, ynext: number, wy: number, nh: number, xi: number, wx: number, nw: number, consts: number, out: number, size: number): void;
}

let instance: Kernel | undefined;

export function kernel(): Kernel {
  if (!instance) {
    // A 0.5 kB module: compiling it synchronously is allowed even on a browser's main thread.
    const bytes = Uint8Array.from(atob(binary), (c) => c.charCodeAt(0));
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as Kernel;
  }
  return instance;
}

export interface Layout {
  consts: number;
  xi: number;
  wx: number;
  ytop: number;
  ynext: number;
  wy: number;
  out: number;
  rows: number;
}

/** Byte offsets of each table for one call (`band` output rows at a time), growing the memory to fit; every table is 16-byte aligned. */
export function layout(k: Kernel, a: { nw: number; nh: number; band: number; size: number; rowBytes: number; rowCount: number }): Layout {
  let end = 0;
  const take = (bytes: number) => {
    const at = end;
    end += Math.ceil(bytes / 16) * 16;
    return at;
  };
  const at: Layout = {
    consts: take(7 * 16),
    xi: take(a.nw * 4),
    wx: take(a.nw * 4),
    ytop: take(a.nh * 4),
    ynext: take(a.nh * 4),
    wy: take(a.nh * 4),
    out: take(3 * a.band * a.size * 4),
    // A sample loads 8 bytes for its 6, so the last pixel pair of the last row reads 2 bytes past it.
    rows: take(a.rowCount * a.rowBytes + 16),
  };
  const pages = Math.ceil(end / 65536) - k.memory.buffer.byteLength / 65536;
  if (pages > 0) k.memory.grow(pages);
  return at;
}

/** Views on the kernel's memory; taken after layout(), since growing the memory replaces its buffer. */
export function views(k: Kernel): { u8: Uint8Array; i32: Int32Array; f32: Float32Array } {
  const b = k.memory.buffer;
  return { u8: new Uint8Array(b), i32: new Int32Array(b), f32: new Float32Array(b) };
}

/**
 * The constants block in model channel order: four byte swizzles that spread the R G B bytes of one of the four
 * pixels in a 16-byte load (top-left at byte 0, top-right at 3, bottom-left at 8, bottom-right at 11) into u32
 * lanes, then the means, the reciprocal std and the padding value (a normalised zero pixel) of each plane.
 */
export function model(norm: Normalisation): { swizzles: Uint8Array; mean: number[]; inv: number[]; pad: number[] } {
  const swizzles = new Uint8Array(64).fill(0x80);
  const source = norm.order === 'rgb' ? [0, 1, 2] : [2, 1, 0];
  [0, 3, 8, 11].forEach((pixel, s) => source.forEach((byte, lane) => (swizzles[s * 16 + lane * 4] = pixel + byte)));
  return {
    swizzles,
    mean: [...norm.mean],
    inv: norm.std.map((s) => 1 / s),
    pad: norm.mean.map((m, c) => (0 - m) / norm.std[c]),
  };
}
