import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../../runtime/engine/index.ts';
import { executions, graph, node, resetRecords, testEngine } from '../../support/engine-fixtures.ts';

beforeEach(resetRecords);

test('gate: consumers of an empty output are skipped with the reason, and the run succeeds', async () => {
  const t = testEngine();
  try {
    const doc = graph(
      [node('x', 'test.num', { value: 0.2 }), node('gate', 'test.threshold', { limit: 0.5 }), node('expensive', 'test.add', { b: 1 }), node('fallback', 'test.add', { b: 100 }), node('after', 'test.add')],
      ['x.value->gate.x', 'gate.high->expensive.a', 'gate.low->fallback.a', 'expensive.sum->after.a'],
    );
    const result = await t.engine.run(doc);
    assert.equal(result.status, 'succeeded');
    assert.equal(result.nodes.expensive.status, 'skipped');
    assert.match(result.nodes.expensive.reason!, /input `a` has no value: gate left `high` empty/);
    assert.equal(result.nodes.after.status, 'skipped');
    assert.match(result.nodes.after.reason!, /expensive was skipped/);
    assert.equal(result.nodes.fallback.outputs!.sum, 100.2);
    assert.ok(!executions.includes('expensive'));
  } finally {
    t.dispose();
  }
});

test('map: a node runs once per item with per-item cache keys and progress', async () => {
  const t = testEngine();
  try {
    const mapped = (items: number[]) =>
      graph([node('items', 'test.num', { value: 0 }), node('add', 'test.add', { a: items, b: 10 }, { map: ['a'] })], [], { outputs: [{ name: 'sums', node: 'add', port: 'sum' }] });
    const events: RunEvent[] = [];
    const first = await t.engine.run(mapped([1, 2, 3]), { onEvent: (e) => events.push(e) });
    assert.deepEqual(first.outputs.sums, [11, 12, 13]);
    assert.equal(executions.filter((p) => p === 'add').length, 3);
    const progress = events.filter((e) => e.type === 'node.progress' && e.nodePath === 'add');
    assert.equal(progress.length, 3);
    assert.ok(progress.every((e) => e.type === 'node.progress' && e.items === 3));
    resetRecords();
    const second = await t.engine.run(mapped([1, 2, 3, 4]));
    assert.deepEqual(second.outputs.sums, [11, 12, 13, 14]);
    assert.equal(executions.filter((p) => p === 'add').length, 1, 'only the new item runs');
  } finally {
    t.dispose();
  }
});

test('a mapped output feeds a list input as one list, not a list of lists', async () => {
  const t = testEngine();
  try {
    const doc = graph([node('add', 'test.add', { a: [1, 2, 3], b: 1 }, { map: ['a'] }), node('sum', 'test.sum')], ['add.sum->sum.values'], {
      outputs: [{ name: 'total', node: 'sum', port: 'sum' }],
    });
    assert.deepEqual((await t.engine.run(doc)).outputs, { total: 9 });
  } finally {
    t.dispose();
  }
});

test('map over a gate filters: items that leave an output empty add nothing to its list', async () => {
  const t = testEngine();
  try {
    const doc = graph([node('g', 'test.threshold', { x: [0.1, 0.7, 0.9, 0.3], limit: 0.5 }, { map: ['x'] })], [], {
      outputs: [{ name: 'high', node: 'g', port: 'high' }, { name: 'low', node: 'g', port: 'low' }],
    });
    const result = await t.engine.run(doc);
    assert.deepEqual(result.outputs, { high: [0.7, 0.9], low: [0.1, 0.3] });
  } finally {
    t.dispose();
  }
});

const counterBody = graph([node('inc', 'test.add', { b: 1 }), node('check', 'test.threshold', { limit: 3 })], ['inc.sum->check.x'], {
  inputs: [{ name: 'total', node: 'inc', port: 'a' }],
  outputs: [{ name: 'total', node: 'inc', port: 'sum' }, { name: 'done', node: 'check', port: 'ok' }],
});

