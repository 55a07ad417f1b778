/** `castgraph faces compare` and `castgraph models list` through the real bin, on the fixture models. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FACE_IMAGES, FACE_MODELS, fixturesMissing } from '../../support/fixtures.ts';

const skip = fixturesMissing();
const bin = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../..'), 'bin/castgraph.js');

function castgraph(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd: FACE_IMAGES, env: { ...process.env, CASTGRAPH_MODELS_DIR: FACE_MODELS } }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('faces compare --json gives a symmetric score matrix that separates people', { skip }, async () => {
  const { code, stdout, stderr } = await castgraph('faces', 'compare', 'obama.jpg', 'obama2.jpg', 'rose_leslie_img1.jpg', '--json');
  assert.equal(code, 0, stderr);
  const out = JSON.parse(stdout);
  assert.deepEqual(out.photos.map((p: any) => p.photo), ['obama.jpg', 'obama2.jpg', 'rose_leslie_img1.jpg']);
  assert.equal(out.scores[0][1], out.scores[1][0]);
  assert.ok(Math.abs(out.scores[0][0] - idr(1)) < 1e-3);
  assert.ok(out.scores[0][1] > 0.9 && out.scores[0][2] < 0.1 && out.scores[1][2] < 0.1, JSON.stringify(out.scores));
  assert.ok(out.cosines[0][1] > 0.6);
});

test('faces compare prints a table, names a photo it cannot score and exits 3; scrfd warns about its licence', { skip }, async () => {
  const { code, stdout, stderr } = await castgraph('faces', 'compare', 'obama.jpg', 'two_people.jpg', 'kit_harington_john1.jpeg', '--detector', 'scrfd');
  assert.equal(code, 3);
  assert.match(stderr, /warning: model "scrfd" is licensed for non-commercial research only/);
  assert.match(stdout, /two_people\.jpg: 2 faces/);
  assert.match(stdout, /obama\.jpg\s+kit_harington_john1\.jpeg\s+0\.\d{3}\s+-?0\.\d{3}/);
  const largest = await castgraph('faces', 'compare', 'obama.jpg', 'two_people.jpg', '--multi-face', 'largest');
  assert.equal(largest.code, 0, largest.stderr);
});

test('faces compare: usage errors exit 2', async () => {
  assert.equal((await castgraph('faces', 'compare', 'one.jpg')).code, 2);
  assert.match((await castgraph('faces', 'compare', 'a.jpg', 'b.jpg', '--detector', 'dlib')).stderr, /--detector must be one of yunet, scrfd/);
  assert.equal((await castgraph('faces', 'diff')).code, 2);
});

test('models list shows each model, its state and licence', { skip }, async () => {
  const { code, stdout } = await castgraph('models', 'list');
  assert.equal(code, 0);
  assert.match(stdout, /yunet\s+verified\s+detector.*MIT/);
  assert.match(stdout, /scrfd\s+verified.*\[NON-COMMERCIAL\]/);
  assert.match(stdout, /w600k_r50\s+missing/);
  assert.match(stdout, /MS-Celeb-1M/);
});

function idr(cos: number): number {
  return 1 / (1 + Math.exp(-(cos - 0.45) / 0.08));
}
