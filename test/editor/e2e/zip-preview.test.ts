/**
 * A ZIP of photos is previewed before upload with the faces the browser face module finds.
 * The studio serves the shared fixtures' models through its real /api/models route, and requires a
 * token, so the face worker loads them by signed URL; the photos are zipped at test time.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { FACE_IMAGES, FACE_MODELS, fixturesMissing } from '../../support/fixtures.ts';
import { addNodeBySearch, doc, openStudio, SHOTS, type Studio } from './harness.ts';

const skip = fixturesMissing();
const TOKEN = 'zip-preview-token-0123456789';
let s: Studio;
before(async () => {
  if (skip) return;
  process.env.CASTGRAPH_MODELS_DIR = FACE_MODELS; // the studio's models folder (openStudio takes no modelsDir)
  s = await openStudio({ token: TOKEN, path: `/?token=${TOKEN}` });
  await s.page.waitForSelector('.react-flow');
});
after(async () => { await s?.close(); });

test('a photo ZIP shows thumbnails with faces found in the browser before it uploads', { skip, timeout: 180_000 }, async () => {
  const { page } = s;
  const modelRequests: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/models/')) modelRequests.push(r.url()); });
  const zip = zipSync({
    'photos/obama.jpg': readFileSync(join(FACE_IMAGES, 'obama.jpg')),
    'photos/biden.jpg': readFileSync(join(FACE_IMAGES, 'biden.jpg')),
    'photos/two_people.jpg': readFileSync(join(FACE_IMAGES, 'two_people.jpg')),
    'readme.txt': new TextEncoder().encode('not a photo'),
  });
  const zipPath = join(SHOTS, 'photos.zip');
  writeFileSync(zipPath, zip);

  await addNodeBySearch(page, 'ingest zip', { x: 300, y: 200 });
  const id = (await doc(page)).nodes[0]!.id;
  await page.locator(`.react-flow__node[data-id="${id}"]`).getByLabel(`${id}.archive`).setInputFiles(zipPath);
  const dialog = page.getByRole('dialog', { name: 'ZIP preview' });
  await dialog.waitFor();
  await dialog.locator('h3', { hasText: '3 photos' }).waitFor();
  await dialog.locator('[data-zip-status]').filter({ hasText: 'faces found' }).waitFor({ timeout: 150_000 });
  const faces = await dialog.locator('figure').evaluateAll((els) => els.map((e) => `${e.querySelector('img')!.alt}:${e.getAttribute('data-faces')}`));
  assert.deepEqual(faces, ['photos/biden.jpg:1', 'photos/obama.jpg:1', 'photos/two_people.jpg:2']);
  assert.ok(modelRequests.length >= 2, 'the models came from the server');
  assert.ok(modelRequests.every((u) => /\/api\/models\/s\.\d+\.[0-9a-f]{64}\/[\w.-]+\.onnx$/.test(u) && !u.includes(TOKEN)), `signed, token-free model URLs: ${modelRequests}`);
  await s.shot('zip-preview-faces');
  await dialog.getByRole('button', { name: 'Upload ZIP' }).click();
  await page.waitForFunction((nodeId) => {
    const d = (globalThis as unknown as { castgraph: { editor: { doc: { nodes: { id: string; inputs: Record<string, { $artifact?: string }> }[] } } } }).castgraph.editor.doc;
    return typeof d.nodes.find((n) => n.id === nodeId)?.inputs.archive?.$artifact === 'string';
  }, id);
  const ref = (await doc(page)).nodes[0]!.inputs.archive as { mime: string; size: number };
  assert.equal(ref.mime, 'application/zip');
  assert.equal(ref.size, zip.length);
});
