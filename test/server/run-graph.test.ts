/** `GET /api/runs/:id/graph` over real HTTP: the document a run executed (inline or library), kept across a restart; 404s. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CastgraphApiError } from '../../runtime/client/index.ts';
import { graph, raw, startTestServer, tempDir, until, type TestServer } from '../support/server.ts';

let t: TestServer;
let dataDir: string;
before(async () => {
  dataDir = tempDir('castgraph-run-graph-');
  t = await startTestServer({}, { dataDir });
});
after(() => t.close());

const ints = (name: string, a: number, b: number) =>
  graph(name, [
    { id: 'a', type: 'value.int', inputs: { value: a } },
    { id: 'b', type: 'value.int', inputs: { value: b } },
  ], { outputs: { a: 'a.value', b: 'b.value' } });

async function ended(runId: string, server = t): Promise<void> {
  await until(async () => (['succeeded', 'failed'].includes((await server.client.getRun(runId)).status) ? true : undefined), `run ${runId} to end`);
}

describe('GET /api/runs/:id/graph', () => {
  it('returns the inline document the run executed, not what was submitted later', async () => {
    const first = ints('Pair', 1, 2);
    const { runId } = await t.client.submitRun({ graph: first as never });
    await t.client.submitRun({ graph: ints('Pair', 5, 6) as never });
    await ended(runId);
    assert.deepEqual(await t.client.runGraph(runId), first);
  });

  it('returns a library graph at the revision that ran, even after newer revisions and a restart', async () => {
    await t.client.createGraph(ints('Lib pair', 1, 1) as never, { id: 'lib-pair' });
    await t.client.updateGraph('lib-pair', ints('Lib pair', 1, 9) as never);
    const { runId } = await t.client.submitRun({ graphId: 'lib-pair@1' });
    await ended(runId);
    await t.client.updateGraph('lib-pair', ints('Lib pair', 3, 3) as never);
    const ran = (await t.client.runGraph(runId)) as unknown as { nodes: { inputs: { value: number } }[] };
    assert.deepEqual(ran.nodes.map((n) => n.inputs.value), [1, 1]);

    await t.close();
    t = await startTestServer({}, { dataDir });
    const after = await raw(t.url, 'GET', `/api/runs/${runId}/graph`);
    assert.equal(after.status, 200);
    assert.match(after.headers.get('content-type')!, /^application\/json/);
    assert.deepEqual(after.json.nodes.map((n: { inputs: { value: number } }) => n.inputs.value), [1, 1]);
  });

  it('answers 404 for unknown and malformed run ids, without a stack trace', async () => {
    await assert.rejects(t.client.runGraph('run_unknown'), (e: CastgraphApiError) => e.status === 404 && e.code === 'not_found');
    for (const id of ['run_nope', '..%2F..%2Fetc%2Fpasswd', '..%2Fruns%2Fx', 'x'.repeat(80)]) {
      const r = await raw(t.url, 'GET', `/api/runs/${id}/graph`);
      assert.equal(r.status, 404, id);
      assert.equal(r.json.error.code, 'not_found');
      assert.doesNotMatch(r.text, /\bat \S+ \(/);
    }
  });

  it('is documented in the OpenAPI document as a GraphDocument', async () => {
    const doc = (await t.client.openapi()) as { paths: Record<string, { get?: { operationId: string; responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> } }> };
    const op = doc.paths['/api/runs/{id}/graph']!.get!;
    assert.equal(op.operationId, 'getRunGraph');
    assert.equal(op.responses['200']!.content!['application/json']!.schema.$ref, '#/components/schemas/GraphDocument');
    assert.ok(op.responses['404']);
  });
});
