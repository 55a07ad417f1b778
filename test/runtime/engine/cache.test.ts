import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executions, graph, node, resetRecords, testEngine } from '../../support/engine-fixtures.ts';
import type { GraphDocument } from '../../../runtime/graph/document.ts';

beforeEach(resetRecords);

function inChild(dir: string, doc: GraphDocument): { status: string; outputs: Record<string, unknown>; executions: string[]; statuses: Record<string, string> } {
  const file = join(dir, 'graph.json');
  writeFileSync(file, JSON.stringify(doc));
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../support/run-graph-child.ts'), dir, file], { encoding: 'utf8' });
  return JSON.parse(out);
}

const chain = (x: number) =>
  graph([node('x', 'test.num', { value: x }), node('floor', 'test.floor'), node('plus', 'test.add', { b: 10 })], ['x.value->floor.x', 'floor.value->plus.a'], {
    outputs: [{ name: 'result', node: 'plus', port: 'sum' }],
  });

test('a second run in a new process reuses every node from the persistent cache', () => {
  const t = testEngine();
  try {
    const first = inChild(t.dir, chain(1.2));
    assert.deepEqual(first.executions.sort(), ['floor', 'plus', 'x']);
    const second = inChild(t.dir, chain(1.2));
    assert.deepEqual(second.executions, [], 'no node body runs on a fully cached re-run');
    assert.deepEqual(Object.values(second.statuses), ['cached', 'cached', 'cached']);
    assert.deepEqual(second.outputs, { result: 11 });
  } finally {
    t.dispose();
  }
});

test('a changed input re-runs the node and what depends on it, early cutoff stops at identical outputs', () => {
  const t = testEngine();
  try {
    inChild(t.dir, chain(1.2));
    // floor(1.7) = floor(1.2): `x` and `floor` re-run, `plus` sees identical input bytes and stays cached
    const changed = inChild(t.dir, chain(1.7));
    assert.deepEqual(changed.executions.sort(), ['floor', 'x']);
    assert.equal(changed.statuses.plus, 'cached');
    const different = inChild(t.dir, chain(2.5));
    assert.deepEqual(different.executions.sort(), ['floor', 'plus', 'x']);
    assert.deepEqual(different.outputs, { result: 12 });
  } finally {
    t.dispose();
  }
});

test('node ids do not enter the key: identical work under other ids is shared', async () => {
  const t = testEngine();
  try {
    await t.engine.run(graph([node('a', 'test.num', { value: 5 })]));
    const result = await t.engine.run(graph([node('renamed', 'test.num', { value: 5 })]));
    assert.equal(result.nodes.renamed.status, 'cached');
    assert.deepEqual(executions, ['a']);
  } finally {
    t.dispose();
  }
});

test('volatile nodes always run', async () => {
  const t = testEngine();
  try {
    const doc = graph([node('f', 'test.flaky', { failures: 0 })]);
    await t.engine.run(doc);
    await t.engine.run(doc);
    assert.deepEqual(executions, ['f', 'f']);
  } finally {
    t.dispose();
  }
});

test('a cache entry whose artifact left the store is a miss, and the node runs again', async () => {
  const t = testEngine();
  try {
    const doc = graph([node('b', 'test.blob', { text: 'kept' })]);
    const first = await t.engine.run(doc);
    rmSync(t.engine.store.path(first.nodes.b.outputs!.file as string & { $artifact: string }));
    const second = await t.engine.run(doc);
    assert.equal(second.nodes.b.status, 'succeeded');
    assert.deepEqual(executions, ['b', 'b']);
    assert.ok(t.engine.store.hasSync(second.nodes.b.outputs!.file as { $artifact: string; mime: string; size: number }));
  } finally {
    t.dispose();
  }
});
