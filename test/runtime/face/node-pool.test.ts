import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaceAnalysisPool } from '../../../runtime/face/node-pool.ts';

const img = { width: 8, height: 8, data: new Uint8Array(8 * 8 * 3) };

test('a call in flight when its worker stops is rejected, never left waiting', async () => {
  const pool = new FaceAnalysisPool({ detectorPath: '/nonexistent/detector.onnx', detector: 'yunet', embedderPath: '/nonexistent/embedder.onnx', embedder: 'mobilefacenet' }, 1);
  const call = pool.detect(img);
  await pool.close();
  await assert.rejects(call, /worker stopped|nonexistent|no such file|Load model/i);
});

test('a worker that cannot load its models answers every call with the error', async () => {
  const pool = new FaceAnalysisPool({ detectorPath: '/nonexistent/detector.onnx', detector: 'yunet', embedderPath: '/nonexistent/embedder.onnx', embedder: 'mobilefacenet' }, 1);
  try {
    await assert.rejects(pool.detect(img), /nonexistent|no such file|Load model|worker stopped/i);
    await assert.rejects(pool.detect(img), /nonexistent|no such file|Load model|worker stopped/i);
  } finally {
    await pool.close();
  }
});
