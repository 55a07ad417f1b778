import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { GraphValidationError, type RunEvent } from '../../../runtime/engine/index.ts';
import { concurrency, executions, finished, graph, node, resetRecords, testEngine } from '../../support/engine-fixtures.ts';

beforeEach(resetRecords);

test('two independent branches run at the same time', async () => {
  const t = testEngine({ concurrency: { cpu: 2 } });
  try {
    // each branch waits at a barrier until the other has arrived: they pass only if both run at once
    const doc = graph([node('a', 'test.meet', { value: 1 }), node('b', 'test.meet', { value: 2 }), node('sum', 'test.add')], ['a.value->sum.a', 'b.value->sum.b'], {
      outputs: [{ name: 'total', node: 'sum', port: 'sum' }],
    });
    const result = await t.engine.run(doc);
    assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
    assert.deepEqual(result.outputs, { total: 3 });
  } finally {
    t.dispose();
  }
});

test('a cpu limit of one runs ready branches one at a time', async () => {
  const t = testEngine({ concurrency: { cpu: 1 } });
  try {
    await t.engine.run(graph([node('a', 'test.sleep', { ms: 30 }), node('b', 'test.sleep', { ms: 30 }), node('c', 'test.sleep', { ms: 30 })]));
    assert.equal(concurrency.max, 1);
    assert.deepEqual(finished.sort(), ['a', 'b', 'c']);
  } finally {
    t.dispose();
  }
});

test('partial execution runs only what the targets need', async () => {
  const t = testEngine();
  try {
    const doc = graph([node('a', 'test.num', { value: 1 }), node('b', 'test.add', { b: 2 }), node('c', 'test.num', { value: 9 })], ['a.value->b.a']);
    const result = await t.engine.run(doc, { targets: ['b'] });
    assert.deepEqual(executions.sort(), ['a', 'b']);
    assert.deepEqual(Object.keys(result.nodes).sort(), ['a', 'b']);
    assert.throws(() => t.engine.start(doc, { targets: ['nope'] }), (err: GraphValidationError) => err.errors[0].path === 'targets[0]');
  } finally {
    t.dispose();
  }
});

test('events arrive in order with run and node paths', async () => {
  const t = testEngine();
  try {
    const events: RunEvent[] = [];
    const run = t.engine.start(graph([node('a', 'test.num', { value: 1 }), node('b', 'test.add')], ['a.value->b.a']));
    run.subscribe((e) => events.push(e));
    const result = await run.done;
    const kinds = events.map((e) => ('nodePath' in e ? `${e.type}:${e.nodePath}` : e.type));
    assert.deepEqual(kinds, ['run.started', 'node.started:a', 'node.succeeded:a', 'node.started:b', 'node.succeeded:b', 'run.succeeded']);
    assert.ok(events.every((e) => e.runId === result.runId));
  } finally {
    t.dispose();
  }
});

test('random seeds are drawn once, recorded, and replayable', async () => {
  const t = testEngine({ cacheDir: undefined });
  try {
    const doc = graph([node('s', 'test.seeded'), node('fixed', 'test.seeded', { seed: 42 })], [], { outputs: [{ name: 'seed', node: 's', port: 'seed' }] });
    const first = await t.engine.run(doc);
    assert.equal(typeof first.seeds['s.seed'], 'number');
    assert.equal(first.outputs.seed, first.seeds['s.seed']);
    assert.equal(first.seeds['fixed.seed'], undefined, 'a fixed seed is not random');
    const replay = await t.engine.run(doc, { seeds: first.seeds });
    assert.equal(replay.outputs.seed, first.outputs.seed);
  } finally {
    t.dispose();
  }
});

test('exposed graph inputs set node values; unknown ones are refused by name', async () => {
  const t = testEngine();
  try {
    const doc = graph([node('x', 'test.num'), node('y', 'test.add', { b: 1 })], ['x.value->y.a'], {
      inputs: [{ name: 'start', node: 'x', port: 'value' }],
      outputs: [{ name: 'result', node: 'y', port: 'sum' }],
    });
    assert.deepEqual((await t.engine.run(doc, { inputs: { start: 41 } })).outputs, { result: 42 });
    assert.throws(() => t.engine.start(doc, { inputs: { stat: 1 } }), (err: GraphValidationError) => err.errors[0].path === 'inputs.stat' && /no input named "stat"/.test(err.errors[0].message));
  } finally {
    t.dispose();
  }
});

test('an invalid graph is refused before anything runs, with every error', () => {
  const t = testEngine();
  try {
    const doc = graph([node('a', 'test.add', { a: 'one' }), node('b', 'test.nope')], ['a.sum->a.b']);
    assert.throws(() => t.engine.start(doc), (err: GraphValidationError) => {
      const paths = err.errors.map((e) => e.path);
      return paths.some((p) => p.startsWith('nodes[0].inputs.a')) && paths.some((p) => p.startsWith('nodes[1]')) && err.errors.some((e) => e.code === 'cycle');
    });
    assert.equal(executions.length, 0);
  } finally {
    t.dispose();
  }
});
