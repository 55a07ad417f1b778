/** Graph library and templates over real HTTP: CRUD, search/tags/sort, revisions, import/export, templates, and their error classes. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CastgraphApiError } from '../../runtime/client/index.ts';
import { graph, raw, startTestServer, tempDir, type TestServer } from '../support/server.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };
let t: TestServer;
let templatesDir: string;

before(async () => {
  templatesDir = tempDir('castgraph-templates-');
  writeFileSync(join(templatesDir, 'starter.json'), JSON.stringify(graph('Starter', [{ id: 'n', type: 'value.int', inputs: { value: 1 } }], { tags: ['template'] })));
  writeFileSync(join(templatesDir, 'broken.json'), '{"not": "a graph"}');
  t = await startTestServer({ maxBodyBytes: 64 * 1024 }, { templatesDir });
});
after(async () => {
  await t.close();
  rmSync(templatesDir, { recursive: true, force: true });
});

const int = (name: string, value: number, tags?: string[]) => graph(name, [{ id: 'a', type: 'value.int', inputs: { value } }], { tags }) as never;

describe('graph library', () => {
  it('creates, reads, updates (a revision per save) and deletes a graph', async () => {
    const created = await t.client.createGraph(int('Portrait batch', 1, ['faces']), { message: 'first' });
    assert.equal(created.entry.id, 'portrait-batch');
    assert.equal(created.entry.revision, 1);
    assert.deepEqual(created.entry.tags, ['faces']);
    assert.equal(created.document.id, 'portrait-batch');

    const got = await t.client.getGraph('portrait-batch');
    assert.equal((got.document.nodes[0]!.inputs as { value: number }).value, 1);

    const updated = await t.client.updateGraph('portrait-batch', int('Portrait batch', 2, ['faces', 'v2']), { message: 'second', baseRevision: 1 });
    assert.equal(updated.entry.revision, 2);
    assert.deepEqual(updated.entry.revisions.map((r) => r.message), ['first', 'second']);

    await assert.rejects(t.client.updateGraph('portrait-batch', int('Portrait batch', 3), { baseRevision: 1 }), (e: CastgraphApiError) => e.status === 409 && /revision 2/.test(e.message));

    const r1 = await t.client.revision('portrait-batch', 1);
    assert.equal((r1.document.nodes[0]!.inputs as { value: number }).value, 1);
    const restored = await t.client.restoreRevision('portrait-batch', 1);
    assert.equal(restored.entry.revision, 3);
    assert.equal(restored.entry.revisions.at(-1)!.restoredFrom, 1);
    assert.equal(((await t.client.getGraph('portrait-batch')).document.nodes[0]!.inputs as { value: number }).value, 1);
    assert.equal((await t.client.revisions('portrait-batch')).length, 3);

    // Every revision is its own file, written atomically: no temporary files are left behind.
    const dir = join(t.dataDir, 'library', 'portrait-batch');
    assert.deepEqual(readdirSync(dir).sort(), ['entry.json', 'rev-1.json', 'rev-2.json', 'rev-3.json']);

    await t.client.deleteGraph('portrait-batch');
    assert.equal(existsSync(dir), false);
    await assert.rejects(t.client.getGraph('portrait-batch'), (e: CastgraphApiError) => e.status === 404 && e.code === 'not_found');
  });

  it('lists with search, tags, sorting and paging', async () => {
    await t.client.createGraph(int('Alpha upscale', 1, ['upscale']), { id: 'alpha' });
    await t.client.createGraph(int('Beta faces', 1, ['faces', 'upscale']), { id: 'beta' });
    await t.client.createGraph(int('Gamma', 1), { id: 'gamma' });
    await t.client.updateGraph('alpha', int('Alpha upscale', 5, ['upscale']));

    const byName = await t.client.listGraphs({ sort: 'name' });
    assert.deepEqual(byName.items.map((g) => g.id), ['alpha', 'beta', 'gamma']);
    assert.deepEqual((await t.client.listGraphs({ sort: 'name', order: 'desc', limit: 2 })).items.map((g) => g.id), ['gamma', 'beta']);
    assert.equal((await t.client.listGraphs({ sort: 'name', offset: 2 })).items[0]!.id, 'gamma');
    assert.equal((await t.client.listGraphs()).items[0]!.id, 'alpha', 'default order: most recently updated first');
    assert.deepEqual((await t.client.listGraphs({ q: 'FACES' })).items.map((g) => g.id), ['beta']);
    assert.deepEqual((await t.client.listGraphs({ tag: 'upscale', sort: 'name' })).items.map((g) => g.id), ['alpha', 'beta']);
    assert.deepEqual((await t.client.listGraphs({ tag: ['upscale', 'faces'] })).items.map((g) => g.id), ['beta']);
    const all = await t.client.listGraphs();
    assert.equal(all.total, 3);
    assert.equal('revisions' in all.items[0]!, false, 'list items are summaries');

    const bad = await raw(t.url, 'GET', '/api/graphs?sort=size&limit=0');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json.error.issues.map((i: { path: string }) => i.path).sort(), ['query.limit', 'query.sort']);
  });

  it('exports a document and imports it back under a new id', async () => {
    const exported = await raw(t.url, 'GET', '/api/graphs/gamma/export');
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-disposition')!, /^attachment; filename="?gamma\.castgraph\.json"?$/);
    const imported = await t.client.importGraph(exported.json);
    assert.equal(imported.entry.id, 'gamma-2');
    assert.equal(imported.entry.revisions[0]!.message, 'imported');
    const named = await t.client.importGraph(exported.json, 'gamma-copy');
    assert.equal(named.entry.id, 'gamma-copy');
    await assert.rejects(t.client.importGraph(exported.json, 'gamma-copy'), (e: CastgraphApiError) => e.status === 409);
  });

  it('lists templates read-only and copies one into the library', async () => {
    const templates = await t.client.templates();
    assert.deepEqual(templates.map((x) => x.id), ['starter'], 'a file that is not a graph is not listed');
    assert.equal((await t.client.template('starter')).name, 'Starter');
    const copy = await t.client.copyTemplate('starter', { name: 'My starter' });
    assert.equal(copy.entry.id, 'my-starter');
    assert.equal(copy.entry.revisions[0]!.message, 'copied from template starter');
    assert.equal((await raw(t.url, 'PUT', '/api/templates/starter', { body: '{}', headers: JSON_HEADERS })).status, 404, 'templates cannot be written');
    await assert.rejects(t.client.template('nope'), (e: CastgraphApiError) => e.status === 404);
  });

  it('answers every error class with the error shape and field paths', async () => {
    const malformed = await raw(t.url, 'POST', '/api/graphs', { body: '{"document": ', headers: JSON_HEADERS });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json.error.code, 'invalid_json');

    const wrong = await raw(t.url, 'POST', '/api/graphs', {
      body: JSON.stringify({ document: { ...(int('X', 1) as object), nodes: [{ id: 'a', type: 'Value', typeVersion: 'one' }] }, extra: 1 }),
      headers: JSON_HEADERS,
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json.error.code, 'validation_failed');
    const paths = wrong.json.error.issues.map((i: { path: string }) => i.path);
    assert.ok(paths.includes('body.document.nodes[0].type'), paths.join());
    assert.ok(paths.includes('body.document.nodes[0].typeVersion'), paths.join());
    assert.ok(paths.includes('body'), 'unknown top-level keys are refused');

    const big = await raw(t.url, 'POST', '/api/graphs', { body: JSON.stringify({ document: int('Big', 1), message: 'x'.repeat(70 * 1024) }), headers: JSON_HEADERS });
    assert.equal(big.status, 413);
    assert.equal(big.json.error.code, 'payload_too_large');

    const text = await raw(t.url, 'POST', '/api/graphs', { body: 'hello', headers: { 'content-type': 'text/plain' } });
    assert.equal(text.status, 415);

    for (const path of ['/api/graphs/nope', '/api/graphs/..%2F..%2Fetc', '/api/graphs/a%00b/revisions', '/api/graphs/alpha/revisions/99', '/api/nothing-here']) {
      const r = await raw(t.url, 'GET', path);
      assert.equal(r.status, 404, path);
      assert.equal(r.json.error.code, 'not_found', path);
    }
    const badRev = await raw(t.url, 'GET', '/api/graphs/alpha/revisions/first');
    assert.equal(badRev.status, 400);
    assert.equal(badRev.json.error.issues[0].path, 'params.rev');
    const badId = await raw(t.url, 'POST', '/api/graphs', { body: JSON.stringify({ document: int('Y', 1), id: '../evil' }), headers: JSON_HEADERS });
    assert.equal(badId.status, 400);
    assert.equal(badId.json.error.issues[0].path, 'body.id');
  });

  it('survives a restart: the library is read back from disk', async () => {
    const dataDir = tempDir();
    const a = await startTestServer({}, { dataDir });
    await a.client.createGraph(int('Kept', 1), { id: 'kept' });
    await a.client.updateGraph('kept', int('Kept', 2));
    await a.close();
    const b = await startTestServer({}, { dataDir });
    try {
      const got = await b.client.getGraph('kept');
      assert.equal(got.entry.revision, 2);
      assert.equal(((await b.client.revision('kept', 1)).document.nodes[0]!.inputs as { value: number }).value, 1);
    } finally {
      await b.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('never shows a stack trace, even when the data folder is damaged', async () => {
    await t.client.createGraph(int('Damaged', 1), { id: 'damaged' });
    rmSync(join(t.dataDir, 'library', 'damaged', 'rev-1.json'));
    const r = await raw(t.url, 'GET', '/api/graphs/damaged');
    assert.equal(r.status, 500);
    assert.equal(r.json.error.code, 'internal');
    assert.doesNotMatch(r.text, /\bat .*\.ts:\d+/);
  });
});
