/** `npm start` builds the editor only when it is missing or stale, and serves it (or a page saying why not) beside the API. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareEditor } from '../../server/editor-build.ts';
import { raw, startTestServer, tempDir } from '../support/server.ts';
import { parseConfig } from '../../server/config.ts';
import { startServer } from '../../server/app.ts';
import { testRegistry } from '../support/server.ts';

const root = tempDir('castgraph-editor-');
after(() => rmSync(root, { recursive: true, force: true }));

describe('editor build', () => {
  it('says why when there is no Vite config', async () => {
    const state = await prepareEditor(join(root, 'empty'), () => {});
    assert.ok('missing' in state && /no vite\.config\.ts/.test(state.missing));
  });

  it('builds when dist is missing or older than the sources, and not otherwise', async () => {
    mkdirSync(join(root, 'editor'), { recursive: true });
    writeFileSync(join(root, 'package.json'), '{"type": "module"}\n');
    writeFileSync(join(root, 'vite.config.ts'), 'export default { logLevel: "silent" };\n');
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Studio</title><div id="app"></div><script type="module" src="/editor/main.js"></script>\n');
    writeFileSync(join(root, 'editor', 'main.js'), 'document.getElementById("app").textContent = "castgraph editor v1";\n');
    const logs: string[] = [];
    const first = await prepareEditor(root, (l) => logs.push(l));
    assert.ok('dir' in first, JSON.stringify(first));
    assert.equal(first.dir, join(root, 'dist'));
    const builtAt = statSync(join(root, 'dist', 'index.html')).mtimeMs;
    assert.equal(logs.filter((l) => l.startsWith('building')).length, 1);

    await prepareEditor(root, (l) => logs.push(l));
    assert.equal(logs.filter((l) => l.startsWith('building')).length, 1, 'up to date: no rebuild');
    assert.equal(statSync(join(root, 'dist', 'index.html')).mtimeMs, builtAt);

    const later = new Date(builtAt + 5_000);
    writeFileSync(join(root, 'editor', 'main.js'), 'document.getElementById("app").textContent = "castgraph editor v2";\n');
    utimesSync(join(root, 'editor', 'main.js'), later, later);
    await prepareEditor(root, (l) => logs.push(l));
    assert.equal(logs.filter((l) => l.startsWith('building')).length, 2, 'an edited source triggers a rebuild');
  });

  it('serves the built editor and the API on one port, with client-side routes falling back to index.html', async () => {
    const editor = await prepareEditor(root, () => {});
    const dataDir = tempDir();
    const server = await startServer({ config: parseConfig({ port: 0, dataDir }), registry: await testRegistry(), editor, log: () => {} });
    try {
      const index = await raw(server.url, 'GET', '/');
      assert.equal(index.status, 200);
      assert.match(index.text, /<title>Studio<\/title>/);
      assert.equal(index.headers.get('cache-control'), 'no-cache', 'a rebuilt editor is picked up at once');
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index.text)![1]!;
      const js = await raw(server.url, 'GET', asset);
      assert.match(js.text, /castgraph editor v2/);
      assert.match(js.headers.get('cache-control')!, /immutable/);
      assert.match((await raw(server.url, 'GET', '/graphs/some-id')).text, /<title>Studio<\/title>/);
      assert.equal((await raw(server.url, 'GET', '/api/health')).status, 200);
      assert.equal((await raw(server.url, 'GET', '/api/nope')).json.error.code, 'not_found', 'API paths never fall back to the page');
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('serves a page saying the editor is not built when it is not', async () => {
    const t = await startTestServer();
    try {
      const page = await raw(t.url, 'GET', '/');
      assert.equal(page.status, 200);
      assert.match(page.text, /The editor is not built/);
      assert.match(page.text, /\/api\/openapi\.json/);
    } finally {
      await t.close();
    }
  });
});
