/**
 * Keyboard paths and canvas organisation: the shortcut sheet, adding nodes with Space, wiring two
 * ports without a mouse, bypass/mute, groups, notes, auto-layout and making a subgraph.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { doc, openStudio, untilDoc, type Studio } from './harness.ts';

let s: Studio;
before(async () => { s = await openStudio(); });
after(async () => { await s?.close(); });

test('the shortcut sheet lists the keys', async () => {
  const { page } = s;
  await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await sheet.waitFor();
  const text = await sheet.innerText();
  for (const k of ['Ctrl+Enter', 'Ctrl+Z', 'Ctrl+Shift+V', 'Ctrl+Shift+E']) assert.ok(text.includes(k), `sheet lists ${k}`);
  await s.shot('keyboard-sheet');
  await sheet.getByRole('button', { name: 'Close' }).click();
});

test('add and wire nodes with the keyboard only', async () => {
  const { page } = s;
  await page.keyboard.press(' ');
  await page.getByLabel('Search node types').fill('integer');
  await page.keyboard.press('Enter');
  await page.keyboard.press(' ');
  await page.getByLabel('Search node types').fill('new image');
  await page.keyboard.press('Enter');
  await untilDoc(page, 'd.nodes.length === 2');
  // The new node is selected; C lists the wires the graph model accepts.
  await page.keyboard.press('c');
  const palette = page.getByRole('dialog', { name: 'Connect ports' });
  await palette.waitFor();
  await page.getByLabel('Filter connections').fill('int.value create.height');
  await s.shot('keyboard-connect');
  await page.keyboard.press('Enter');
  await untilDoc(page, 'd.edges.length === 1');
  const d = await doc(page);
  assert.deepEqual([d.edges[0]!.from, d.edges[0]!.to], [{ node: 'int', port: 'value' }, { node: 'create', port: 'height' }]);

  // Collapse keeps the wire attached to the folded node.
  await page.keyboard.press('Alt+c');
  await untilDoc(page, 'd.nodes[1].collapsed === true');
  const node = page.locator('.react-flow__node[data-id="create"]');
  assert.ok((await node.boundingBox())!.height < 60, 'a collapsed node is one header high');
  assert.equal(await page.locator('.react-flow__edge').count(), 1);
  await s.shot('keyboard-collapsed');
  await node.getByRole('button', { name: 'expand create' }).click();
  await untilDoc(page, 'd.nodes[1].collapsed === undefined');
  await node.locator('header').click();
});

test('bypass, mute, group, note, auto-layout and make-subgraph from the keyboard', async () => {
  const { page } = s;
  await page.keyboard.press('Control+b');
  await untilDoc(page, 'd.nodes[1].mode === "bypass"');
  await page.keyboard.press('Control+m');
  await untilDoc(page, 'd.nodes[1].mode === "mute"');
  await page.keyboard.press('Control+m');
  await untilDoc(page, 'd.nodes[1].mode === undefined');
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Control+g');
  await untilDoc(page, 'd.groups.length === 1 && d.groups[0].nodes.length === 2');
  await page.locator('.group-frame').waitFor();
  await page.keyboard.press('l');
  await untilDoc(page, 'd.nodes[1].position.x > d.nodes[0].position.x');
  await page.keyboard.press('n');
  await untilDoc(page, 'd.notes.length === 1');
  await page.locator('.note-node textarea:focus').waitFor({ timeout: 3000 });
  await page.keyboard.type('Remember: width comes from the integer');
  await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
  await untilDoc(page, 'd.notes[0].text.startsWith("Remember")');
  await s.shot('keyboard-groups-notes');

  await page.keyboard.press('Control+a');
  await page.keyboard.press('Control+Shift+e');
  await untilDoc(page, 'd.nodes.length === 1 && d.nodes[0].type === "flow.subgraph" && d.nodes[0].graph.nodes.length === 2');
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'subgraph path' }).waitFor();
  await page.locator('.react-flow__node[data-id="create"]').waitFor();
  await page.keyboard.press('Alt+ArrowUp');
  await page.locator('.react-flow__node[data-id="subgraph"]').waitFor();
  await page.keyboard.press('Control+z');
  await untilDoc(page, 'd.nodes.length === 2 && d.edges.length === 1');
  assert.deepEqual(s.errors.filter((e) => !/favicon/.test(e)), []);
});
