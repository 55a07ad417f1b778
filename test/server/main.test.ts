/** `npm start` (server/main.ts) as a process: clear refusals for a bad configuration or a busy port, and a clean stop. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { spawnServer, tempDir } from '../support/server.ts';

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
});
