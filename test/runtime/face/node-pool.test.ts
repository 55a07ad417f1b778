import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaceAnalysisPool, photoCost, type PhotoResult } from '../../../runtime/face/node-pool.ts';
import { MemoryBudget } from '../../../runtime/face/memory-budget.ts';
import type { PoolInit } from '../../../runtime/face/node-worker.ts';
import { FACE_IMAGES, FACE_MODELS, fixturesMissing } from '../../support/fixtures.ts';

const img = { width: 8, height: 8, data: new Uint8Array(8 * 8 * 3) };
const missingModels: PoolInit = { detectorPath: '/nonexistent/detector.onnx', detector: 'yunet', embedderPath: '/nonexistent/embedder.onnx', embedder: 'mobilefacenet' };

test('a call in flight when its worker stops is rejected, never left waiting, and gives its bytes back', async () => {
  const budget = new MemoryBudget(1024);
  const pool = new FaceAnalysisPool(missingModels, 1, budget);
  const call = pool.detect(img);
  // The call waits for the budget before it is posted, so let it reach the worker before stopping it.
  await new Promise((r) => setImmediate(r));
  await pool.close();
  await assert.rejects(call, /worker stopped|nonexistent|no such file|Load model/i);
  assert.equal(budget.inUse, 0);
  assert.equal(budget.peak, img.width * img.height * 3);
});

test('calls waiting for the memory budget when the pool closes are rejected without starting a worker', async () => {
  const budget = new MemoryBudget(img.width * img.height * 3);
  const pool = new FaceAnalysisPool(missingModels, 1, budget);
  const running = pool.detect(img);
  const waiting = pool.detect(img); // the first call holds the whole budget
  await new Promise((r) => setImmediate(r));
  await pool.close();
  await assert.rejects(running, /worker stopped|nonexistent|no such file|Load model/i);
  await assert.rejects(waiting, /face analysis pool is closed/);
  await assert.rejects(pool.detect(img), /face analysis pool is closed/);
  assert.equal(budget.inUse, 0);
});

test('a worker that cannot load its models answers every call with the error', async () => {
  const budget = new MemoryBudget(1024);
  const pool = new FaceAnalysisPool(missingModels, 1, budget);
  try {
    // The worker stays up and answers with the load error: a crash would read "worker stopped" instead.
    await assert.rejects(pool.detect(img), /nonexistent|no such file|Load model/i);
    await assert.rejects(pool.detect(img), /nonexistent|no such file|Load model/i);
    assert.equal(budget.inUse, 0);
  } finally {
    await pool.close();
  }
});

const skip = fixturesMissing();
const models: PoolInit = {
  detectorPath: join(FACE_MODELS, 'face_detection_yunet_2023mar.onnx'),
  detector: 'yunet',
  embedderPath: join(FACE_MODELS, 'mobilefacenet_foamliu.onnx'),
  embedder: 'mobilefacenet',
};

/** Every fixture photo with its cost, and what a pool on the default (process-wide) budget makes of them. */
let reference: Promise<{ photos: string[]; costs: number[]; results: PhotoResult[] }> | undefined;
function referenceRun() {
  return (reference ??= (async () => {
    const photos = readdirSync(FACE_IMAGES).sort().map((name) => join(FACE_IMAGES, name));
    const costs = await Promise.all(photos.map(async (p) => (await photoCost(p)) ?? assert.fail(`${p}: header not read`)));
    const pool = new FaceAnalysisPool(models, 2);
    try {
      return { photos, costs, results: await Promise.all(photos.map((p) => pool.analyzeFile(p))) };
    } finally {
      await pool.close();
    }
  })());
}

async function analyzeAll(budget: MemoryBudget, photos: string[]): Promise<PhotoResult[]> {
  const pool = new FaceAnalysisPool(models, 2, budget);
  try {
    return await Promise.all(photos.map((p) => pool.analyzeFile(p)));
  } finally {
    await pool.close();
  }
}

test('a small memory budget holds photos back without changing any result', { skip }, async () => {
  const { photos, costs, results } = await referenceRun();
  const largest = Math.max(...costs);
  const budget = new MemoryBudget(largest + 1);
  assert.ok(costs.reduce((a, b) => a + b) > budget.limit, 'the photos must not all fit at once, or nothing waits');
  assert.deepEqual(await analyzeAll(budget, photos), results);
  assert.ok(budget.peak <= budget.limit, `peak ${budget.peak} over the limit ${budget.limit}`);
  assert.ok(budget.peak >= largest);
  assert.equal(budget.inUse, 0);
});

test('photos each over the whole budget still complete, one at a time', { skip }, async () => {
  const { photos, costs, results } = await referenceRun();
  const budget = new MemoryBudget(1);
  assert.deepEqual(await analyzeAll(budget, photos), results);
  // Two photos held at once would add up to more than the largest alone.
  assert.equal(budget.peak, Math.max(...costs));
  assert.equal(budget.inUse, 0);
});

test('a file whose header cannot be read takes the whole budget and fails with sharp\'s message', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-pool-'));
  try {
    const path = join(dir, 'not-a-photo.jpg');
    writeFileSync(path, 'this is not an image');
    assert.equal(await photoCost(path), undefined);
    const budget = new MemoryBudget(1000);
    await assert.rejects(analyzeAll(budget, [path]), /unsupported image format/i);
    assert.equal(budget.peak, budget.limit);
    assert.equal(budget.inUse, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
