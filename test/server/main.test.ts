/**
 * `npm start` (server/main.ts) as a process: clear refusals for a bad configuration or a busy port, a clean
 * stop, and no way for one request or one node's stray throw to take the process down.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import { CastgraphClient } from '../../runtime/client/index.ts';
import { graph, spawnServer, tempDir, until } from '../support/server.ts';

const SECRET = 'sk-live-stray-throw-secret-77';

/** Sends bytes as they are (fetch and ws cannot send a malformed request line) and reads until the server closes. */
function rawRequest(url: string, text: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    let got = '';
    const socket = connect(Number(u.port), u.hostname, () => socket.end(text));
    socket.on('data', (d: Buffer) => (got += d.toString()));
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(text.split('\r\n')[0])}`)));
  });
}

type Failure = Error & { code?: number };

describe('server/main.ts', () => {
  it('refuses a bad configuration, naming the field', async () => {
    await assert.rejects(spawnServer({ CASTGRAPH_RUN_CONCURRENCY: 'lots', CASTGRAPH_DATA: tempDir() }), (e: Failure) => {
      assert.equal(e.code, 2);
      assert.match(e.message, /invalid server configuration:\n\s+runConcurrency: /);
      assert.doesNotMatch(e.message, /\bat .*\.ts:\d+/, 'no stack trace');
      return true;
    });
  });

  it('says so when the port is taken', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as { port: number }).port;
    try {
      await assert.rejects(spawnServer({ CASTGRAPH_PORT: String(port), CASTGRAPH_DATA: tempDir() }), (e: Failure) => {
        assert.equal(e.code, 2);
        assert.match(e.message, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
        return true;
      });
    } finally {
      holder.close();
    }
  });

  it('prints its URL, answers, and exits 0 on SIGTERM', async () => {
    const server = await spawnServer({ CASTGRAPH_DATA: tempDir() });
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await fetch(`${server.url}/api/health`)).status, 200);
    assert.equal(await server.stop(), 0);
  });

  it('survives a malformed WebSocket upgrade and a node throwing from a timer, logging with secrets masked', async () => {
    const server = await spawnServer({ CASTGRAPH_DATA: tempDir(), CASTGRAPH_SECRET_PROVIDER_KEY: SECRET });
    try {
      const port = new URL(server.url).port;
      const upgrade = (target: string) =>
        rawRequest(server.url, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
      assert.match(await upgrade('http://['), /^HTTP\/1\.1 (400|404) /, 'an unparsable absolute-form target is answered, not thrown');
      assert.match(await upgrade('http://[/api/events?token=x'), /^HTTP\/1\.1 (400|404) /);
      assert.match(await upgrade('/nowhere'), /^HTTP\/1\.1 404 /);
      assert.match(await rawRequest(server.url, `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`), /^HTTP\/1\.1 \d{3} /);
      assert.equal((await fetch(`${server.url}/api/health`)).status, 200, 'still serving');
      assert.doesNotMatch(server.output(), /uncaught exception/, 'answered by the upgrade handler, not rescued by the last resort');

      const client = new CastgraphClient({ baseUrl: server.url });
      const { runId } = await client.submitRun({ graph: graph('Throw', [{ id: 't', type: 'test.stray_throw', inputs: { name: 'PROVIDER_KEY' } }], { outputs: { ok: 't.ok' } }) as never });
      await until(async () => ((await client.getRun(runId)).status === 'succeeded' ? true : undefined), 'the run');
      await until(() => (/uncaught exception \(ignored\): a stray throw from a buggy node/.test(server.output()) ? true : undefined), 'the log line');
      assert.ok(!server.output().includes(SECRET), 'the secret in the error is masked in the log');
      assert.match(server.output(), /key \[secret\]/);
      const again = await client.submitRun({ graph: graph('After', [{ id: 'n', type: 'value.int', inputs: { value: 3 } }], { outputs: { n: 'n.value' } }) as never });
      await until(async () => ((await client.getRun(again.runId)).status === 'succeeded' ? true : undefined), 'a run after the throw');
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