test('loop: repeats the body, carrying state, until done; iterations have their own paths', async () => {
  const t = testEngine();
  try {
    const doc = graph([node('loop', 'flow.loop', { total: 0, maxIterations: 10 }, { graph: counterBody })], [], {
      outputs: [{ name: 'total', node: 'loop', port: 'total' }, { name: 'iterations', node: 'loop', port: 'iterations' }, { name: 'exhausted', node: 'loop', port: 'exhausted' }],
    });
    const result = await t.engine.run(doc);
    assert.equal(result.status, 'succeeded');
    assert.deepEqual(result.outputs, { total: 3, iterations: 3, exhausted: false });
    assert.deepEqual(executions.filter((p) => p.endsWith('/inc')), ['loop/0/inc', 'loop/1/inc', 'loop/2/inc']);
    assert.equal(result.nodes['loop/2/check'].status, 'succeeded');
  } finally {
    t.dispose();
  }
});

test('loop: stops at maxIterations and says it was exhausted', async () => {
  const t = testEngine();
  try {
    const doc = graph([node('loop', 'flow.loop', { total: 0, maxIterations: 2 }, { graph: counterBody })], [], {
      outputs: [{ name: 'total', node: 'loop', port: 'total' }, { name: 'exhausted', node: 'loop', port: 'exhausted' }],
    });
    assert.deepEqual((await t.engine.run(doc)).outputs, { total: 2, exhausted: true });
  } finally {
    t.dispose();
  }
});

test('subgraph: the body runs as a scope with node paths; errors carry the inner path', async () => {
  const t = testEngine();
  try {
    const body = graph([node('double', 'test.add'), node('bad', 'test.flaky', { permanent: true })], [], {
      inputs: [{ name: 'x', node: 'double', port: 'a' }, { name: 'y', node: 'double', port: 'b' }],
      outputs: [{ name: 'sum', node: 'double', port: 'sum' }],
    });
    const ok = graph([node('n', 'test.num', { value: 4 }), node('sub', 'flow.subgraph', { y: 4 }, { graph: { ...body, nodes: body.nodes.slice(0, 1) } })], ['n.value->sub.x'], {
      outputs: [{ name: 'sum', node: 'sub', port: 'sum' }],
    });
    const events: RunEvent[] = [];
    const result = await t.engine.run(ok, { onEvent: (e) => events.push(e) });
    assert.deepEqual(result.outputs, { sum: 8 });
    assert.ok(events.some((e) => e.type === 'node.succeeded' && e.nodePath === 'sub/double'));
    const failing = await t.engine.run(graph([node('sub', 'flow.subgraph', { x: 1, y: 1 }, { graph: body })]));
    assert.equal(failing.status, 'failed');
    assert.equal(failing.failedNode, 'sub/bad');
    assert.equal(failing.nodes.sub.status, 'failed');
    assert.match(failing.nodes.sub.error!.message, /^sub\/bad: bad parameters/);
  } finally {
    t.dispose();
  }
});

test('bypass passes a compatible input through; mute empties the outputs', async () => {
  const t = testEngine();
  try {
    const doc = graph(
      [node('x', 'test.num', { value: 5 }), node('skip', 'test.floor', {}, { mode: 'bypass' }), node('m', 'test.num', { value: 1 }, { mode: 'mute' }), node('y', 'test.add'), node('z', 'test.add')],
      ['x.value->skip.x', 'skip.value->y.a', 'm.value->z.a'],
    );
    const result = await t.engine.run(doc);
    assert.equal(result.nodes.skip.status, 'bypassed');
    assert.equal(result.nodes.y.outputs!.sum, 5);
    assert.equal(result.nodes.m.status, 'muted');
    assert.equal(result.nodes.z.status, 'skipped');
    assert.match(result.nodes.z.reason!, /m is muted/);
    assert.ok(!executions.includes('skip') && !executions.includes('m'));
  } finally {
    t.dispose();
  }
});
