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
    assert.deepEqual(b.recover(), { queued: [], interrupted: ['run_a'] });
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
    assert.deepEqual(b.recover(), { queued: ['run_q'], interrupted: [] });
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
    assert.deepEqual(new RunRecords(dir).recover(), { queued: [], interrupted: [] });
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
    assert.deepEqual(b.recover(), { queued: ['run_r'], interrupted: [] });
    assert.equal(b.get('run_r')!.executions, 3);
  });
});
