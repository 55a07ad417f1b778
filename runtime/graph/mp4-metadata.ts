/**
 * Graphs inside MP4 files: output videos written by `castgraph run --out` or downloaded from the
 * server's run outputs carry their graph as a QuickTime metadata item with key `castgraph.graph`
 * (what `ffmpeg -movflags use_metadata_tags` writes: `moov/udta/meta` with `hdlr mdta`, `keys` and
 * `ilst`). A `©cmt` comment holding a Castgraph graph document is read as well.
 * Pure box parsing over a random-access reader (no DOM, no Node APIs): the browser passes `Blob.slice`,
 * so a large video is never read whole, only its box headers and its `moov`.
 */
import { GRAPH_FORMAT } from './document.ts';
import { GRAPH_KEYWORD } from './png-metadata.ts';

/** Bytes `[start, end)` of the file (fewer at its end). */
export type ReadRange = (start: number, end: number) => Promise<Uint8Array>;

interface Box {
  type: string;
  /** Offset of the payload, after the header, within the buffer or file it was read from. */
  payload: number;
  end: number;
}

const latin1 = new TextDecoder('latin1');
const fourcc = (b: Uint8Array, at: number) => latin1.decode(b.subarray(at, at + 4));
const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at);

/** The header of the box at `at`: size 1 means a 64-bit size follows, size 0 means "to the end". */
function header(h: Uint8Array, at: number, limit: number): Box {
  const size32 = u32(h, 0);
  const type = fourcc(h, 4);
  let size = size32;
  let length = 8;
  if (size32 === 1) {
    if (h.length < 16) throw new Error(`MP4 box ${type} at byte ${at} is cut short`);
    size = u32(h, 8) * 2 ** 32 + u32(h, 12);
    length = 16;
  } else if (size32 === 0) size = limit - at;
  if (size < length || at + size > limit) throw new Error(`MP4 box ${type} at byte ${at} runs past its container`);
  return { type, payload: at + length, end: at + size };
}

/** The children of an in-memory container from `start` to `end`. */
function* children(b: Uint8Array, start: number, end: number): Generator<Box> {
  for (let at = start; at + 8 <= end; ) {
    const box = header(b.subarray(at, at + 16), at, end);
    yield box;
    at = box.end;
  }
}

const child = (b: Uint8Array, parent: { payload: number; end: number }, type: string) => [...children(b, parent.payload, parent.end)].find((c) => c.type === type);

export function isMp4(head: Uint8Array): boolean {
  return head.length >= 12 && fourcc(head, 4) === 'ftyp';
}

/** The graph JSON text stored in the MP4, or undefined when it carries none. */
export async function readMp4GraphText(read: ReadRange, size: number): Promise<string | undefined> {
  if (!isMp4(await read(0, 12))) throw new Error('not an MP4 file (no ftyp box)');
  for (let at = 0; at + 8 <= size; ) {
    const box = header(await read(at, at + 16), at, size);
    if (box.type === 'moov') {
      const moov = await read(box.payload, box.end);
      return graphInMoov(moov, { payload: 0, end: moov.length });
    }
    at = box.end;
  }
  return undefined;
}

function graphInMoov(b: Uint8Array, moov: { payload: number; end: number }): string | undefined {
  const udta = child(b, moov, 'udta');
  for (const meta of [child(b, moov, 'meta'), udta && child(b, udta, 'meta')]) {
    if (!meta) continue;
    // ISO `meta` is a full box (4 bytes of version and flags before its children); QuickTime's is not.
    const first = fourcc(b, meta.payload + 4);
    const inner = { payload: ['hdlr', 'keys', 'ilst'].includes(first) ? meta.payload : meta.payload + 4, end: meta.end };
    const found = graphInMeta(b, inner);
    if (found !== undefined) return found;
  }
  return undefined;
}

function graphInMeta(b: Uint8Array, meta: { payload: number; end: number }): string | undefined {
  const ilst = child(b, meta, 'ilst');
  if (!ilst) return undefined;
  const keys = keyNames(b, child(b, meta, 'keys'));
  for (const item of children(b, ilst.payload, ilst.end)) {
    const index = [...item.type].reduce((n, c) => n * 256 + c.charCodeAt(0), 0); // `keys` items are named by 1-based index
    const key = item.type === '\u00a9cmt' ? 'comment' : keys[index - 1];
    if (key !== GRAPH_KEYWORD && key !== 'comment') continue;
    const text = dataText(b, item);
    if (text === undefined) continue;
    if (key === GRAPH_KEYWORD || isGraphJson(text)) return text;
  }
  return undefined;
}

/** `keys`: version/flags, entry count, then entries of size, namespace (`mdta`) and the key name. */
function keyNames(b: Uint8Array, keys: Box | undefined): string[] {
  if (!keys) return [];
  const names: string[] = [];
  const count = u32(b, keys.payload + 4);
  for (let at = keys.payload + 8, i = 0; i < count && at + 8 <= keys.end; i++) {
    const size = u32(b, at);
    if (size < 8 || at + size > keys.end) throw new Error(`MP4 keys entry ${i} runs past its box`);
    names.push(new TextDecoder().decode(b.subarray(at + 8, at + size)));
    at += size;
  }
  return names;
}

/** The UTF-8 text of an item's `data` box (type indicator 1), skipping the type and locale words. */
function dataText(b: Uint8Array, item: Box): string | undefined {
  const data = child(b, item, 'data');
  if (!data || data.end - data.payload < 8 || (u32(b, data.payload) & 0xffffff) !== 1) return undefined;
  return new TextDecoder().decode(b.subarray(data.payload + 8, data.end));
}

function isGraphJson(text: string): boolean {
  try {
    return (JSON.parse(text) as { format?: unknown })?.format === GRAPH_FORMAT;
  } catch {
    return false;
  }
}
