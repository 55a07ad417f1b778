/**
 * `--out dir`: each artifact output becomes a file named after the output (`portrait.png`, lists as
 * `frames-0.png`, …); outputs.json holds every output, artifacts as their ref plus the `file` written.
 * Given the graph as it ran, files whose format has a slot for it carry it (PNG: an `iTXt` chunk,
 * MP4: a metadata item, both `castgraph.graph`), so dropping one on the editor reopens the graph; refs keep the stored hash.
 * Every file is written under a temporary name and renamed, so the folder never holds half a file.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { isArtifactRef, PORT_NAME_PATTERN, type ArtifactRef } from '../../graph/index.ts';
import { withEmbeddedGraph } from '../../media/embed-graph.ts';
import { writeAtomically, writeFileAtomic } from '../../store/atomic-file.ts';
import { extensionOf } from '../../store/media-types.ts';


export async function writeOutputs(
  dir: string,
  outputs: Record<string, unknown>,
  open: (ref: ArtifactRef) => Readable,
  options: { graph?: unknown } = {},
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const graphJson = options.graph === undefined ? undefined : JSON.stringify(options.graph);
  const save = async (ref: ArtifactRef, base: string) => {
    const file = base + extensionOf(ref);
    const bytes = async () => (graphJson === undefined ? open(ref) : withEmbeddedGraph(ref, () => open(ref), graphJson));
    await writeAtomically(join(dir, file), async (tmp) => pipeline(await bytes(), createWriteStream(tmp)));
    written.push(file);
    return { ...ref, file };
  };
  const summary: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(outputs)) {
    // Output names become file names; from a remote server they are not to be trusted (`../../x`).
    if (!PORT_NAME_PATTERN.test(name)) throw new Error(`outputs.${JSON.stringify(name)}: not an output name (letters, digits and \`_\`); nothing was written for it`);
    if (isArtifactRef(value)) summary[name] = await save(value, name);
    else if (Array.isArray(value) && value.length > 0 && value.every(isArtifactRef)) {
      summary[name] = await Promise.all(value.map((ref, i) => save(ref, `${name}-${i}`)));
    } else summary[name] = value;
  }
  await writeFileAtomic(join(dir, 'outputs.json'), `${JSON.stringify(summary, null, 2)}\n`);
  written.push('outputs.json');
  return written;
}


