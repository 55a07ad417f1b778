import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../../runtime/engine/index.ts';
import { executions, finished, graph, node, resetRecords, testEngine } from '../../support/engine-fixtures.ts';

beforeEach(resetRecords);

test('cancellation reaches the running node and ends the run as cancelled', async () => {
  const t = testEngine();
  try {
    const run = t.engine.start(graph([node('slow', 'test.sleep', { ms: 5_000 }), node('after', 'test.add')], ['slow.value->after.a']));
    run.subscribe((e) => {
      if (e.type === 'node.progress') run.cancel();
    });
    const result = await run.done;
    assert.equal(result.status, 'cancelled');
    assert.deepEqual(finished, [], 'the sleeping body stopped at the abort instead of running to its end');
    assert.equal(result.nodes.slow.status, 'cancelled');
    assert.equal(result.nodes.after.status, 'cancelled');
  } finally {
    t.dispose();
  }
});

test('a node that ignores its abort signal does not hold the run, but keeps its slot until it stops', async () => {
  const t = testEngine({ concurrency: { gpu: 1 } });
  try {
    const controller = new AbortController();
    const run = t.engine.start(graph([node('s', 'test.stubborn', { ms: 300 })]), { signal: controller.signal });
    run.subscribe((e) => {
      if (e.type === 'node.started') controller.abort();
    });
    assert.equal((await run.done).status, 'cancelled');
    assert.deepEqual(finished, [], 'the run ended while the stubborn body was still running');
    // the next gpu node waits for the one gpu slot, which the stubborn body holds until it really ends
    const next = await t.engine.run(graph([node('probe', 'test.gpu_probe')]));
    assert.deepEqual(next.nodes.probe.outputs, { finishedBefore: ['s'] });
  } finally {
    t.dispose();
  }
});

test('a listener that throws does not break the run and is reported', async () => {
  const reported: string[] = [];
  const t = testEngine({ onListenerError: (err, event) => reported.push(`${event.type}: ${(err as Error).message}`) });
  try {
    const run = t.engine.start(graph([node('a', 'test.num', { value: 1 })]));
    run.subscribe((e) => {
      if (e.type === 'node.succeeded') throw new Error('disk full');
    });
    assert.equal((await run.done).status, 'succeeded');
    assert.deepEqual(reported, ['node.succeeded: disk full']);
  } finally {
    t.dispose();
  }
});

test('transient errors are retried with backoff; the attempt is reported', async () => {
  const t = testEngine();
  try {
    const events: RunEvent[] = [];
    const result = await t.engine.run(graph([node('f', 'test.flaky', { failures: 2 })]), { onEvent: (e) => events.push(e) });
    assert.equal(result.status, 'succeeded');
    assert.equal(result.nodes.f.attempts, 3);
    assert.equal(result.nodes.f.outputs!.value, 3);
    const retries = events.filter((e) => e.type === 'node.retrying');
    assert.deepEqual(retries.map((e) => e.type === 'node.retrying' && e.delayMs), [5, 10]);
  } finally {
    t.dispose();
  }
});

test('retries stop at the limit; user errors are not retried; the run fails with the node path', async () => {
  const t = testEngine();
  try {
    const exhausted = await t.engine.run(graph([node('f', 'test.flaky', { failures: 5 })]));
    assert.equal(exhausted.status, 'failed');
    assert.equal(exhausted.nodes.f.attempts, 3);
    assert.equal(exhausted.error!.errorClass, 'transient');
    resetRecords();
    const user = await t.engine.run(graph([node('bad', 'test.flaky', { permanent: true }), node('other', 'test.num')]));
    assert.equal(user.status, 'failed');
    assert.equal(user.failedNode, 'bad');
    assert.deepEqual(user.error, { message: 'bad parameters', errorClass: 'user', retryable: false });
    assert.equal(executions.filter((p) => p === 'bad').length, 1);
  } finally {
    t.dispose();
  }
});

test('a per-node retry policy in the document overrides the definition', async () => {
  const t = testEngine();
  try {
    const result = await t.engine.run(graph([node('f', 'test.flaky', { failures: 2 }, { retry: { attempts: 1 } })]));
    assert.equal(result.status, 'failed');
    assert.equal(result.nodes.f.attempts, 1);
  } finally {
    t.dispose();
  }
});

test('secrets are masked in node logs and errors; plain settings are not', async () => {
  const t = testEngine({ secrets: { apiKey: 'sk-live-123456' }, config: { modelsDir: '/srv/models' } });
  try {
    const logs: string[] = [];
    const result = await t.engine.run(graph([node('call', 'test.leaky')]), {
      onEvent: (e) => {
        if (e.type === 'node.log') logs.push(e.message);
      },
    });
    assert.deepEqual(logs, ['calling the provider with [secret] from /srv/models']);
    assert.equal(result.error!.message, 'provider refused key [secret]');
    assert.equal(result.error!.errorClass, 'config');
  } finally {
    t.dispose();
  }
});
