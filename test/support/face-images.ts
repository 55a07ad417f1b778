/** Puts fixture photos (and a face-free picture) into a test's artifact store as image artifacts. */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { ArtifactRef } from '../../runtime/graph/node-definition.ts';
import type { ArtifactStore } from '../../runtime/store/artifact-store.ts';
import { faceImage } from './fixtures.ts';

export async function putFixture(store: ArtifactStore, name: string): Promise<ArtifactRef> {
  const bytes = readFileSync(faceImage(name));
  const meta = await sharp(bytes).metadata();
  return store.put(bytes, { mime: 'image/jpeg', name, width: meta.width, height: meta.height });
}

/** A landscape of gradients and shapes with no face in it. */
export async function putNoFace(store: ArtifactStore): Promise<ArtifactRef> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><defs><linearGradient id="g"><stop offset="0" stop-color="#0a4"/><stop offset="1" stop-color="#fd3"/></linearGradient></defs><rect width="800" height="600" fill="url(#g)"/><rect x="90" y="300" width="260" height="200" fill="#733"/></svg>`;
  const bytes = await sharp(Buffer.from(svg)).png().toBuffer();
  return store.put(bytes, { mime: 'image/png', name: 'landscape.png', width: 800, height: 600 });
}
