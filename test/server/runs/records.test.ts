/** Run records on disk: the event log is the truth; a lagging snapshot or a torn last line (crash mid-write) is repaired on open. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunRecords } from '../../../server/runs/records.ts';
import type { RunRecord } from '../../../server/runs/record.ts';
import { tempDir } from '../../support/server.ts';

const base = (runId: string): RunRecord => ({
  runId,
  status: 'queued',
  graph: { source: 'inline', id: 'g', name: 'G' },
  createdAt: new Date().toISOString(),
  priority: 0,
  inputs: {},
  seeds: {},
  nodes: {},
  executions: 1,
  lastSeq: 0,
});
const node = (runId: string, nodePath: string) => ({ runId, nodePath, nodeId: nodePath, nodeType: 'value.int', ts: Date.now() });

describe('run records', () => {
  it('rebuilds a lagging snapshot from the log, cuts a torn last line, and marks the running run interrupted', async () => {
    const dir = tempDir();
    const a = new RunRecords(dir, undefined, { snapshotIntervalMs: 60_000 });
    await a.create(base('run_a'), { document: {}, inputs: {} });
    a.append('run_a', { type: 'run.queued', runId: 'run_a', ts: 1 });
    a.append('run_a', { type: 'run.started', runId: 'run_a', ts: 2, nodeCount: 2, seeds: { 'n.seed': 42 } });
    a.append('run_a', { type: 'node.started', ...node('run_a', 'n'), attempt: 1, key: 'k' });
    a.append('run_a', { type: 'node.succeeded', ...node('run_a', 'n'), key: 'k', outputs: { value: 1 }, durationMs: 3, attempt: 1 });
    // The process dies here: no snapshot was written yet (only the record as accepted, in request.json), and a write was cut short.
    assert.equal(existsSync(join(dir, 'runs', 'run_a.status.json')), false);
    appendFileSync(join(dir, 'runs', 'run_a.events.jsonl'), '{"seq":5,"event":{"type":"node.sta');

    const b = new RunRecords(dir);
    assert.deepEqual(b.recover(), { queued: [], interrupted: ['run_a'], pendingWebhooks: [], keys: [] });
    const r = b.get('run_a')!;
    assert.equal(r.status, 'interrupted');
    assert.equal(r.nodes.n!.status, 'succeeded');
    assert.deepEqual(r.seeds, { 'n.seed': 42 });
    assert.equal(r.lastSeq, 5, 'four events from before the crash, then run.interrupted');
    const lines = readFileSync(join(dir, 'runs', 'run_a.events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.seq), [1, 2, 3, 4, 5], 'the torn line is gone and numbering continues');
    assert.equal(lines[4].event.type, 'run.interrupted');
    assert.deepEqual(b.eventsSince('run_a', 3).map((e) => e.seq), [4, 5]);
    await b.flushAll();
    assert.equal(JSON.parse(readFileSync(join(dir, 'runs', 'run_a.status.json'), 'utf8')).status, 'interrupted', 'the repaired snapshot is saved');
  });

  it('requeues runs that were waiting, and skips files that never became runs', async () => {
    const dir = tempDir();
    const a = new RunRecords(dir);
    await a.create(base('run_q'), { document: {}, inputs: {} });
    a.append('run_q', { type: 'run.queued', runId: 'run_q', ts: 1 });
    writeFileSync(join(dir, 'runs', 'not a run id.request.json'), '{}');
    writeFileSync(join(dir, 'runs', 'run_torn.request.json'), '{"document": {');
    const b = new RunRecords(dir);
    assert.deepEqual(b.recover(), { queued: ['run_q'], interrupted: [], pendingWebhooks: [], keys: [] });
    assert.deepEqual(b.eventsSince('run_q', 0).map((e) => e.event.type), ['run.queued']);
  });

  it('masks secrets before anything is written', async () => {
    const dir = tempDir();
    const records = new RunRecords(dir, (line) => line.split('hunter2-secret').join('[secret]'));
    await records.create(base('run_s'), { document: { note: 'hunter2-secret' }, inputs: {} });
    const e = records.append('run_s', { type: 'node.log', ...node('run_s', 'n'), level: 'info', message: 'key hunter2-secret' });
    assert.equal((e.event as { message: string }).message, 'key [secret]');
    for (const f of ['run_s.events.jsonl', 'run_s.request.json']) assert.doesNotMatch(readFileSync(join(dir, 'runs', f), 'utf8'), /hunter2/);
  });

  it('writes the request whole or not at all, and closes the log handle when a submission fails', async () => {
    const dir = tempDir();
    const records = new RunRecords(dir);
    const runs = join(dir, 'runs');
    const fds = () => readdirSync('/proc/self/fd').length;
    const before = fds();
    mkdirSync(join(runs, 'run_w.request.json')); // the rename into place fails
    await assert.rejects(records.create(base('run_w'), { document: {}, inputs: {} }), /EISDIR|ENOTEMPTY|EEXIST/);
    mkdirSync(join(runs, 'run_o.events.jsonl')); // the log cannot be opened
    await assert.rejects(records.create(base('run_o'), { document: {}, inputs: {} }), /EISDIR/);
    assert.equal(fds(), before, 'no file handle leaked');
    assert.deepEqual(readdirSync(runs).filter((f) => f.endsWith('.tmp')), [], 'no temp file left');
    assert.equal(existsSync(join(runs, 'run_o.request.json')), false, 'a submission that failed leaves no request to recover');
    assert.equal(records.get('run_w'), undefined);
    assert.deepEqual(new RunRecords(dir).recover(), { queued: [], interrupted: [], pendingWebhooks: [], keys: [] });
  });

  it('counts resumes in the fold, so a record rebuilt from the log keeps them', async () => {
    const dir = tempDir();
    const a = new RunRecords(dir, undefined, { snapshotIntervalMs: 60_000 });
    await a.create(base('run_r'), { document: {}, inputs: {} });
    a.append('run_r', { type: 'run.queued', runId: 'run_r', ts: 1 });
    a.append('run_r', { type: 'run.started', runId: 'run_r', ts: 2, nodeCount: 1, seeds: {} });
    a.append('run_r', { type: 'run.interrupted', runId: 'run_r', ts: 3, reason: 'stopped' });
    a.append('run_r', { type: 'run.queued', runId: 'run_r', ts: 4 });
    a.append('run_r', { type: 'run.started', runId: 'run_r', ts: 5, nodeCount: 1, seeds: {} });
    a.append('run_r', { type: 'run.cancelled', runId: 'run_r', ts: 6, durationMs: 1 });
    a.append('run_r', { type: 'run.queued', runId: 'run_r', ts: 7 });
    assert.equal(a.get('run_r')!.executions, 3);
    // Crash: the only snapshot is the record as accepted; everything else comes from the log.
    const b = new RunRecords(dir);
    assert.deepEqual(b.recover(), { queued: ['run_r'], interrupted: [], pendingWebhooks: [], keys: [] });
    assert.equal(b.get('run_r')!.executions, 3);
  });

  it('keeps only recent finished records in memory and reads older ones back from disk, listing them all', async () => {
    const dir = tempDir();
    const records = new RunRecords(dir, undefined, { maxResident: 3, snapshotIntervalMs: 0 });
    const ids = Array.from({ length: 8 }, (_, i) => `run_${String(i).padStart(3, '0')}`);
    for (const [i, id] of ids.entries()) {
      await records.create({ ...base(id), graph: { source: 'inline', id: i % 2 ? 'odd' : 'even', name: 'G' } }, { document: {}, inputs: {} });
      records.append(id, { type: 'run.queued', runId: id, ts: 1 });
      records.append(id, { type: 'run.started', runId: id, ts: 2, nodeCount: 1, seeds: {} });
      records.append(id, i === 7 ? { type: 'run.cancelled', runId: id, ts: 3, durationMs: 1 } : { type: 'run.succeeded', runId: id, ts: 3, outputs: { n: i }, durationMs: 1 });
      records.release(id);
    }
    await records.flushAll();
    assert.ok(records.resident <= 3, `resident: ${records.resident}`);
    assert.deepEqual(records.get(ids[0]!)!.outputs, { n: 0 }, 'an evicted record is read back whole');
    assert.ok(records.resident <= 3);
    const page = records.list({}, 1, 3);
    assert.equal(page.total, 8);
    assert.deepEqual(page.items.map((r) => r.runId), [ids[6], ids[5], ids[4]], 'newest first, from the offset');
    assert.deepEqual(records.list({ statuses: new Set(['cancelled']) }, 0, 10).items.map((r) => r.runId), [ids[7]]);
    assert.equal(records.list({ graphId: 'odd' }, 0, 10).total, 4);
    // A resume of an evicted run folds into the record read back from disk.
    records.append(ids[1]!, { type: 'run.queued', runId: ids[1]!, ts: 4 });
    assert.equal(records.get(ids[1]!)!.executions, 2);
    assert.equal(records.list({ statuses: new Set(['queued']) }, 0, 10).total, 1, 'the index follows status changes');
  });
});
