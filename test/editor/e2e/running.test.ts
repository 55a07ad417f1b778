/**
 * Running from the editor against the real server and engine: live progress over the WebSocket,
 * output previews, cancelling, validation errors pinned on nodes before a run, the run history.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { readGraphText } from '../../../runtime/graph/png-metadata.ts';
import { join } from 'node:path';
import { CastgraphClient } from '../../../runtime/client/index.ts';
import { until } from '../../support/server.ts';
import { openStudio, settled, SHOTS, untilDoc, type Studio } from './harness.ts';

let s: Studio;
before(async () => { s = await openStudio(); });
after(async () => { await s?.close(); });

function graph(steps: number) {
  return {
    format: 'castgraph.graph', version: 1, id: `run-test-${steps}`, name: `Run test ${steps}`,
    nodes: [
      { id: 'create', type: 'image.create', typeVersion: 1, inputs: { width: 96, height: 64, fill: 'linear_gradient', color: '#ff8800', color2: '#0044ff', angle: 0 }, position: { x: 0, y: 0 } },
      { id: 'resize', type: 'image.resize', typeVersion: 1, inputs: { width: 48 }, position: { x: 320, y: 0 } },
      { id: 'slow', type: 'test.slow', typeVersion: 1, inputs: { text: 'all steps done', steps, stepMs: 250 }, position: { x: 0, y: 380 } },
    ],
    edges: [{ id: 'e1', from: { node: 'create', port: 'image' }, to: { node: 'resize', port: 'image' } }],
    inputs: [], outputs: [], groups: [], notes: [], meta: {},
  };
}

async function importGraph(doc: unknown, name: string): Promise<void> {
  const path = join(SHOTS, name);
  writeFileSync(path, JSON.stringify(doc));
  await s.page.getByLabel('import graph file').setInputFiles(path);
  await s.page.waitForFunction((id) => (globalThis as unknown as { castgraph: { editor: { doc: { id: string } } } }).castgraph.editor.doc.id === id, (doc as { id: string }).id);
  await s.page.locator('.react-flow__node').first().waitFor();
  await settled(s.page);
}

const nodeStatus = (id: string) => s.page.locator(`.react-flow__node[data-id="${id}"] .node-run`);

test('Ctrl+Enter runs the graph with live progress, then shows outputs on the nodes', async () => {
  const { page } = s;
  await importGraph(graph(8), 'run-graph.json');
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+Enter');
  const slow = nodeStatus('slow');
  await slow.and(page.locator('[data-status="running"]')).waitFor();
  // Progress arrives step by step over the WebSocket: the bar moves before the node finishes.
  await page.waitForFunction(() => {
    const bar = document.querySelector('.react-flow__node[data-id="slow"] [role="progressbar"]');
    const v = Number(bar?.getAttribute('aria-valuenow'));
    return v > 0 && v < 100;
  });
  assert.match(await slow.innerText(), /step \d of 8/);
  await s.shot('running-live-progress');
  await page.locator('.run-status[data-run-status="succeeded"]').waitFor({ timeout: 20_000 });
  assert.equal(await nodeStatus('slow').getAttribute('data-status'), 'succeeded');
  assert.match(await page.locator('.react-flow__node[data-id="slow"] .output-text').innerText(), /all steps done/);
  const thumb = page.locator('.react-flow__node[data-id="resize"] .image-grid img');
  await thumb.waitFor();
  // The node shows the server's thumbnail of the output; the full image is one click away.
  await page.waitForFunction(() => ((document.querySelector('.react-flow__node[data-id="resize"] .image-grid img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
  assert.match((await thumb.getAttribute('src'))!, /\/thumbnail\?size=256$/);
  const full = await page.request.get(s.url + (await page.locator('.react-flow__node[data-id="resize"] .image-grid a').getAttribute('href'))!.replace(s.url, ''));
  const meta = await sharp(await full.body()).metadata();
  assert.deepEqual([meta.width, meta.height], [48, 32], 'the linked full image is the resized output');
  await s.shot('running-succeeded');
  // The output PNG downloads with the graph inside it.
  await page.locator('.react-flow__node[data-id="resize"] header').click();
  await page.getByRole('tab', { name: 'inspector' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download PNG with graph' }).click();
  const bytes = new Uint8Array(readFileSync(await (await download).path()));
  const embedded = JSON.parse(readGraphText(bytes)!) as { id: string; nodes: unknown[] };
  assert.equal(embedded.id, 'run-test-8');
  assert.equal(embedded.nodes.length, 3);
  // The run is in the history panel.
  await page.getByRole('tab', { name: 'runs' }).click();
  await page.locator('.run-history li .badge.status-succeeded').first().waitFor();
});

test('a second run hits the cache; cancel stops a running run', async () => {
  const { page } = s;
  await importGraph(graph(40), 'cancel-graph.json');
  await page.keyboard.press('Control+Enter');
  await nodeStatus('slow').and(page.locator('[data-status="running"]')).waitFor();
  await page.locator('.react-flow__node[data-id="resize"] .node-run[data-status="cached"]').waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: '■ Cancel' }).click();
  await page.locator('.run-status[data-run-status="cancelled"]').waitFor({ timeout: 10_000 });
  await page.waitForFunction(() => document.querySelector('.react-flow__node[data-id="slow"] .node-run')?.getAttribute('data-status') !== 'running');
  assert.equal(await nodeStatus('slow').getAttribute('data-status'), 'cancelled');
  await s.shot('running-cancelled');
});

test('validation errors show on the node before a run, and the server refuses the run with the reason', async () => {
  const { page } = s;
  const bad = graph(1);
  bad.id = 'invalid-graph';
  bad.edges = [];
  await importGraph(bad, 'invalid-graph.json');
  const issue = page.locator('.react-flow__node[data-id="resize"] .node-issues');
  await issue.waitFor();
  assert.match(await issue.innerText(), /image.*required/i);
  await page.keyboard.press('Control+Enter');
  const toast = page.locator('.toast.error');
  await toast.waitFor();
  assert.match(await toast.innerText(), /run refused/);
  await s.shot('running-validation');
});

test('run up to a node runs only what it needs; an old run opens from the history', async () => {
  const { page } = s;
  await importGraph(graph(2), 'partial-graph.json');
  await page.locator('.react-flow__node[data-id="create"] header').click();
  await page.locator('.react-flow__node[data-id="create"] .graph-node.selected').waitFor();
  await page.keyboard.press('Control+Shift+Enter');
  await page.locator('.run-status[data-run-status="succeeded"]').waitFor({ timeout: 20_000 });
  assert.ok(await page.locator('.react-flow__node[data-id="create"] .node-run').count() === 1);
  assert.equal(await page.locator('.react-flow__node[data-id="slow"] .node-run').count(), 0, 'the slow node was not part of the partial run');

  // A run submitted by another client (not this browser) through the HTTP API.
  const other = new CastgraphClient({ baseUrl: s.url });
  const elsewhere = { ...graph(1), id: 'submitted-elsewhere', name: 'Submitted elsewhere' };
  const { runId } = await other.submitRun({ graph: elsewhere as never });
  await until(async () => ((await other.getRun(runId)).status === 'succeeded' ? true : undefined), 'the API run to succeed');

  // After a reload nothing of the session's runs is in memory: old runs open from the server's records.
  await page.reload();
  await page.locator('.react-flow').waitFor();
  await page.getByRole('tab', { name: 'runs' }).click();
  await page.locator('.run-history li', { hasText: 'Run test 8' }).getByRole('button').click();
  await untilDoc(page, 'd.id === "run-test-8" && d.nodes.length === 3');
  await page.locator('.react-flow__node[data-id="slow"] .node-run[data-status="succeeded"]').waitFor();
  assert.match(await page.locator('.react-flow__node[data-id="slow"] .output-text').innerText(), /all steps done/);
  await page.locator('.react-flow__node[data-id="resize"] .image-grid img').waitFor();
  await s.shot('running-history-open');

  await page.locator('.run-history li', { hasText: 'Submitted elsewhere' }).getByRole('button').click();
  await untilDoc(page, 'd.id === "submitted-elsewhere"');
  await page.locator('.react-flow__node[data-id="slow"] .node-run[data-status="succeeded"]').waitFor();
  assert.equal(await page.locator('.react-flow__node[data-id="slow"] .node-run').getAttribute('data-status'), 'succeeded');
  await settled(page);
  await s.shot('running-history-other-client');
  assert.equal(await page.locator('.toast.error').count(), 0);
});

test('an uploaded file feeds a node; a node that fails shows its error pinned on it', async () => {
  const { page } = s;
  const doc = {
    format: 'castgraph.graph', version: 1, id: 'load-test', name: 'Load test',
    nodes: [{ id: 'load', type: 'image.load', typeVersion: 1, inputs: {}, position: { x: 0, y: 0 } }],
    edges: [], inputs: [], outputs: [], groups: [], notes: [], meta: {},
  };
  await importGraph(doc, 'load-graph.json');
  const notAnImage = join(SHOTS, 'not-an-image.png');
  writeFileSync(notAnImage, 'this is text, not a PNG');
  await page.locator('.react-flow__node[data-id="load"]').getByLabel('load.file').setInputFiles(notAnImage);
  await page.waitForFunction(() => {
    const d = (globalThis as unknown as { castgraph: { editor: { doc: { nodes: { inputs: Record<string, { $artifact?: string }> }[] } } } }).castgraph.editor.doc;
    return typeof d.nodes[0]?.inputs.file?.$artifact === 'string';
  });
  await page.keyboard.press('Control+Enter');
  await page.locator('.run-status[data-run-status="failed"]').waitFor({ timeout: 20_000 });
  const error = page.locator('.react-flow__node[data-id="load"] .node-error');
  await error.waitFor();
  assert.ok((await error.innerText()).length > 5);
  assert.doesNotMatch(await error.innerText(), /at \w+ \(/, 'no stack trace reaches the editor');
  await s.shot('running-error-pinned');
});
