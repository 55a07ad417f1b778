/**
 * Saving and sharing: library save with name/description/tags, revisions, reload recovery of the
 * autosaved draft, the two-tab conflict, templates, subgraphs, and opening graphs dropped as a JSON
 * file or inside an output PNG or MP4.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { CastgraphClient } from '../../../runtime/client/index.ts';
import { readGraphText } from '../../../runtime/graph/png-metadata.ts';
import { lavfiClip } from '../../support/media.ts';
import { tempDir, until } from '../../support/server.ts';
import { doc, openStudio, untilDoc, type Studio } from './harness.ts';

let s: Studio;
before(async () => { s = await openStudio(); });
after(async () => { await s?.close(); });

function sample(id: string, name: string) {
  return {
    format: 'castgraph.graph', version: 1, id, name,
    nodes: [
      { id: 'size', type: 'value.int', typeVersion: 1, inputs: { value: 96 }, position: { x: 0, y: 0 } },
      {
        id: 'body', type: 'flow.subgraph', typeVersion: 1, inputs: {}, position: { x: 340, y: 0 },
        graph: {
          format: 'castgraph.graph', version: 1, id: 'body-graph', name: 'Make image',
          nodes: [{ id: 'make', type: 'image.create', typeVersion: 1, inputs: { width: 64, height: 32 }, position: { x: 0, y: 0 } }],
          edges: [], inputs: [{ name: 'width', node: 'make', port: 'width' }], outputs: [{ name: 'image', node: 'make', port: 'image' }], groups: [], notes: [], meta: {},
        },
      },
    ],
    edges: [{ id: 'e1', from: { node: 'size', port: 'value' }, to: { node: 'body', port: 'width' } }],
    inputs: [], outputs: [], groups: [], notes: [], meta: {},
  };
}

/** Drops files on the canvas the way a browser does: a `drop` event carrying a DataTransfer. */
async function dropFile(page: Page, name: string, mime: string, bytes: Uint8Array): Promise<void> {
  await page.evaluate(({ name, mime, data }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], name, { type: mime }));
    const target = document.querySelector('.react-flow__pane')!;
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { name, mime, data: [...bytes] });
}

test('dropping a graph JSON file opens it; subgraph ports come from its body', async () => {
  const { page } = s;
  await dropFile(page, 'sample.json', 'application/json', new TextEncoder().encode(JSON.stringify(sample('dropped', 'Dropped graph'))));
  await untilDoc(page, 'd.id === "dropped"');
  const body = page.locator('.react-flow__node[data-id="body"]');
  await body.locator('.port-row.input[data-port="width"]').waitFor();
  await body.locator('.port-row.output[data-port="image"]').waitFor();
  assert.equal((await page.locator('.react-flow__edge').count()), 1);
  await s.shot('sharing-dropped-json');
});

test('open a subgraph, edit inside, come back through the breadcrumb', async () => {
  const { page } = s;
  await page.locator('.react-flow__node[data-id="body"] header').dblclick();
  const crumbs = page.getByRole('navigation', { name: 'subgraph path' });
  await crumbs.waitFor();
  assert.match(await crumbs.innerText(), /Dropped graph\s*›\s*body/);
  const make = page.locator('.react-flow__node[data-id="make"]');
  await make.waitFor();
  const height = make.getByLabel('make.height', { exact: true });
  await height.fill('40');
  await height.blur();
  await s.shot('sharing-inside-subgraph');
  await crumbs.getByRole('button', { name: 'Dropped graph' }).click();
  await page.locator('.react-flow__node[data-id="size"]').waitFor();
  const d = await doc(page);
  const inner = (d.nodes[1]!.graph as { nodes: { inputs: Record<string, unknown> }[] }).nodes[0]!;
  assert.equal(inner.inputs.height, 40);
  await page.keyboard.press('Control+z');
  await untilDoc(page, 'd.nodes[1].graph.nodes[0].inputs.height === 32');
});

test('save to the library with name, description, tags; revisions; draft survives a reload', async () => {
  const { page } = s;
  await page.getByRole('tab', { name: 'library' }).click();
  await page.getByLabel('graph name').fill('My face pipeline');
  await page.getByLabel('graph description').fill('Sizes an image inside a subgraph');
  await page.getByLabel('graph tags').fill('faces, demo');
  await page.getByRole('button', { name: 'Save to library' }).click();
  await page.getByText('saved revision 1').waitFor();
  let d = await doc(page);
  assert.equal(d.name, 'My face pipeline');
  // A second save is revision 2 of the same graph.
  await page.locator('.react-flow__node[data-id="size"]').getByLabel('size.value', { exact: true }).fill('128');
  await page.keyboard.press('Control+s');
  await page.getByText('saved revision 2').waitFor();
  await page.locator('.revisions li').nth(1).waitFor();
  await s.shot('sharing-library-saved');

  await page.reload();
  await page.waitForSelector('.react-flow__node[data-id="size"]');
  d = await doc(page);
  assert.equal(d.name, 'My face pipeline', 'the autosaved draft came back after the reload');
  assert.equal(d.nodes[0]!.inputs.value, 128);

  // Open revision 1 from the list: its value is the old one.
  await page.getByRole('tab', { name: 'library' }).click();
  await page.locator('.revisions li', { hasText: 'r1' }).getByRole('button', { name: 'open' }).click();
  await untilDoc(page, 'd.nodes[0].inputs.value === 96');
});

