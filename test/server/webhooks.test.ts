/**
 * Webhooks against a real local receiver that fails at first: HMAC signature over timestamp and raw body,
 * retries with backoff, attempts recorded. The receiver is on loopback, so these servers allow private
 * targets; the default (refusing them: no SSRF) is tested at the end, at submission and at connection time.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { verifySignature } from '../../server/webhooks.ts';
import { graph, raw, startTestServer, tempDir, until, type TestServer } from '../support/server.ts';

const SECRET = 'whsec-test-0123456789abcdef';
interface Received {
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
      received.push({ headers: req.headers, body });
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end('busy');
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  t = await startTestServer({ webhookSecret: SECRET, webhookBackoffMs: 50, webhookAttempts: 4, webhookAllowPrivate: true });
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
    assert.deepEqual(deliveries.map((d) => [d.attempt, d.status, d.retryInMs]), [[1, 503, 50], [2, 503, 100], [3, 204, undefined]], 'the backoff doubles');

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
    const a = await startTestServer({ webhookSecret: SECRET, webhookBackoffMs: 60_000, webhookAllowPrivate: true }, { dataDir });
    const { runId } = await a.client.submitRun({ graph: graph('Later', [{ id: 'v', type: 'value.int', inputs: { value: 9 } }]) as never, webhook: { url: hookUrl } });
    await until(() => (received.length === 1 ? true : undefined), 'the first (refused) attempt');
    await a.close(); // mid-backoff: the delivery stays pending in the run record
    const b = await startTestServer({ webhookSecret: SECRET, webhookBackoffMs: 50, webhookAllowPrivate: true }, { dataDir });
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

  it('refuses private, loopback and link-local receivers and URLs with credentials by default, naming the field', async () => {
    const strict = await startTestServer({ webhookSecret: SECRET });
    try {
      const port = new URL(hookUrl).port;
      const cases: Array<[string, RegExp]> = [
        [hookUrl, /127\.0\.0\.1 is not a public address/],
        ['http://10.0.0.1/hook', /10\.0\.0\.1 is not a public address/],
        ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is not a public address/],
        [`http://localhost:${port}/hook`, /localhost resolves to .*(127\.0\.0\.1|::1).*, not a public address/],
        ['http://[::1]/hook', /::1 is not a public address/],
        ['http://[::ffff:127.0.0.1]/hook', /not a public address/],
        ['http://[fd00::1]/hook', /not a public address/],
        ['http://0.0.0.0/hook', /not a public address/],
        ['http://192.168.1.10/hook', /not a public address/],
        ['http://172.16.5.4/hook', /not a public address/],
        ['http://user:pass@example.com/hook', /credentials in the URL/],
      ];
      received.length = 0;
      for (const [url, why] of cases) {
        const r = await raw(strict.url, 'POST', '/api/runs', {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ graph: graph('Probe', [{ id: 'v', type: 'value.int', inputs: { value: 1 } }]), webhook: { url } }),
        });
        assert.equal(r.status, 400, url);
        assert.equal(r.json.error.code, 'validation_failed');
        assert.deepEqual(r.json.error.issues.map((i: { path: string }) => i.path), ['body.webhook.url'], url);
        assert.match(r.json.error.issues[0].message, why, url);
        assert.match(r.json.error.issues[0].message, /CASTGRAPH_WEBHOOK_ALLOW_PRIVATE|credentials/);
      }
      assert.equal((await strict.client.listRuns()).total, 0, 'no run was created');
      assert.equal(received.length, 0, 'nothing reached the receiver');
    } finally {
      await strict.close();
    }
  });

  it('checks again when connecting: a receiver accepted earlier is refused once it resolves to a private address', async () => {
    // Stands in for DNS rebinding: the URL passed the check when the run was submitted (private targets
    // were allowed then), and is delivered by a server that refuses them, through a name (not a literal).
    const dataDir = tempDir();
    received.length = 0;
    failNext = 1;
    const named = hookUrl.replace('127.0.0.1', 'localhost');
    const a = await startTestServer({ webhookSecret: SECRET, webhookBackoffMs: 60_000, webhookAllowPrivate: true }, { dataDir });
    const { runId } = await a.client.submitRun({ graph: graph('Rebound', [{ id: 'v', type: 'value.int', inputs: { value: 2 } }]) as never, webhook: { url: named } });
    await until(() => (received.length === 1 ? true : undefined), 'the first attempt');
    await a.close();
    const b = await startTestServer({ webhookSecret: SECRET, webhookBackoffMs: 50 }, { dataDir });
    try {
      const run = await until(async () => {
        const r = await b.client.getRun(runId);
        return r.webhook?.state === 'failed' ? r : undefined;
      }, 'the delivery to be refused');
      const last = run.webhook!.deliveries.at(-1)!;
      assert.equal(run.webhook!.deliveries.length, 2, 'refused once, not retried');
      assert.equal(last.status, undefined);
      assert.match(last.error!, /^refused: localhost resolves to .*not a public address/);
      assert.equal(received.length, 1, 'the second attempt never connected');
    } finally {
      await b.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('shows the receiver URL with its query values masked, and delivers to the real one', async () => {
    received.length = 0;
    failNext = 0;
    const KEY = 'hook-key-NEVER-SHOWN-31';
    const { runId } = await t.client.submitRun({ graph: graph('Keyed', [{ id: 'v', type: 'value.int', inputs: { value: 4 } }]) as never, webhook: { url: `${hookUrl}?key=${KEY}&team=a#frag` } });
    const run = await until(async () => {
      const r = await t.client.getRun(runId);
      return r.webhook?.state === 'delivered' ? r : undefined;
    }, 'the delivery');
    assert.equal(run.webhook!.url, `${hookUrl}?key=***&team=***`);
    assert.equal(received.length, 1);
    const listed = await t.client.fetch('GET', '/api/runs').then((r) => r.text());
    assert.ok(listed.includes(`${hookUrl}?key=***`) && !listed.includes(KEY));
    const file = join(t.dataDir, 'runs', `${runId}.status.json`);
    const status = await until(() => (existsSync(file) && readFileSync(file, 'utf8').includes('"delivered"') ? readFileSync(file, 'utf8') : undefined), 'the snapshot');
    assert.ok(!status.includes(KEY), 'the public record on disk is masked too');
  });
});
