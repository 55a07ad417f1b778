/**
 * Editing in the browser: build a graph from the add-node search, a refused connection with its
 * reason, a wire dropped on empty canvas, inline value edits, undo/redo, copy/paste.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addNodeBySearch, doc, dragWire, handle, openStudio, untilDoc, type Studio } from './harness.ts';

let s: Studio;
before(async () => { s = await openStudio(); });
after(async () => { await s?.close(); });

test('build a graph from search, refuse a wrong wire with its reason, connect a right one', async () => {
  const { page } = s;
  await addNodeBySearch(page, 'new image', { x: 250, y: 250 });
  await addNodeBySearch(page, 'text template', { x: 250, y: 700 });
  await addNodeBySearch(page, 'resize', { x: 750, y: 250 });
  let d = await doc(page);
  assert.deepEqual(d.nodes.map((n) => n.type), ['image.create', 'text.template', 'image.resize']);
  assert.equal(d.nodes[0]!.inputs.width, 512, 'defaults are filled in');

  // text → image is refused while dragging, with the graph model's reason.
  const templateOut = handle(d.nodes[1]!.id, 'text', 'source');
  await dragWire(page, templateOut, handle('resize', 'image', 'target'), false);
  const refused = page.locator('.connection-refused');
  await refused.waitFor();
  assert.match(await refused.innerText(), /`text` cannot feed `image`/);
  await s.shot('editing-refused-connection');
  await page.mouse.up();
  d = await doc(page);
  assert.equal(d.edges.length, 0, 'the refused wire was not added');

  await dragWire(page, handle('create', 'image', 'source'), handle('resize', 'image', 'target'));
  d = await doc(page);
  assert.deepEqual(d.edges.map((e) => `${e.from.node}.${e.from.port}->${e.to.node}.${e.to.port}`), ['create.image->resize.image']);
  await s.shot('editing-built-graph');
});

test('dropping a wire on empty canvas offers only compatible nodes and connects the chosen one', async () => {
  const { page } = s;
  await dragWire(page, handle('resize', 'image', 'source'), { x: 1150, y: 420 });
  const box = page.getByRole('dialog', { name: 'Add node' });
  await box.waitFor();
  assert.match(await box.locator('.search-filter').innerText(), /an input for image/);
  const types = await box.locator('li[data-type]').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
  assert.ok(types.includes('image.resize') && !types.includes('text.template') && !types.includes('value.int'), `compatible only: ${types.join(', ')}`);
  await s.shot('editing-wire-drop-search');
  await page.getByLabel('Search node types').fill('crop');
  await page.getByLabel('Search node types').press('Enter');
  const d = await doc(page);
  const crop = d.nodes.find((n) => n.type === 'image.crop');
  assert.ok(crop);
  assert.ok(d.edges.some((e) => e.from.node === 'resize' && e.to.node === crop.id && e.to.port === 'image'));
});

test('inline widgets edit values; a typing burst is one undo step; redo restores it', async () => {
  const { page } = s;
  const width = page.locator('.react-flow__node[data-id="create"]').getByLabel('create.width', { exact: true });
  await width.click();
  await width.fill('');
  await page.keyboard.type('640', { delay: 30 });
  await width.blur();
  assert.equal((await doc(page)).nodes[0]!.inputs.width, 640);
  await page.locator('.react-flow__node[data-id="create"]').getByLabel('create.fill', { exact: true }).selectOption('linear_gradient');
  assert.equal((await doc(page)).nodes[0]!.inputs.fill, 'linear_gradient');
  await s.shot('editing-inline-values');

  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  assert.equal((await doc(page)).nodes[0]!.inputs.fill, 'solid');
  await page.keyboard.press('Control+z');
  assert.equal((await doc(page)).nodes[0]!.inputs.width, 512, 'the whole typing burst was one step');
  await page.keyboard.press('Control+Shift+z');
  assert.equal((await doc(page)).nodes[0]!.inputs.width, 640);
  await page.keyboard.press('Control+y');
  assert.equal((await doc(page)).nodes[0]!.inputs.fill, 'linear_gradient');
});

test('a node drag is one undo step and selection is none', async () => {
  const { page } = s;
  const before = (await doc(page)).nodes[0]!.position;
  const header = page.locator('.react-flow__node[data-id="create"] header');
  const box = (await header.boundingBox())!;
  // Let the redo's re-render settle before grabbing the header (a drag started mid-render is lost).
  await header.hover();
  await page.waitForTimeout(150);
  await page.mouse.move(box.x + 20, box.y + 8);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 20 + i * 12, box.y + 8 + i * 6);
  await page.mouse.up();
  const moved = (await doc(page)).nodes[0]!.position;
  assert.notDeepEqual(moved, before, `drag from ${JSON.stringify(box)} did not move the node`);
  await page.locator('.react-flow__node[data-id="resize"] header').click();
  await page.keyboard.press('Control+z');
  assert.deepEqual((await doc(page)).nodes[0]!.position, before, 'one undo reverts the whole drag, selection changes are skipped');
});

test('copy/paste goes through the clipboard as graph JSON with fresh ids', async () => {
  const { page } = s;
  await page.locator('.react-flow__node[data-id="resize"] header').click();
  await page.keyboard.press('Control+c');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  const fragment = JSON.parse(text) as { format: string; nodes: { id: string }[] };
  assert.equal(fragment.format, 'castgraph.graph');
  assert.deepEqual(fragment.nodes.map((n) => n.id), ['resize']);
  await page.keyboard.press('Control+v');
  await untilDoc(page, 'd.nodes.some((n) => n.id === "resize_2")');
  let d = await doc(page);
  assert.ok(!d.edges.some((e) => e.to.node === 'resize_2'), 'plain paste: no incoming wire');
  await page.keyboard.press('Control+Shift+v');
  await untilDoc(page, 'd.nodes.length === 6');
  d = await doc(page);
  const linked = d.nodes.at(-1)!;
  assert.ok(d.edges.some((e) => e.from.node === 'create' && e.to.node === linked.id), 'paste with links keeps the incoming wire');
  await page.keyboard.press('Delete');
  await untilDoc(page, 'd.nodes.length === 5');
  d = await doc(page);
  assert.ok(!d.nodes.some((n) => n.id === linked.id));
  await s.shot('editing-after-paste');
  assert.deepEqual(s.errors.filter((e) => !/favicon/.test(e)), []);
});
