/** Runs over real HTTP: submission (inline, library, revisions), validation errors, idempotency, queue priority and pause, cancel, resume, artifact inputs, history filters. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { CastgraphApiError, type RunRecord } from '../../runtime/client/index.ts';
import { graph, raw, startTestServer, tempDir, until, type TestServer } from '../support/server.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };
let t: TestServer;
let scratch: string;

before(async () => {
  t = await startTestServer({ runConcurrency: 2 });
  scratch = tempDir('castgraph-runs-');
});
after(() => t.close());

async function settled(runId: string, server = t): Promise<RunRecord> {
  return until(async () => {
    const r = await server.client.getRun(runId);
    return ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(r.status) ? r : undefined;
  }, `run ${runId} to end`);
}

const sum = (a: number, b: number) =>
  graph('Sum', [
    { id: 'a', type: 'value.int', inputs: { value: a } },
    { id: 'b', type: 'value.float', inputs: { value: b } },
    { id: 'list', type: 'list.make' },
  ], { outputs: { a: 'a.value', b: 'b.value' }, inputs: { first: 'a.value' } });

/** A run held at `wait` until `file` exists; each call's image differs, so its first run is never a cache hit. */
let imageSize = 16;
const waiting = (file: string) =>
  graph('Wait', [
    { id: 'img', type: 'image.create', inputs: { width: imageSize++, height: 16 } },
    { id: 'wait', type: 'test.wait_file', inputs: { path: file, value: 'released' } },
  ], { outputs: { img: 'img.image', released: 'wait.value' } });

