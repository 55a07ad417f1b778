/** GET /api/node-types: every registered definition as plain JSON (ports, types, defaults, constraints, docs, resource class), never code. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, testRegistry, type TestServer } from '../support/server.ts';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(() => t.close());

describe('GET /api/node-types', () => {
  it('lists every registered type with its ports and constraints', async () => {
    const types = await t.client.nodeTypes();
    const registry = await testRegistry();
    assert.deepEqual(types.map((x) => x.type), registry.list().map((d) => d.type));
    const create = types.find((x) => x.type === 'image.create')!;
    assert.equal(create.category, 'image');
    assert.equal(create.resource, 'cpu');
    assert.equal(create.cache, 'deterministic');
    assert.deepEqual(create.inputs.fill!.values, ['solid', 'linear_gradient']);
    assert.equal(create.inputs.width!.type, 'int');
    assert.equal(create.inputs.width!.min, 1);
    assert.equal(create.inputs.width!.default, 512);
    assert.equal(create.outputs.image!.type, 'image');
    assert.ok(create.docs && create.description);
    assert.equal(types.find((x) => x.type === 'test.secret_echo')!.cache, 'volatile');
    const loop = types.find((x) => x.type === 'flow.loop')!;
    assert.equal(loop.control, 'loop');
    assert.equal(loop.dynamicPorts, true);
  });

  it('is plain JSON: no functions, and it survives a JSON round trip unchanged', async () => {
    const res = await t.client.fetch('GET', '/api/node-types');
    const text = await res.text();
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.doesNotMatch(text, /=>|function\s*\(|\brun\b"\s*:/);
    const parsed = JSON.parse(text);
    assert.deepEqual(JSON.parse(JSON.stringify(parsed)), parsed);
    for (const x of parsed.items) assert.deepEqual(Object.keys(x).filter((k) => !['type', 'version', 'title', 'category', 'description', 'docs', 'inputs', 'outputs', 'resource', 'cache', 'retry', 'control', 'dynamicPorts', 'migrations'].includes(k)), []);
  });
});
