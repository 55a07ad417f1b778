/**
 * Graphs inside PNG files: an output image written by `castgraph run --out`, downloaded from the
 * server's run outputs or from the editor carries the graph that made it in a text chunk (keyword
 * `castgraph.graph`), and dropping such a PNG on the editor opens that graph.
 * Pure byte handling (no DOM, no Node APIs), so the editor, the CLI and the server share it.
 */
const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
export const GRAPH_KEYWORD = 'castgraph.graph';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

interface Chunk {
  type: string;
  start: number;
  dataStart: number;
  length: number;
}

function* chunks(bytes: Uint8Array): Generator<Chunk> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) throw new Error(`PNG chunk ${type} at byte ${at} runs past the end of the file`);
    yield { type, start: at, dataStart: at + 8, length };
    at += 12 + length;
  }
}

/** The graph JSON text stored in the PNG, or undefined when it carries none. */
export function readGraphText(bytes: Uint8Array): string | undefined {
  if (!isPng(bytes)) throw new Error('not a PNG file');
  for (const chunk of chunks(bytes)) {
    if (chunk.type !== 'tEXt' && chunk.type !== 'iTXt') continue;
    const data = bytes.subarray(chunk.dataStart, chunk.dataStart + chunk.length);
    const zero = data.indexOf(0);
    if (zero < 0 || new TextDecoder('latin1').decode(data.subarray(0, zero)) !== GRAPH_KEYWORD) continue;
    // iTXt: keyword\0 compression-flag compression-method language\0 translated\0 text (UTF-8)
    if (chunk.type === 'iTXt') {
      if (data[zero + 1] !== 0) throw new Error('compressed iTXt graph chunks are not supported');
      let at = zero + 3;
      at = data.indexOf(0, at) + 1;
      at = data.indexOf(0, at) + 1;
      return new TextDecoder().decode(data.subarray(at));
    }
    return new TextDecoder('latin1').decode(data.subarray(zero + 1));
  }
  return undefined;
}

/** A copy of the PNG with the graph JSON in an uncompressed UTF-8 `iTXt` chunk before `IEND`. */
export function withGraphText(bytes: Uint8Array, json: string): Uint8Array {
  if (!isPng(bytes)) throw new Error('not a PNG file');
  let iend: Chunk | undefined;
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const chunk of chunks(bytes)) {
    if (chunk.type === 'IEND') iend = chunk;
    const data = bytes.subarray(chunk.dataStart, chunk.dataStart + chunk.length);
    const isOldGraph = (chunk.type === 'tEXt' || chunk.type === 'iTXt') && new TextDecoder('latin1').decode(data.subarray(0, data.indexOf(0))) === GRAPH_KEYWORD;
    if (chunk.type !== 'IEND' && !isOldGraph) kept.push(bytes.subarray(chunk.start, chunk.dataStart + chunk.length + 4));
  }
  if (!iend) throw new Error('PNG has no IEND chunk');
  const enc = new TextEncoder();
  const body = concat([enc.encode('iTXt'), enc.encode(GRAPH_KEYWORD), new Uint8Array([0, 0, 0, 0, 0]), enc.encode(json)]);
  const chunk = new Uint8Array(body.length + 8);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, body.length - 4);
  chunk.set(body, 4);
  view.setUint32(4 + body.length, crc32(body));
  kept.push(chunk, bytes.subarray(iend.start, iend.start + 12));
  return concat(kept);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
