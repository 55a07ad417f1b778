/** Webhooks against a real local receiver that fails at first: HMAC signature over timestamp and raw body, retries with backoff, attempts recorded. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { verifySignature } from '../../server/webhooks.ts';
import { graph, startTestServer, tempDir, until, type TestServer } from '../support/server.ts';

const SECRET = 'whsec-test-0123456789abcdef';
interface Received {
  at: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let t: TestServer;
let receiver: Server;
let hookUrl: string;
const received: Received[] = [];
/** How many of the next deliveries the receiver answers with a 503. */
let failNext = 0;

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ at: Date.now(), headers: req.headers, body });
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end('busy');
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  t = await startTestServer({ webhookSecret: SECRET, webhookBackoffMs: 50, webhookAttempts: 4 });
});
after(async () => {
  await t.close();
  receiver.close();
});

describe('webhooks', () => {
  it('signs the completion payload and retries with exponential backoff until the receiver accepts', async () => {
    received.length = 0;
    failNext = 2;
    const { runId } = await t.client.submitRun({ graph: graph('Hooked', [{ id: 'v', type: 'value.text', inputs: { value: 'hi' } }], { outputs: { v: 'v.value' } }) as never, webhook: { url: hookUrl } });
    const run = await until(async () => {
      const r = await t.client.getRun(runId);
      return r.webhook?.state === 'delivered' ? r : undefined;
    }, 'the webhook to be delivered');

    assert.equal(received.length, 3);
    const deliveries = run.webhook!.deliveries;
    assert.deepEqual(deliveries.map((d) => [d.attempt, d.status]), [[1, 503], [2, 503], [3, 204]]);
    const gaps = received.slice(1).map((r, i) => r.at - received[i]!.at);
    assert.ok(gaps[0]! >= 45 && gaps[1]! >= 95, `backoff doubles: ${gaps}`);

    const last = received.at(-1)!;
    const payload = JSON.parse(last.body);
    assert.deepEqual([payload.type, payload.runId, payload.status, payload.outputs], ['run.completed', runId, 'succeeded', { v: 'hi' }]);
    assert.equal(last.headers['content-type'], 'application/json');
    assert.equal(last.headers['castgraph-attempt'], '3');
    assert.equal(received[0]!.headers['castgraph-delivery'], last.headers['castgraph-delivery'], 'one delivery id across retries');

    // Verify independently of the server's code: HMAC-SHA256(secret, `${t}.${raw body}`).
    const sig = String(last.headers['castgraph-signature']);
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig);
    assert.ok(m, sig);
    assert.equal(createHmac('sha256', SECRET).update(`${m![1]}.${last.body}`).digest('hex'), m![2]);
    assert.ok(Math.abs(Number(m![1]) - Date.now() / 1000) < 60);
    assert.equal(verifySignature(SECRET, sig, last.body), true);
    assert.equal(verifySignature(SECRET, sig, last.body.replace('hi', 'ho')), false, 'a changed body fails');
    assert.equal(verifySignature('another-secret-0123456789', sig, last.body), false);
    assert.equal(verifySignature(SECRET, sig, last.body, 300, Date.now() + 3_600_000), false, 'an old signature fails');
  });

  it('gives up after the configured attempts and records each one; failed runs notify too', async () => {
    received.length = 0;
    failNext = 10;
    const notPng = await t.client.uploadArtifact(new TextEncoder().encode('not a picture'), { mime: 'image/png' });
    const bad = graph('Fails', [{ id: 'img', type: 'image.load', inputs: { file: notPng } }]);
    const { runId } = await t.client.submitRun({ graph: bad as never, webhook: { url: hookUrl } });
    const run = await until(async () => {
      const r = await t.client.getRun(runId);
      return r.webhook?.state === 'failed' ? r : undefined;
    }, 'the webhook to give up');
    assert.equal(run.status, 'failed');
    assert.equal(run.webhook!.deliveries.length, 4);
    assert.equal(received.length, 4);
    assert.equal(JSON.parse(received[0]!.body).status, 'failed');
    assert.ok(JSON.parse(received[0]!.body).error.message);
    failNext = 0;
  });

  it('records network errors as failed attempts', async () => {
    const { runId } = await t.client.submitRun({ graph: graph('Nowhere', [{ id: 'v', type: 'value.int', inputs: { value: 5 } }]) as never, webhook: { url: 'http://127.0.0.1:9/unreachable' } });
    const run = await until(async () => {
      const r = await t.client.getRun(runId);
      return r.webhook?.state === 'failed' ? r : undefined;
    }, 'the webhook to give up');
    assert.ok(run.webhook!.deliveries.every((d) => d.status === undefined && /cannot reach/.test(d.error!)));
  });

  it('resumes a delivery still pending at shutdown after the next start', async () => {
    const dataDir = tempDir();
    received.length = 0;
    failNext = 1;
    const a = await startTestServer({ webhookSecret: SECRET, webhookBackoffMs: 60_000 }, { dataDir });
    const { runId } = await a.client.submitRun({ graph: graph('Later', [{ id: 'v', type: 'value.int', inputs: { value: 9 } }]) as never, webhook: { url: hookUrl } });
    await until(() => (received.length === 1 ? true : undefined), 'the first (refused) attempt');
    await a.close(); // mid-backoff: the delivery stays pending in the run record
    const b = await startTestServer({ webhookSecret: SECRET, webhookBackoffMs: 50 }, { dataDir });
    try {
      const run = await until(async () => {
        const r = await b.client.getRun(runId);
        return r.webhook?.state === 'delivered' ? r : undefined;
      }, 'redelivery after restart');
      assert.deepEqual(run.webhook!.deliveries.map((d) => d.status), [503, 204]);
      assert.equal(received.length, 2);
    } finally {
      await b.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
