/**
 * A server that requires a token: the editor opened as `/?token=…` keeps the token for the tab,
 * removes it from the address bar, and every API call, the event WebSocket and artifact URLs carry it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openStudio, type Studio } from './harness.ts';

const TOKEN = 'editor-test-token-0123456789';
let s: Studio;
before(async () => { s = await openStudio({ token: TOKEN, path: `/?token=${TOKEN}` }); });
after(async () => { await s?.close(); });

test('the editor works against a token-protected server, and says so when the token is missing', async () => {
  const { page, context } = s;
  await page.waitForSelector('.react-flow');
  assert.ok(!page.url().includes('token='), 'the token left the address bar');
  const graph = {
    format: 'castgraph.graph', version: 1, id: 'token-run', name: 'Token run',
    nodes: [{ id: 'create', type: 'image.create', typeVersion: 1, inputs: { width: 32, height: 32 }, position: { x: 0, y: 0 } }],
    edges: [], inputs: [], outputs: [], groups: [], notes: [], meta: {},
  };
  await page.evaluate((g) => (globalThis as unknown as { castgraph: { editor: { load(d: unknown): void } } }).castgraph.editor.load(g), graph);
  await page.keyboard.press('Control+Enter');
  await page.locator('.run-status[data-run-status="succeeded"]').waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => ((document.querySelector('.react-flow__node[data-id="create"] .image-grid img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);

  const stranger = await context.newPage();
  await stranger.goto(s.url);
  const fatal = stranger.locator('.fatal');
  await fatal.waitFor();
  assert.match(await fatal.innerText(), /requires a token: open the editor as \/\?token=/);
  await stranger.close();
});
