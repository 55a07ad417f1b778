/**
 * The browser face module: a test page built with Vite's API runs the comlink worker with onnxruntime-web in
 * headless Chromium, on the fixture models and photos served from the fixtures folder (never copied into the
 * repo), and must reproduce the Node path's IDR scores within 1e-3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { decodeImage, loadAnalyzer } from '../../runtime/face/node.ts';
import { cosine, idrScore } from '../../runtime/face/similarity.ts';
import { ModelManager } from '../../runtime/models/manager.ts';
import { FACE_IMAGES, FACE_MODELS, fixturesMissing } from '../support/fixtures.ts';
import { serveStatic } from './serve.ts';

const skip = fixturesMissing();
const PHOTOS = ['obama.jpg', 'obama2.jpg', 'obama_knn_test1.jpg', 'biden.jpg', 'kit_harington_john1.jpeg', 'kit_harington_john2.jpeg', 'rose_leslie_img1.jpg', 'alex_lacamoire1.jpg', 'two_people.jpg'];
export const SCREENSHOT = join(tmpdir(), 'castgraph-face-worker.png');

test('face worker in Chromium (onnxruntime-web) matches the Node path within 1e-3', { skip, timeout: 300_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'castgraph-face-page-'));
  let server: Awaited<ReturnType<typeof serveStatic>> | undefined;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    await build({
      root: join(dirname(fileURLToPath(import.meta.url)), 'face-page'),
      configFile: false,
      base: './',
      logLevel: 'warn',
      worker: { format: 'es' },
      build: { outDir: out, emptyOutDir: true, chunkSizeWarningLimit: 100_000 },
    });
    server = await serveStatic({ '/app/': out, '/models/': FACE_MODELS, '/images/': FACE_IMAGES });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    await page.goto(`${server.origin}/app/index.html?models=/models&imagesBase=/images&images=${PHOTOS.join(',')}`);
    await page.waitForFunction(() => (window as any).__faceResults || (window as any).__faceError, undefined, { timeout: 240_000 });
    const error = await page.evaluate(() => (window as any).__faceError);
    assert.equal(error, undefined, `page error: ${error}\n${consoleErrors.join('\n')}`);
    const browserResults = (await page.evaluate(() => (window as any).__faceResults)) as { name: string; faces: unknown[]; reason?: string; embedding: number[] | null }[];
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    const analyzer = await loadAnalyzer({ manager: new ModelManager(FACE_MODELS) });
    const node = await Promise.all(PHOTOS.map(async (p) => analyzer.analyze(await decodeImage(join(FACE_IMAGES, p)), { multiFace: 'fail' })));
    assert.deepEqual(browserResults.map((r) => r.name), PHOTOS);
    browserResults.forEach((r, i) => {
      assert.equal(r.faces.length, node[i].faces.length, `${r.name}: face count`);
      assert.equal(r.reason, node[i].reason, `${r.name}: reason`);
    });
    assert.equal(browserResults.at(-1)!.reason, '2 faces');
    let worst = 0;
    for (let i = 0; i < PHOTOS.length; i++) {
      for (let j = i + 1; j < PHOTOS.length; j++) {
        const a = browserResults[i].embedding, b = browserResults[j].embedding;
        if (!a || !b) continue;
        const web = idrScore(cosine(a, b), 'mobilefacenet');
        const ref = idrScore(cosine(node[i].embedding!, node[j].embedding!), 'mobilefacenet');
        worst = Math.max(worst, Math.abs(web - ref));
        assert.ok(Math.abs(web - ref) < 1e-3, `${PHOTOS[i]} ~ ${PHOTOS[j]}: browser ${web.toFixed(5)} vs node ${ref.toFixed(5)}`);
      }
    }
    console.log(`# largest browser/node IDR score difference: ${worst.toExponential(2)}; screenshot: ${SCREENSHOT}`);
  } finally {
    await browser.close();
    await server?.close();
    rmSync(out, { recursive: true, force: true });
  }
});
