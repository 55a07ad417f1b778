/** The responses match the schemas the OpenAPI document publishes (the same zod schemas), so the documentation cannot drift from what the server sends. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import sharp from 'sharp';
import * as S from '../../runtime/api/schemas.ts';
import { graph, startTestServer, until, type TestServer } from '../support/server.ts';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(() => t.close());

function conforms(schema: z.ZodType, value: unknown, what: string): void {
  const r = schema.safeParse(value);
  assert.ok(r.success, `${what}: ${JSON.stringify(r.error?.issues.slice(0, 3))}`);
}

describe('responses follow the published schemas', () => {
  it('library, templates, node types', async () => {
    const doc = graph('Contract', [{ id: 'a', type: 'value.int', inputs: { value: 1 } }], { tags: ['x'] }) as never;
    conforms(S.GraphWithDocument, await t.client.createGraph(doc), 'POST /api/graphs');
    conforms(S.GraphWithDocument, await t.client.updateGraph('contract', doc), 'PUT /api/graphs/:id');
    conforms(S.GraphList, await t.client.listGraphs(), 'GET /api/graphs');
    conforms(S.RevisionList, { items: await t.client.revisions('contract') }, 'GET /api/graphs/:id/revisions');
    conforms(S.RevisionDocument, await t.client.revision('contract', 1), 'GET /api/graphs/:id/revisions/:rev');
    conforms(S.TemplateList, { items: await t.client.templates() }, 'GET /api/templates');
    conforms(S.NodeTypeList, { items: await t.client.nodeTypes() }, 'GET /api/node-types');
  });

  it('runs, events, queue, artifacts', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } }).png().toBuffer();
    const ref = await t.client.uploadArtifact(png, { mime: 'image/png' });
    conforms(S.ArtifactRefSchema, ref, 'POST /api/artifacts');
    conforms(S.ArtifactRefSchema, await t.client.artifactMeta(ref.$artifact), 'GET /api/artifacts/:hash/meta');
    const g = graph('Run', [{ id: 'r', type: 'image.resize', inputs: { width: 4 } }], { inputs: { photo: 'r.image' }, outputs: { out: 'r.image' } });
    const accepted = await t.client.submitRun({ graph: g as never, inputs: { photo: { $artifact: ref.$artifact } } });
    conforms(S.RunAccepted, accepted, 'POST /api/runs');
    const run = await until(async () => {
      const r = await t.client.getRun(accepted.runId);
      return r.status === 'succeeded' ? r : undefined;
    }, 'the run');
    conforms(S.RunRecordSchema, run, 'GET /api/runs/:id');
    conforms(S.RunList, await t.client.listRuns(), 'GET /api/runs');
    conforms(S.RunEventList, await t.client.runEvents(accepted.runId), 'GET /api/runs/:id/events');
    conforms(S.QueueState, await t.client.queue(), 'GET /api/queue');
  });
});
