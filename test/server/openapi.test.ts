/** The OpenAPI document: valid OpenAPI 3.1, generated from the validating schemas, and covering every route the server answers. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { raw, startTestServer, type TestServer } from '../support/server.ts';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(() => t.close());

describe('GET /api/openapi.json', () => {
  it('validates as OpenAPI 3.1 with every $ref resolving', async () => {
    const doc = await t.client.openapi();
    assert.equal(doc.openapi, '3.1.0');
    const validator = new Validator();
    const res = await validator.validate(structuredClone(doc) as never);
    assert.equal(res.valid, true, JSON.stringify(res.errors, null, 2));
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
    assert.ok(refs.length > 20);
    for (const r of refs) assert.ok(r.startsWith('#/components/schemas/') && schemas[r.slice(21)], r);
  });

  it('describes request bodies with the same constraints the server enforces', async () => {
    const doc = (await t.client.openapi()) as any;
    const runCreate = doc.components.schemas.RunCreate;
    assert.deepEqual([runCreate.properties.priority.minimum, runCreate.properties.priority.maximum], [-1000, 1000]);
    assert.equal(runCreate.additionalProperties, false);
    const over = await raw(t.url, 'POST', '/api/runs', { body: JSON.stringify({ graphId: 'x', priority: 1001 }), headers: { 'content-type': 'application/json' } });
    assert.equal(over.status, 400);
    assert.equal(over.json.error.issues[0].path, 'body.priority');
    assert.equal(doc.components.schemas.GraphDocument.properties.format.const, 'castgraph.graph');
  });

  it('documents every route the server serves, and each documented route exists', async () => {
    const doc = (await t.client.openapi()) as any;
    const paths = Object.keys(doc.paths);
    for (const p of paths) {
      for (const method of Object.keys(doc.paths[p]).filter((m) => ['get', 'post', 'put', 'delete'].includes(m))) {
        const concrete = p.replace('{id}', 'nothing').replace('{rev}', '1').replace('{hash}', '0'.repeat(64)).replace('{file}', 'nothing.onnx');
        const r = await raw(t.url, method.toUpperCase(), concrete, method === 'get' || method === 'delete' ? {} : { body: '{}', headers: { 'content-type': 'application/json' } });
        assert.notEqual(r.json?.error?.message?.startsWith('no API route'), true, `${method} ${p} is routed`);
      }
    }
    assert.equal((await raw(t.url, 'GET', '/api/not-documented')).json.error.message, 'no API route GET /not-documented');
  });
});
