/**
 * Output files that carry the graph that made them: the bytes of an artifact as they are written
 * out of Castgraph (`castgraph run --out`, the server's run output downloads), with the run's graph
 * JSON embedded where the format has a place for it. The content-addressed store keeps the original
 * bytes; these are derived copies. Formats without a graph slot pass through unchanged, as a stream.
 * - PNG: an `iTXt` chunk `castgraph.graph` (runtime/graph/png-metadata.ts), rewritten in memory;
 * - MP4: a QuickTime metadata item `castgraph.graph`, remuxed by ffmpeg without re-encoding
 *   (`-c copy -movflags use_metadata_tags`); read back by runtime/graph/mp4-metadata.ts.
 */
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { ArtifactRef } from '../graph/node-definition.ts';
import { GRAPH_KEYWORD, withGraphText } from '../graph/png-metadata.ts';

const run = promisify(execFile);

/**
 * The file for `ref` with `graphJson` embedded, or the original stream when the type has no graph
 * slot. Bytes that do not parse as their type (or an MP4 ffmpeg cannot remux) are written as they
 * are: the output is still the output; `open` is then called a second time.
 */
export async function withEmbeddedGraph(ref: Pick<ArtifactRef, 'mime'>, open: () => Readable, graphJson: string): Promise<Readable> {
  if (ref.mime === 'image/png') return pngWithGraph(open, graphJson);
  if (ref.mime === 'video/mp4') return (await mp4WithGraph(open, graphJson)) ?? open();
  return open();
}

async function pngWithGraph(open: () => Readable, graphJson: string): Promise<Readable> {
  // A text chunk goes before IEND, and chunks carry lengths and CRCs: the PNG is rewritten whole, in memory.
  const bytes = Buffer.concat(await open().toArray());
  let out: Uint8Array = bytes;
  try {
    out = withGraphText(bytes, graphJson);
  } catch {
    // Not a parseable PNG: written unchanged.
  }
  return Readable.from([Buffer.from(out.buffer, out.byteOffset, out.byteLength)]);
}

/** ffmetadata escapes `=`, `;`, `#`, `\` and newlines with a backslash. */
const ffmetaEscape = (text: string) => text.replace(/[=;#\\\n]/g, (c) => `\\${c}`);

/**
 * Remuxes into a temporary folder, removed once the result has been read (or the reader gives up).
 * The graph goes in through an ffmetadata file, not the command line: a big graph would pass the
 * kernel's limit on one argument (128 KiB).
 */
async function mp4WithGraph(open: () => Readable, graphJson: string): Promise<Readable | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'castgraph-mp4-'));
  const [input, meta, output] = ['in.mp4', 'graph.ffmeta', 'out.mp4'].map((f) => join(dir, f)) as [string, string, string];
  try {
    await Promise.all([
      pipeline(open(), createWriteStream(input)),
      writeFile(meta, `;FFMETADATA1\n${GRAPH_KEYWORD}=${ffmetaEscape(graphJson)}\n`),
    ]);
    await run(process.env.CASTGRAPH_FFMPEG || 'ffmpeg', [
      '-nostdin', '-v', 'error', '-y', '-i', input, '-f', 'ffmetadata', '-i', meta,
      '-map', '0', '-map_metadata', '1', '-c', 'copy', '-movflags', 'use_metadata_tags+faststart', '-f', 'mp4', output,
    ], { timeout: 120_000 });
    const stream = createReadStream(output);
    stream.once('close', () => void rm(dir, { recursive: true, force: true }));
    return stream;
  } catch {
    await rm(dir, { recursive: true, force: true });
    return undefined;
  }
}