test('a save from a second tab is a conflict, not a silent overwrite', async () => {
  const { page, context } = s;
  const other = await context.newPage();
  await other.goto(s.url);
  await other.getByRole('tab', { name: 'library' }).click();
  await other.locator('.graph-list').getByRole('button', { name: 'My face pipeline' }).click();
  await other.waitForSelector('.react-flow__node[data-id="size"]');
  await other.getByRole('button', { name: /Save revision 3/ }).click();
  await other.getByText('saved revision 3').waitFor();
  await other.close();

  // This tab still thinks the graph is at revision 2.
  await page.getByRole('button', { name: /Save revision 3/ }).click();
  const alert = page.locator('.conflict');
  await alert.waitFor();
  assert.match(await alert.innerText(), /revision 3, not 2/);
  await s.shot('sharing-conflict');
  await alert.getByRole('button', { name: 'Save mine on top' }).click();
  await page.getByText('saved revision 4').waitFor();
});

test('start from a template of the gallery', async () => {
  const { page } = s;
  await page.getByRole('tab', { name: 'templates' }).click();
  await page.getByRole('button', { name: 'template Gradient thumbnail' }).click();
  await untilDoc(page, 'd.name === "Gradient thumbnail" && d.nodes.length === 2');
  await page.locator('.react-flow__node[data-id="resize"]').waitFor();
  await s.shot('sharing-template');
});

test('dropping an output PNG or MP4 opens the graph that made it', async () => {
  const { page } = s;
  // An output PNG as the server hands it out: a run's output downloaded through its outputs route.
  const client = new CastgraphClient({ baseUrl: s.url });
  const { runId } = await client.submitRun({ graph: sample('from-png', 'Graph inside a PNG') as never });
  await until(async () => ((await client.getRun(runId)).status === 'succeeded' ? true : undefined), 'the run to succeed');
  const tagged = new Uint8Array(await (await client.downloadRunOutput(runId, 'body.image')).arrayBuffer());
  assert.equal(JSON.parse(readGraphText(tagged)!).id, 'from-png');
  await dropFile(page, 'output.png', 'image/png', tagged);
  await untilDoc(page, 'd.id === "from-png"');
  const png = new Uint8Array(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#2266aa' } }).png().toBuffer());
  await dropFile(page, 'plain.png', 'image/png', png);
  const toast = page.locator('.toast.error');
  await toast.waitFor();
  assert.match(await toast.innerText(), /carries no Castgraph graph/);
  await s.shot('sharing-dropped-png');

  // An output video, likewise: its graph is in the MP4's metadata, written by ffmpeg on download.
  const clipFile = join(tempDir('castgraph-e2e-clip-'), 'clip.mp4');
  await lavfiClip(clipFile);
  const clip = await client.uploadArtifact(readFileSync(clipFile), { mime: 'video/mp4', name: 'clip.mp4' });
  const pass = { ...sample('from-mp4', 'Graph inside an MP4'), inputs: [{ name: 'clip', node: 'clip', port: 'value' }], outputs: [{ name: 'clip', node: 'clip', port: 'value' }] };
  pass.nodes = [...pass.nodes, { id: 'clip', type: 'value.json', typeVersion: 1, inputs: {}, position: { x: 0, y: 200 } } as never];
  const clipRun = (await client.submitRun({ graph: pass as never, inputs: { clip: { $artifact: clip.$artifact } } })).runId;
  await until(async () => ((await client.getRun(clipRun)).status === 'succeeded' ? true : undefined), 'the clip run to succeed');
  const video = new Uint8Array(await (await client.downloadRunOutput(clipRun, 'clip')).arrayBuffer());
  await dropFile(page, 'output.mp4', 'video/mp4', video);
  await untilDoc(page, 'd.id === "from-mp4" && d.nodes.some((n) => n.id === "clip")');
  await page.locator('.react-flow__node[data-id="clip"]').waitFor();
  await s.shot('sharing-dropped-mp4');
  assert.deepEqual(s.errors.filter((e) => !/favicon|409/.test(e)), []);
});