describe('runs', () => {
  it('runs an inline graph and reports status, per-node states, timings and outputs', async () => {
    const accepted = await t.client.submitRun({ graph: sum(2, 0.5) as never, inputs: { first: 7 } });
    assert.equal(accepted.deduplicated, false);
    assert.match(accepted.runId, /^run_[0-9a-z]+$/);
    const run = await settled(accepted.runId);
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.deepEqual(run.outputs, { a: 7, b: 0.5 });
    assert.equal(run.nodes.a!.status, 'succeeded');
    assert.deepEqual(run.nodes.a!.outputs, { value: 7 });
    assert.equal(typeof run.nodes.a!.startedAt, 'number');
    assert.ok(run.nodes.a!.endedAt! >= run.nodes.a!.startedAt!);
    assert.ok(run.startedAt && run.endedAt && run.durationMs !== undefined);
    assert.deepEqual(run.inputs, { first: 7 });
    assert.equal(run.graph.source, 'inline');

    const again = await t.client.submitRun({ graph: sum(2, 0.5) as never, inputs: { first: 7 } });
    const cached = await settled(again.runId);
    assert.equal(cached.nodes.a!.status, 'cached', 'the persistent cache serves an identical node');

    const events = await t.client.runEvents(accepted.runId);
    assert.deepEqual(events.items.map((e) => e.seq), events.items.map((_, i) => i + 1));
    assert.equal(events.items[0]!.event.type, 'run.queued');
    assert.equal(events.items.at(-1)!.event.type, 'run.succeeded');
    assert.deepEqual((await t.client.runEvents(accepted.runId, events.lastSeq - 1)).items.map((e) => e.seq), [events.lastSeq]);
  });

  it('runs a library graph, latest or at a given revision', async () => {
    await t.client.createGraph(sum(1, 1) as never, { id: 'lib-sum' });
    await t.client.updateGraph('lib-sum', sum(1, 2) as never);
    const latest = await settled((await t.client.submitRun({ graphId: 'lib-sum' })).runId);
    assert.deepEqual(latest.outputs, { a: 1, b: 2 });
    assert.deepEqual(latest.graph, { source: 'library', id: 'lib-sum', revision: 2, name: 'Sum' });
    const first = await settled((await t.client.submitRun({ graphId: 'lib-sum@1' })).runId);
    assert.deepEqual(first.outputs, { a: 1, b: 1 });
    await assert.rejects(t.client.submitRun({ graphId: 'lib-sum@9' }), (e: CastgraphApiError) => e.status === 404);
    await assert.rejects(t.client.submitRun({ graphId: 'no-such-graph' }), (e: CastgraphApiError) => e.status === 404);
  });

  it('refuses invalid runs with 400 and the path of the field at fault', async () => {
    const unknownType = graph('Bad', [{ id: 'x', type: 'image.nope' }]);
    const e1 = await raw(t.url, 'POST', '/api/runs', { body: JSON.stringify({ graph: unknownType }), headers: JSON_HEADERS });
    assert.equal(e1.status, 400);
    assert.equal(e1.json.error.code, 'invalid_graph');
    assert.equal(e1.json.error.issues[0].path, 'body.graph.nodes[0].type');

    const outOfRange = graph('Bad', [{ id: 'img', type: 'image.create', inputs: { width: -5 } }]);
    const e2 = await raw(t.url, 'POST', '/api/runs', { body: JSON.stringify({ graph: outOfRange }), headers: JSON_HEADERS });
    assert.equal(e2.status, 400);
    assert.equal(e2.json.error.issues[0].path, 'body.graph.nodes[0].inputs.width');

    const e3 = await raw(t.url, 'POST', '/api/runs', { body: JSON.stringify({ graph: sum(1, 1), inputs: { nope: 1 } }), headers: JSON_HEADERS });
    assert.equal(e3.status, 400);
    assert.equal(e3.json.error.issues[0].path, 'body.inputs.nope');

    const e4 = await raw(t.url, 'POST', '/api/runs', { body: JSON.stringify({ graph: sum(1, 1), priority: 'high', targets: [] }), headers: JSON_HEADERS });
    assert.equal(e4.status, 400);
    assert.deepEqual(e4.json.error.issues.map((i: { path: string }) => i.path).sort(), ['body.priority', 'body.targets']);

    const e5 = await raw(t.url, 'POST', '/api/runs', { body: JSON.stringify({ inputs: {} }), headers: JSON_HEADERS });
    assert.equal(e5.status, 400);
    assert.match(e5.json.error.issues[0].message, /exactly one of `graph` or `graphId`/);

    const e6 = await raw(t.url, 'POST', '/api/runs', { body: JSON.stringify({ graph: sum(1, 1), targets: ['ghost'] }), headers: JSON_HEADERS });
    assert.equal(e6.status, 400);
    assert.equal(e6.json.error.issues[0].path, 'body.targets[0]');

    const e7 = await raw(t.url, 'POST', '/api/runs', { body: JSON.stringify({ graph: sum(1, 1), webhook: { url: 'http://127.0.0.1:1/hook' } }), headers: JSON_HEADERS });
    assert.equal(e7.status, 400, 'webhooks need a configured secret');
    assert.equal(e7.json.error.issues[0].path, 'body.webhook.url');

    for (const id of ['run_nope', '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(80)]) {
      const r = await raw(t.url, 'GET', `/api/runs/${id}`);
      assert.equal(r.status, 404, id);
      assert.equal(r.json.error.code, 'not_found');
      assert.equal((await raw(t.url, 'POST', `/api/runs/${id}/cancel`)).status, 404);
      assert.equal((await raw(t.url, 'POST', `/api/runs/${id}/resume`)).status, 404);
    }
  });

  it('deduplicates by idempotency key (header or body)', async () => {
    const first = await raw(t.url, 'POST', '/api/runs', { body: JSON.stringify({ graph: sum(3, 3) }), headers: { ...JSON_HEADERS, 'idempotency-key': 'order-17' } });
    assert.equal(first.status, 202);
    const second = await raw(t.url, 'POST', '/api/runs', { body: JSON.stringify({ graph: sum(3, 3) }), headers: { ...JSON_HEADERS, 'idempotency-key': 'order-17' } });
    assert.equal(second.status, 202);
    assert.equal(second.json.runId, first.json.runId);
    assert.equal(second.json.deduplicated, true);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    const viaBody = await t.client.submitRun({ graph: sum(3, 3) as never, idempotencyKey: 'order-17' });
    assert.equal(viaBody.runId, first.json.runId);
    const other = await t.client.submitRun({ graph: sum(3, 3) as never, idempotencyKey: 'order-18' });
    assert.notEqual(other.runId, first.json.runId);
    const racing = await Promise.all(Array.from({ length: 8 }, () => t.client.submitRun({ graph: sum(4, 4) as never, idempotencyKey: 'order-19' })));
    assert.equal(new Set(racing.map((r) => r.runId)).size, 1, 'simultaneous retries create one run');
    assert.equal(racing.filter((r) => !r.deduplicated).length, 1);
  });

  it('orders the queue by priority, and pauses and resumes it', async () => {
    const q = await startTestServer({ runConcurrency: 1 });
    try {
      await q.client.pauseQueue();
      const low = await q.client.submitRun({ graph: sum(10, 1) as never });
      const high = await q.client.submitRun({ graph: sum(11, 1) as never, priority: 5 });
      const mid = await q.client.submitRun({ graph: sum(12, 1) as never, priority: 5 });
      const state = await q.client.queue();
      assert.equal(state.paused, true);
      assert.deepEqual(state.queued, [high.runId, mid.runId, low.runId], 'higher priority first, then submission order');
      const moved = await q.client.setRunPriority(mid.runId, 9);
      assert.equal(moved.priority, 9);
      assert.deepEqual((await q.client.queue()).queued, [mid.runId, high.runId, low.runId], 'moved to the front');
      const bad = await raw(q.url, 'POST', `/api/runs/${low.runId}/priority`, { body: JSON.stringify({ priority: 5000 }), headers: JSON_HEADERS });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.issues[0].path, 'body.priority');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await q.client.getRun(low.runId)).status, 'queued', 'nothing starts while paused');
      assert.equal((await q.client.resumeQueue()).paused, false);
      const runs = await Promise.all([mid, high, low].map((a) => settled(a.runId, q)));
      const starts = runs.map((r) => Date.parse(r.startedAt!));
      assert.ok(starts[0]! <= starts[1]! && starts[1]! <= starts[2]!, `start order ${starts}`);
      assert.ok(runs.every((r) => r.status === 'succeeded'));
      await assert.rejects(q.client.setRunPriority(low.runId, 1), (e: CastgraphApiError) => e.status === 409, 'only queued runs move');
    } finally {
      await q.close();
    }
  });

  it('holds concurrent submissions to maxQueuedRuns (checked again after the awaits)', async () => {
    const small = await startTestServer({ maxQueuedRuns: 3 });
    try {
      await small.client.pauseQueue();
      // A file input: each submission awaits the artifact store between the first check and the queue.
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#00ff00' } }).png().toBuffer();
      const photo = await small.client.uploadArtifact(png, { mime: 'image/png' });
      const g = graph('Resize', [{ id: 'resize', type: 'image.resize', inputs: { width: 4 } }], { inputs: { photo: 'resize.image' } });
      const body = JSON.stringify({ graph: g, inputs: { photo: { $artifact: photo.$artifact } } });
      const answers = await Promise.all(Array.from({ length: 12 }, () => raw(small.url, 'POST', '/api/runs', { headers: JSON_HEADERS, body })));
      assert.equal(answers.filter((a) => a.status === 202).length, 3);
      const refused = answers.filter((a) => a.status === 429);
      assert.equal(refused.length, 9);
      assert.equal(refused[0]!.json.error.code, 'queue_full');
      assert.equal((await small.client.listRuns()).total, 3);
    } finally {
      await small.close();
    }
  });

  it('keeps old runs on disk beyond maxRunsInMemory, and lets idempotency keys expire', async () => {
    const small = await startTestServer({ maxRunsInMemory: 3, idempotencyTtlMs: 1000 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) ids.push((await small.client.submitRun({ graph: sum(100 + i, 1) as never })).runId);
      for (const id of ids) assert.equal((await settled(id, small)).status, 'succeeded');
      const all = await small.client.listRuns({ limit: 500 });
      assert.equal(all.total, 8);
      assert.deepEqual(all.items.map((r) => r.runId), [...ids].reverse());
      assert.deepEqual((await small.client.getRun(ids[0]!)).outputs, { a: 100, b: 1 }, 'the oldest run, read back from disk');

      const first = await small.client.submitRun({ graph: sum(1, 2) as never }, { idempotencyKey: 'once' });
      assert.equal((await small.client.submitRun({ graph: sum(1, 2) as never }, { idempotencyKey: 'once' })).deduplicated, true);
      const later = await until(async () => {
        const r = await small.client.submitRun({ graph: sum(1, 2) as never }, { idempotencyKey: 'once' });
        return r.deduplicated ? undefined : r;
      }, 'the key to expire');
      assert.notEqual(later.runId, first.runId);
    } finally {
      await small.close();
    }
  });

  it('cancels queued and running runs; a finished run cannot be cancelled', async () => {
    const file = join(scratch, 'never');
    const running = await t.client.submitRun({ graph: waiting(file) as never });
    await until(async () => {
      const { nodes } = await t.client.getRun(running.runId);
      return nodes.wait?.status === 'running' && nodes.img?.status === 'succeeded' ? true : undefined;
    }, 'the image to finish and the wait node to start');
    const cancelled = await t.client.cancelRun(running.runId);
    assert.equal(cancelled.runId, running.runId);
    const r = await settled(running.runId);
    assert.equal(r.status, 'cancelled');
    assert.equal(r.nodes.wait!.status, 'cancelled');
    assert.equal(r.nodes.img!.status, 'succeeded');
    const again = await raw(t.url, 'POST', `/api/runs/${running.runId}/cancel`);
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'conflict');

    await t.client.pauseQueue();
    try {
      const queued = await t.client.submitRun({ graph: sum(99, 1) as never });
      await t.client.cancelRun(queued.runId);
      const q = await t.client.getRun(queued.runId);
      assert.equal(q.status, 'cancelled');
      assert.equal(q.startedAt, undefined);
      assert.ok(!(await t.client.queue()).queued.includes(queued.runId));
    } finally {
      await t.client.resumeQueue();
    }
  });

  it('resumes a cancelled run with the same inputs: finished nodes come from the cache', async () => {
    const file = join(scratch, 'release-resume');
    const { runId } = await t.client.submitRun({ graph: waiting(file) as never });
    await until(async () => ((await t.client.getRun(runId)).nodes.img?.status === 'succeeded' ? true : undefined), 'img to finish');
    await t.client.cancelRun(runId);
    await settled(runId);
    await assert.rejects(t.client.resumeRun('run_unknown'), (e: CastgraphApiError) => e.status === 404);
    writeFileSync(file, '');
    const resumed = await t.client.resumeRun(runId);
    assert.equal(resumed.executions, 2);
    const done = await settled(runId);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.nodes.img!.status, 'cached');
    assert.equal(done.nodes.wait!.status, 'succeeded');
    assert.equal(done.outputs!.released, 'released');
    await assert.rejects(t.client.resumeRun(runId), (e: CastgraphApiError) => e.status === 409, 'a succeeded run is not resumable');
  });

  it('takes uploaded files as inputs by hash', async () => {
    const png = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#ff0000' } }).png().toBuffer();
    const ref = await t.client.uploadArtifact(png, { mime: 'image/png', name: 'red.png' });
    const g = graph('Resize', [{ id: 'resize', type: 'image.resize', inputs: { width: 10 } }], { inputs: { photo: 'resize.image' }, outputs: { small: 'resize.image' } });
    const run = await settled((await t.client.submitRun({ graph: g as never, inputs: { photo: { $artifact: ref.$artifact } } })).runId);
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error ?? run.nodes));
    const small = run.outputs!.small as { $artifact: string; width: number; height: number };
    assert.equal(small.width, 10);
    assert.equal(small.height, 5);
    const missing = await raw(t.url, 'POST', '/api/runs', { body: JSON.stringify({ graph: g, inputs: { photo: { $artifact: 'f'.repeat(64) } } }), headers: JSON_HEADERS });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error.issues[0].path, 'body.inputs.photo');
  });

  it('lists history with filters', async () => {
    const all = await t.client.listRuns({ limit: 500 });
    assert.ok(all.total >= 10);
    assert.ok(all.items.every((r, i) => i === 0 || all.items[i - 1]!.runId > r.runId), 'newest first');
    const cancelled = await t.client.listRuns({ status: 'cancelled' });
    assert.ok(cancelled.items.length >= 1 && cancelled.items.every((r) => r.status === 'cancelled'));
    const lib = await t.client.listRuns({ graphId: 'lib-sum' });
    assert.equal(lib.total, 2);
    const two = await t.client.listRuns({ status: ['succeeded', 'cancelled'], limit: 2 });
    assert.equal(two.items.length, 2);
    assert.equal((await t.client.listRuns({ since: new Date(Date.now() + 60_000).toISOString() })).total, 0);
    const bad = await raw(t.url, 'GET', '/api/runs?status=lost');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.issues[0].path, 'query.status');
  });

  it('requeues waiting runs after a restart, still paused if it was, and keeps to the concurrency limit', async () => {
    const dataDir = tempDir();
    const file = join(scratch, 'release-requeued');
    const a = await startTestServer({ runConcurrency: 1 }, { dataDir });
    await a.client.pauseQueue();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await a.client.submitRun({ graph: waiting(file) as never, priority: i })).runId);
    await a.close();
    const b = await startTestServer({ runConcurrency: 1 }, { dataDir });
    try {
      assert.equal((await b.client.queue()).paused, true, 'a paused queue stays paused across a restart');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await b.client.queue()).running.length, 0);
      await b.client.resumeQueue();
      const state = await until(async () => {
        const q = await b.client.queue();
        return q.running.length === 1 ? q : undefined;
      }, 'one run to start');
      assert.deepEqual(state.running, [ids[2]], 'the highest priority first');
      assert.deepEqual(state.queued, [ids[1], ids[0]]);
      writeFileSync(file, '');
      for (const id of ids) assert.equal((await settled(id, b)).status, 'succeeded');
    } finally {
      await b.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
