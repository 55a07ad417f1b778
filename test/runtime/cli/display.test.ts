import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../../runtime/engine/index.ts';
import { liveDisplay } from '../../../runtime/cli/display/live.ts';
import { plainDisplay } from '../../../runtime/cli/display/plain.ts';
import { jsonDisplay } from '../../../runtime/cli/display/json.ts';
import { consume } from '../../../runtime/cli/display/display.ts';
import { EventQueue } from '../../../runtime/cli/run/event-queue.ts';

function sink(isTTY = false) {
  const chunks: string[] = [];
  return { chunks, isTTY, columns: 100, write: (s: string) => void chunks.push(s), text: () => chunks.join('') };
}

const runId = 'r1';
const node = (id: string, type = 'image.resize') => ({ runId, nodePath: id, nodeId: id, nodeType: type });
const failure = { message: 'inputs.width: left 95 + width 10 reaches past the right edge', errorClass: 'user' as const, retryable: false };

/** A run with one node of each outcome. */
const script: RunEvent[] = [
  { type: 'run.started', runId, ts: 1000, nodeCount: 4, seeds: {} },
  { type: 'node.started', ...node('resize'), ts: 1000, attempt: 1, key: 'k1' },
  { type: 'node.progress', ...node('resize'), ts: 2000, fraction: 0.5, message: 'resampling' },
  { type: 'node.cached', ...node('load', 'image.load'), ts: 2000, key: 'k2', outputs: {} },
  { type: 'node.skipped', ...node('save', 'image.save'), ts: 2500, reason: 'input image comes from an empty output (gate "g" is closed)' },
  { type: 'node.failed', ...node('crop', 'image.crop'), ts: 2600, error: failure, attempt: 1 },
  { type: 'node.succeeded', ...node('resize'), ts: 3000, key: 'k1', outputs: {}, durationMs: 2000, attempt: 1 },
  { type: 'run.failed', runId, ts: 3100, error: failure, nodePath: 'crop', durationMs: 2100 },
];

test('the live display draws a bar with percent, elapsed and ETA, and redraws in place', () => {
  const out = sink(true);
  let clock = 1000;
  const display = liveDisplay(out, { now: () => clock, tickMs: 0 });
  display.event(script[0]!);
  display.event(script[1]!);
  clock = 3000;
  display.event(script[2]!);
  display.render();
  const frame = out.chunks.at(-1)!;
  assert.match(frame, /^\r\x1b\[\d+A\x1b\[J/, 'moves up over the previous live block and clears it');
  assert.match(frame, /resize \(image\.resize\)  ██████████░░░░░░░░░░  50%  2\.0s  ETA 2\.0s  resampling/);
  assert.match(frame, /0\/4 nodes · 2\.0s/);
});

test('the live display prints finished nodes once, with marks for cached, skipped and failed, then the summary', () => {
  const out = sink(true);
  const display = liveDisplay(out, { now: () => 3000, tickMs: 0 });
  for (const e of script) display.event(e);
  display.close();
  const text = out.text();
  assert.match(text, /↺ load \(image\.load\)  cached/);
  assert.match(text, /⤼ save \(image\.save\)  skipped: input image comes from an empty output/);
  assert.match(text, /✗ crop \(image\.crop\)  failed: inputs\.width: left 95/);
  assert.match(text, /✓ resize \(image\.resize\)  2\.0s/);
  assert.match(text, /✗ run failed after 2\.1s at crop: inputs\.width/);
  assert.equal(text.match(/↺ load/g)!.length, 1, 'permanent lines are not redrawn');
  assert.ok(text.startsWith('\x1b[?25l') && text.endsWith('\x1b[?25h'), 'hides the cursor while running and restores it');
});

test('the live display clips live lines to the terminal width but never a finished node\'s message', () => {
  const out = { ...sink(true), columns: 50 };
  const display = liveDisplay(out, { now: () => 0, tickMs: 0 });
  display.event({ type: 'run.started', runId, ts: 0, nodeCount: 2, seeds: {} });
  display.event({ type: 'node.started', ...node('a-node-with-a-rather-long-name'), ts: 0, attempt: 1, key: 'k' });
  display.event({ type: 'node.progress', ...node('a-node-with-a-rather-long-name'), ts: 0, fraction: 0.3, message: 'x'.repeat(80) });
  display.render();
  const live = out.chunks.at(-1)!.replace(/\r\x1b\[\d+A\x1b\[J/, '').trimEnd().split('\n');
  assert.equal(live.length, 2);
  for (const line of live) assert.ok([...line].length <= 49, line);
  display.event({ type: 'node.skipped', ...node('save'), ts: 0, reason: 'y'.repeat(200) });
  display.close();
  assert.match(out.text(), /skipped: y{200}\n/);
});

test('the plain display writes one line per event of interest and no escape codes', () => {
  const out = sink();
  const display = plainDisplay(out);
  for (const e of script) display.event(e);
  const lines = out.text().trim().split('\n');
  assert.deepEqual(lines, [
    'run r1: 4 nodes',
    '… resize (image.resize)  started',
    '↺ load (image.load)  cached',
    '⤼ save (image.save)  skipped: input image comes from an empty output (gate "g" is closed)',
    '✗ crop (image.crop)  failed: inputs.width: left 95 + width 10 reaches past the right edge',
    '✓ resize (image.resize)  2.0s',
    '✗ run failed after 2.1s at crop: inputs.width: left 95 + width 10 reaches past the right edge',
  ]);
  assert.doesNotMatch(out.text(), /\x1b/);
});

test('consume feeds a queued event stream to a display and returns the terminal event', async () => {
  const queue = new EventQueue();
  const out = sink();
  const consumed = consume(queue, jsonDisplay(out));
  for (const e of script) queue.push(e);
  queue.push({ type: 'run.cancelled', runId, ts: 0, durationMs: 0 }); // after the end: dropped
  const last = await consumed;
  assert.equal(last?.type, 'run.failed');
  const parsed = out.text().trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
  assert.deepEqual(parsed, script);
});

test('an event stream that breaks surfaces the error after the buffered events', async () => {
  const queue = new EventQueue();
  queue.push(script[0]!);
  queue.end(new Error('connection lost'));
  const seen: string[] = [];
  await assert.rejects(consume(queue, { event: (e) => void seen.push(e.type), close() {} }), /connection lost/);
  assert.deepEqual(seen, ['run.started']);
});
