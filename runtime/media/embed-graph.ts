/**
 * Output files that carry the graph that made them: the bytes of an artifact as they are written
 * out of Castgraph (`castgraph run --out`, the server's run output downloads), with the run's graph
 * JSON embedded where the format has a place for it. The content-addressed store keeps the original
 * bytes; these are derived copies. Formats without a graph slot pass through unchanged, as a stream.
 */
import { Readable } from 'node:stream';
import type { ArtifactRef } from '../graph/node-definition.ts';
import { withGraphText } from '../graph/png-metadata.ts';

/** Media types whose files get the graph embedded. */
export function carriesGraph(mime: string): boolean {
  return mime === 'image/png';
}

/**
 * The file for `ref` with `graphJson` embedded (a PNG `iTXt` chunk `castgraph.graph`), or the original
 * stream when the type has no graph slot. `open` is called once.
 */
export async function withEmbeddedGraph(ref: Pick<ArtifactRef, 'mime'>, open: () => Readable, graphJson: string): Promise<Readable> {
  if (!carriesGraph(ref.mime)) return open();
  // A text chunk goes before IEND, and chunks carry lengths and CRCs: the PNG is rewritten whole, in memory.
  const bytes = Buffer.concat(await open().toArray());
  let out: Uint8Array = bytes;
  try {
    out = withGraphText(bytes, graphJson);
  } catch {
    // Bytes labelled PNG that do not parse as one: the output is still the output, written as it is.
  }
  return Readable.from([Buffer.from(out.buffer, out.byteOffset, out.byteLength)]);
}
