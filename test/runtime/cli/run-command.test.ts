/** `runGraph` against a scripted run source: the contract a remote source (`--server`) plugs into. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runGraph } from '../../../runtime/cli/commands/run.ts';
import { EXIT, type CliIO } from '../../../runtime/cli/command.ts';
import { EventQueue } from '../../../runtime/cli/run/event-queue.ts';
import type { RunRequest, RunSource } from '../../../runtime/cli/run/source.ts';

const runId = 'remote-1';
const node = { runId, nodePath: 'slow', nodeId: 'slow', nodeType: 'test.slow' };

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-runcmd-'));
  writeFileSync(join(dir, 'g.json'), JSON.stringify({ format: 'castgraph.graph', version: 1, id: 'g', name: 'g', nodes: [{ id: 'slow', type: 'test.slow', typeVersion: 1 }] }));
  const out: string[] = [];
  const err: string[] = [];
  let interrupt: (() => void) | undefined;
  const exits: number[] = [];
  const io: CliIO = {
    exit: (code) => void exits.push(code),
    stdout: { write: (s: string) => void out.push(s) },
    stderr: { write: (s: string) => void err.push(s) },
    env: {},
    cwd: dir,
    onInterrupt: (h) => {
      interrupt = h;
      return () => (interrupt = undefined);
    },
  };
  return { dir, io, out, err, exits, interrupt: () => interrupt?.(), hasHandler: () => interrupt !== undefined, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('Ctrl-C aborts the request signal and cancels the source; the run ends as cancelled with exit 4', async (t) => {
  const s = setup();
  t.after(s.cleanup);
  const queue = new EventQueue();
  let request: RunRequest | undefined;
  const source: RunSource = {
    runId,
    events: queue,
    cancel: () => {
      queue.push({ type: 'node.cancelled', ...node, ts: 2 });
      queue.push({ type: 'run.cancelled', runId, ts: 2, durationMs: 1 });
    },
    openArtifact: () => Readable.from([]),
  };
  const finished = runGraph({ values: {}, positionals: ['g.json'] }, s.io, async (r) => {
    request = r;
    queue.push({ type: 'run.started', runId, ts: 1, nodeCount: 1, seeds: {} });
    queue.push({ type: 'node.started', ...node, ts: 1, attempt: 1, key: 'k' });
    setImmediate(s.interrupt);
    return source;
  });
  assert.equal(await finished, EXIT.cancelled);
  assert.equal(request!.signal.aborted, true);
  assert.match(s.err.join(''), /cancelling… \(Ctrl-C again to quit at once\)/);
  assert.match(s.out.join(''), /■ slow \(test\.slow\) {2}cancelled/);
  assert.equal(s.hasHandler(), false, 'the Ctrl-C handler is removed after the run');
  assert.deepEqual(s.exits, [], 'one Ctrl-C lets the run wind down');
});

test('a second Ctrl-C quits at once with 130, without waiting for the run', async (t) => {
  const s = setup();
  t.after(s.cleanup);
  const queue = new EventQueue();
  let cancels = 0;
  const finished = runGraph({ values: {}, positionals: ['g.json'] }, s.io, async () => {
    queue.push({ type: 'run.started', runId, ts: 1, nodeCount: 1, seeds: {} });
    return { runId, events: queue, cancel: () => void cancels++, openArtifact: () => Readable.from([]) };
  });
  while (!s.hasHandler()) await new Promise((r) => setImmediate(r));
  s.interrupt();
  s.interrupt();
  assert.deepEqual(s.exits, [EXIT.interrupted]);
  assert.equal(cancels, 1);
  queue.end(); // the real process is gone by now; let the test's promise settle
  await finished;
});

test('a stream that ends without a verdict counts as a failed run (exit 3)', async (t) => {
  const s = setup();
  t.after(s.cleanup);
  const queue = new EventQueue();
  queue.push({ type: 'run.started', runId, ts: 1, nodeCount: 1, seeds: {} });
  queue.end();
  const code = await runGraph({ values: { json: true }, positionals: ['g.json'] }, s.io, async () => ({ runId, events: queue, cancel() {}, openArtifact: () => Readable.from([]) }));
  assert.equal(code, EXIT.failed);
  assert.equal(JSON.parse(s.out.join('')).type, 'run.started');
});

test('a run that cannot start (server unreachable) exits 3 with the reason, not a stack trace', async (t) => {
  const s = setup();
  t.after(s.cleanup);
  const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  const code = await runGraph({ values: {}, positionals: ['g.json'] }, s.io, async () => {
    throw refused;
  });
  assert.equal(code, EXIT.failed);
  assert.equal(s.err.join(''), 'castgraph run: the run could not start: fetch failed (ECONNREFUSED)\n');
});
