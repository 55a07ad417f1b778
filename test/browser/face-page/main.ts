/**
 * Test-only page: runs the face worker (onnxruntime-web in a comlink worker) on photos named in the query string,
 * draws the faces it found and the pairwise IDR scores, and leaves the raw results on `window.__faceResults`.
 */
import { startFaceWorker, type PhotoFaces } from '../../../runtime/face/browser/client.ts';

interface PageResult {
  name: string;
  faces: PhotoFaces['faces'];
  reason?: string;
  embedding: number[] | null;
}
const w = window as unknown as { __faceResults?: PageResult[]; __faceError?: string };
const params = new URLSearchParams(location.search);
const status = document.getElementById('status')!;

async function main() {
  const { api } = startFaceWorker();
  await api.init({ modelBaseUrl: params.get('models')!, detector: (params.get('detector') ?? 'yunet') as 'yunet' | 'scrfd' });
  const results: PageResult[] = [];
  for (const name of params.get('images')!.split(',')) {
    status.textContent = `analysing ${name}…`;
    const blob = await (await fetch(`${params.get('imagesBase')}/${name}`)).blob();
    const r = await api.analyze(blob, { multiFace: 'fail' });
    results.push({ name, faces: r.faces, reason: r.reason, embedding: r.embedding ? Array.from(r.embedding) : null });
    await draw(name, blob, r);
  }
  await matrix(results, api.compare);
  status.textContent = `${results.length} photos analysed in the worker (${params.get('detector') ?? 'yunet'} + mobilefacenet, onnxruntime-web)`;
  w.__faceResults = results;
}

async function draw(name: string, blob: Blob, r: PhotoFaces) {
  const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  const scale = 180 / bitmap.height;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = 180;
  const g = canvas.getContext('2d')!;
  g.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  g.lineWidth = 2;
  for (const f of r.faces) {
    g.strokeStyle = '#3f3';
    g.strokeRect(f.box[0] * scale, f.box[1] * scale, (f.box[2] - f.box[0]) * scale, (f.box[3] - f.box[1]) * scale);
    g.fillStyle = '#f3f';
    for (const [x, y] of f.landmarks) g.fillRect(x * scale - 2, y * scale - 2, 4, 4);
  }
  const fig = document.createElement('figure');
  const cap = document.createElement('figcaption');
  cap.textContent = `${name}: ${r.faces.length} face(s)${r.reason ? ` — ${r.reason}` : ''}`;
  fig.append(canvas, cap);
  document.getElementById('photos')!.append(fig);
}

async function matrix(results: PageResult[], compare: (a: Float32Array, b: Float32Array) => Promise<{ score: number }>) {
  const ok = results.filter((r) => r.embedding);
  const table = document.getElementById('matrix')!;
  table.innerHTML = `<tr><th></th>${ok.map((r) => `<th>${r.name.split('.')[0]}</th>`).join('')}</tr>`;
  for (const a of ok) {
    const cells = await Promise.all(ok.map(async (b) => (await compare(Float32Array.from(a.embedding!), Float32Array.from(b.embedding!))).score));
    const person = (n: string) => n.split(/[_.0-9]/)[0];
    table.insertAdjacentHTML('beforeend', `<tr><th>${a.name.split('.')[0]}</th>${cells.map((s, j) => `<td class="${person(a.name) === person(ok[j].name) ? 'same' : ''}">${s.toFixed(3)}</td>`).join('')}</tr>`);
  }
}

main().catch((err: Error) => {
  w.__faceError = String(err?.stack ?? err);
  status.textContent = `error: ${err.message}`;
});
