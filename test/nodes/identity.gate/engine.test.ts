/**
 * The IDR gate inside a real engine run: identity.profile → identity.gate → a consumer on each of `pass` and
 * `fail`. The empty branch's consumer is skipped, the other runs, and a second run comes from the cache.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../../runtime/engine/index.ts';
import { NodeRegistry } from '../../../runtime/graph/registry.ts';
import { ArtifactStore } from '../../../runtime/store/artifact-store.ts';
import gate from '../../../nodes/identity.gate/index.ts';
import profile from '../../../nodes/identity.profile/index.ts';
import listLength from '../../../nodes/list.length/index.ts';
import { FACE_MODELS, fixturesMissing } from '../../support/fixtures.ts';
import { putFixture } from '../../support/face-images.ts';

const node = (id: string, type: string, inputs: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, inputs, position: { x: 0, y: 0 } });
const edge = (id: string, from: string, fromPort: string, to: string, toPort: string) => ({ id, from: { node: from, port: fromPort }, to: { node: to, port: toPort } });

const graph = {
  format: 'castgraph.graph',
  version: 1,
  id: 'idr-gate',
  name: 'IDR gate',
  nodes: [node('profile', 'identity.profile'), node('gate', 'identity.gate', { threshold: 0.5 }), node('passed', 'list.length'), node('failed', 'list.length')],
  edges: [edge('e1', 'profile', 'identity', 'gate', 'identity'), edge('e2', 'gate', 'pass', 'passed', 'list'), edge('e3', 'gate', 'fail', 'failed', 'list')],
  inputs: [
    { name: 'references', node: 'profile', port: 'images' },
    { name: 'candidates', node: 'gate', port: 'images' },
  ],
  outputs: [
    { name: 'passed', node: 'passed', port: 'length' },
    { name: 'failed', node: 'failed', port: 'length' },
    { name: 'scores', node: 'gate', port: 'scores' },
  ],
};

test('engine: the gate routes images, the empty side is skipped, reruns are cached', { skip: fixturesMissing(), timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-idr-engine-'));
  try {
    const store = new ArtifactStore(join(dir, 'store'));
    const engine = new Engine({ registry: new NodeRegistry([profile, gate, listLength]), store, cacheDir: join(dir, 'cache'), config: { modelsDir: FACE_MODELS } });
    const references = await Promise.all(['obama.jpg', 'obama2.jpg'].map((n) => putFixture(store, n)));
    const same = await putFixture(store, 'obama_knn_test1.jpg');
    const other = await putFixture(store, 'rose_leslie_img1.jpg');

    const onlySame = await engine.run(graph, { inputs: { references, candidates: [same] } });
    assert.equal(onlySame.status, 'succeeded', JSON.stringify(onlySame.error));
    assert.equal(onlySame.outputs.passed, 1);
    assert.equal(onlySame.nodes.failed.status, 'skipped', 'nothing failed, so the fail branch is skipped');
    assert.equal(onlySame.outputs.failed, undefined);

    const mixed = await engine.run(graph, { inputs: { references, candidates: [same, other] } });
    assert.equal(mixed.status, 'succeeded');
    assert.deepEqual([mixed.outputs.passed, mixed.outputs.failed], [1, 1]);
    const scores = mixed.outputs.scores as number[];
    assert.ok(scores[0] > 0.9 && scores[1] < 0.1, JSON.stringify(scores));
    assert.equal(mixed.nodes.profile.status, 'cached', 'the same references give the cached identity');

    const onlyOther = await engine.run(graph, { inputs: { references, candidates: [other] } });
    assert.equal(onlyOther.nodes.passed.status, 'skipped');
    assert.equal(onlyOther.outputs.failed, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
