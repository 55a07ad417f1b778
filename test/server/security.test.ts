/** Security defaults over real HTTP/WebSocket: token off loopback, CORS closed, Host check, cross-site writes refused, secrets never returned, stored or logged. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { createHmac } from 'node:crypto';
import sharp from 'sharp';
import { WebSocket } from 'ws';
import { UrlSigner } from '../../server/http/signed-urls.ts';
import { UrlKey } from '../../runtime/api/schemas.ts';
import { graph, raw, spawnServer, startTestServer, until, type TestServer } from '../support/server.ts';

const TOKEN = 'tok-0123456789abcdef-xyz';
const SECRET = 'sk-live-THIS-MUST-NEVER-LEAK-42';

function wsStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

/** fetch may not set Host; node:http can. */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    request({ hostname: u.hostname, port: u.port, path: '/api/health', headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('security', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ host: '0.0.0.0', token: TOKEN, corsOrigins: ['https://studio.example.com'], secrets: { OPENAI_API_KEY: SECRET } });
  });
  after(() => t.close());
  const local = () => t.url.replace('0.0.0.0', '127.0.0.1');

  it('refuses to start off loopback without a token', async () => {
    await assert.rejects(spawnServer({ CASTGRAPH_HOST: '0.0.0.0', CASTGRAPH_TOKEN: '' }), (e: Error & { code?: number }) => {
      assert.equal(e.code, 2);
      assert.match(e.message, /not a loopback address, so a token is required: set CASTGRAPH_TOKEN/);
      return true;
    });
  });

  it('requires the bearer token on every API call and on the event stream', async () => {
    for (const [method, path] of [['GET', '/api/graphs'], ['GET', '/api/node-types'], ['POST', '/api/runs'], ['GET', '/api/openapi.json'], ['GET', '/api/runs/run_x']]) {
      const none = await raw(local(), method!, path!);
      assert.equal(none.status, 401, `${method} ${path}`);
      assert.equal(none.json.error.code, 'unauthorized');
      const wrong = await raw(local(), method!, path!, { headers: { authorization: 'Bearer nope-nope-nope-nope' } });
      assert.equal(wrong.status, 401);
    }
    assert.equal((await raw(local(), 'GET', '/api/graphs', { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
    assert.equal((await raw(local(), 'GET', `/api/graphs?token=${TOKEN}`)).status, 401, 'query tokens only where headers cannot be sent');
    const png = await t.client.uploadArtifact(new Uint8Array([137, 80, 78, 71]), { mime: 'image/png' });
    assert.equal((await raw(local(), 'GET', `/api/artifacts/${png.$artifact}`)).status, 401);
    assert.equal((await raw(local(), 'GET', `/api/artifacts/${png.$artifact}?token=${TOKEN}`)).status, 401, 'the token never travels in artifact URLs');
    const ws = local().replace('http', 'ws') + '/api/events';
    assert.equal(await wsStatus(ws), 401);
    assert.equal(await wsStatus(`${ws}?token=wrong`), 401);
    assert.equal(await wsStatus(`${ws}?token=${TOKEN}`), 101);
    assert.equal(await wsStatus(ws, { authorization: `Bearer ${TOKEN}` }), 101);
    assert.equal(await wsStatus(`${ws}?token=${TOKEN}`, { origin: 'https://evil.example' }), 403, 'no cross-site WebSocket hijacking');
  });

  it('serves artifacts and models to signed URLs in place of the token, one resource each, until they expire', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    assert.equal((await raw(local(), 'GET', '/api/url-key')).status, 401, 'URL keys need the token');
    const issued = await raw(local(), 'GET', '/api/url-key', { headers: auth });
    assert.equal(issued.headers.get('cache-control'), 'no-store');
    const { exp, key, ttlS } = UrlKey.parse(issued.json);
    assert.equal(ttlS, 3600);
    assert.ok(exp > Date.now() / 1000 && /^[0-9a-f]{64}$/.test(key));
    // As a browser does it: HMAC-SHA256 with the key over "<resource>\n<exp>".
    const sign = (resource: string, e = exp) => createHmac('sha256', Buffer.from(key, 'hex')).update(`${resource}\n${e}`).digest('hex');

    const png = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#123456' } }).png().toBuffer();
    const a = await t.client.uploadArtifact(png, { mime: 'image/png' });
    const b = await t.client.uploadArtifact(new TextEncoder().encode('another'), { mime: 'text/plain' });
    const signedA = `?exp=${exp}&sig=${sign(`artifact:${a.$artifact}`)}`;
    const got = await fetch(`${local()}/api/artifacts/${a.$artifact}${signedA}`);
    assert.equal(got.status, 200);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), png);
    assert.equal((await raw(local(), 'GET', `/api/artifacts/${a.$artifact}/meta${signedA}`)).status, 200);
    assert.equal((await raw(local(), 'GET', `/api/artifacts/${b.$artifact}${signedA}`)).status, 403, 'a signature opens its own artifact only');
    assert.equal((await raw(local(), 'GET', `/api/artifacts/${a.$artifact}?exp=${exp + 1}&sig=${sign(`artifact:${a.$artifact}`)}`)).status, 403, 'the expiry is signed');
    assert.equal((await raw(local(), 'POST', `/api/artifacts${signedA}`, { body: 'x', headers: { 'content-type': 'text/plain' } })).status, 401, 'reads only');

    const thumb = await raw(local(), 'GET', `/api/artifacts/${a.$artifact}/thumbnail${signedA}`);
    assert.equal(thumb.status, 302);
    const location = thumb.headers.get('location')!;
    assert.match(location, new RegExp(`^/api/artifacts/[0-9a-f]{64}\\?exp=${exp}&sig=[0-9a-f]{64}$`), 'the redirect is signed for the thumbnail, no token in it');
    assert.ok(!location.includes(TOKEN));
    assert.equal((await fetch(local() + location)).headers.get('content-type'), 'image/webp');

    const model = 'face_detection_yunet_2023mar.onnx';
    assert.equal((await raw(local(), 'GET', `/api/models/${model}`)).status, 401);
    const signedModel = await raw(local(), 'GET', `/api/models/s.${exp}.${sign('models')}/${model}`);
    assert.equal(signedModel.status, 404, 'past the guard: this server has no models installed');
    assert.match(signedModel.json.error.message, /castgraph models pull yunet/);
    assert.equal((await raw(local(), 'GET', `/api/models/s.${exp}.${sign(`artifact:${a.$artifact}`)}/${model}`)).status, 403);

    const signer = new UrlSigner(TOKEN, 60);
    const old = signer.issueKey(Date.now() - 120_000);
    const oldSig = createHmac('sha256', Buffer.from(old.key, 'hex')).update(`artifact:${a.$artifact}\n${old.exp}`).digest('hex');
    assert.equal(signer.verify(`artifact:${a.$artifact}`, String(old.exp), oldSig, Date.now() - 90_000), true, 'valid before its expiry');
    assert.equal(signer.verify(`artifact:${a.$artifact}`, String(old.exp), oldSig), false, 'refused after it');
    assert.equal((await raw(local(), 'GET', `/api/artifacts/${a.$artifact}?exp=${old.exp}&sig=${oldSig}`)).status, 403);
  });

  it('keeps CORS closed except for configured origins', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const evil = await raw(local(), 'GET', '/api/graphs', { headers: { ...auth, origin: 'https://evil.example' } });
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
    const pre = await raw(local(), 'OPTIONS', '/api/graphs', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(pre.status, 403);
    const good = await raw(local(), 'OPTIONS', '/api/graphs', { headers: { origin: 'https://studio.example.com', 'access-control-request-method': 'POST' } });
    assert.equal(good.status, 204);
    assert.equal(good.headers.get('access-control-allow-origin'), 'https://studio.example.com');
    assert.match(good.headers.get('access-control-allow-headers')!, /Authorization/);
    assert.equal(good.headers.get('x-content-type-options'), 'nosniff');
  });

  it('hands secrets to nodes but masks them in run records, events, logs and files', async () => {
    const leak = graph('Leak', [{ id: 'leak', type: 'test.secret_echo', inputs: { name: 'OPENAI_API_KEY' } }], { outputs: { out: 'leak.leaked' } });
    const { runId } = await t.client.submitRun({ graph: leak as never });
    const run = await until(async () => {
      const r = await t.client.getRun(runId);
      return r.status === 'succeeded' ? r : undefined;
    }, 'the run');
    const out = String(run.outputs!.out);
    assert.match(out, /^key=/, 'the node did receive something to echo');
    assert.ok(!out.includes(SECRET));
    const events = JSON.stringify(await t.client.runEvents(runId));
    assert.ok(events.includes('the key is'), 'the log line is there');
    assert.ok(!events.includes(SECRET));
    const runFiles = readdirSync(join(t.dataDir, 'runs')).filter((f) => f.startsWith(runId));
    const onDisk = runFiles.map((f) => readFileSync(join(t.dataDir, 'runs', f), 'utf8'));
    assert.ok(onDisk.length >= 2 && onDisk.every((text) => !text.includes(SECRET)));
    assert.ok(!t.logs.join('\n').includes(SECRET));
    const everything = await Promise.all(['/api/runs', '/api/node-types', '/api/health', '/api/queue', '/api/openapi.json'].map((p) => t.client.fetch('GET', p).then((r) => r.text())));
    assert.ok(everything.every((text) => !text.includes(SECRET)));
  });
});

describe('loopback without a token', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('serves localhost names and refuses other Host headers (DNS rebinding)', async () => {
    assert.equal((await raw(t.url, 'GET', '/api/health')).status, 200);
    const port = new URL(t.url).port;
    assert.equal(await statusWithHost(t.url, `localhost:${port}`), 200);
    assert.equal(await statusWithHost(t.url, `[::1]:${port}`), 200);
    assert.equal(await statusWithHost(t.url, 'attacker.example:80'), 403);
    assert.equal(await statusWithHost(t.url, `127.0.0.1.attacker.example:${port}`), 403);
  });
});

describe('cross-site request forgery (loopback, no token: the default)', () => {
  let t: TestServer;
  const STUDIO = 'https://studio.example.com';
  const EVIL = 'http://evil.example';
  before(async () => {
    t = await startTestServer({ corsOrigins: [STUDIO] });
  });
  after(() => t.close());
  const json = { 'content-type': 'application/json' };

  it('refuses every state-changing verb from another site, and changes nothing', async () => {
    const saved = await t.client.createGraph(graph('Mine', [{ id: 'n', type: 'value.int', inputs: { value: 1 } }]) as never);
    const doc = JSON.stringify({ document: graph('Theirs', []), baseRevision: 1 });
    const requests: Array<[string, string, { body?: string | Uint8Array; headers?: Record<string, string> }]> = [
      ['POST', '/api/queue/pause', {}],
      ['POST', '/api/queue/pause', { headers: { 'content-type': 'text/plain' }, body: 'x' }],
      ['POST', '/api/graphs', { headers: json, body: JSON.stringify({ document: graph('Evil', []) }) }],
      ['PUT', `/api/graphs/${saved.entry.id}`, { headers: json, body: doc }],
      ['DELETE', `/api/graphs/${saved.entry.id}`, {}],
      ['POST', '/api/artifacts', { headers: { 'content-type': 'text/plain' }, body: 'planted' }],
    ];
    for (const [method, path, init] of requests) {
      for (const headers of [{ origin: EVIL }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }] as Array<Record<string, string>>) {
        const r = await raw(t.url, method, path, { ...init, headers: { ...init.headers, ...headers } });
        assert.equal(r.status, 403, `${method} ${path} ${JSON.stringify(headers)}`);
        assert.equal(r.json.error.code, 'forbidden');
        assert.match(r.json.error.message, /cross-site .* refused: .*corsOrigins/);
      }
    }
    assert.equal((await t.client.queue()).paused, false);
    assert.equal((await t.client.getGraph(saved.entry.id)).document.name, 'Mine');
    assert.equal((await t.client.listGraphs()).total, 1);
    assert.equal((await raw(t.url, 'GET', '/api/health', { headers: { origin: EVIL } })).status, 200, 'reads stay open (CORS keeps their answers from the page)');
  });

  it('serves its own pages, configured origins and clients that send no Origin', async () => {
    const self = new URL(t.url).origin;
    for (const origin of [self, STUDIO, undefined]) {
      const headers: Record<string, string> = { ...json, ...(origin ? { origin } : {}) };
      assert.equal((await raw(t.url, 'POST', '/api/queue/pause', { headers })).status, 200, String(origin));
      assert.equal((await raw(t.url, 'POST', '/api/queue/resume', { headers: { ...headers, 'sec-fetch-site': 'same-origin' } })).status, 200);
      const up = await raw(t.url, 'POST', '/api/artifacts', { headers: { 'content-type': 'image/png', ...(origin ? { origin } : {}) }, body: new Uint8Array([137, 80, 78, 71]) });
      assert.equal(up.status, 201, 'uploads are raw bytes of any type');
    }
    assert.equal((await raw(t.url, 'POST', '/api/queue/pause')).status, 200, 'a bodiless POST may omit the type');
    await t.client.resumeQueue();
  });

  it('refuses form and text bodies on JSON endpoints, bodiless ones included', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const empty = await raw(t.url, 'POST', '/api/queue/pause', { headers: { 'content-type': type } });
      assert.equal(empty.status, 415, type);
      assert.equal(empty.json.error.code, 'unsupported_media_type');
      assert.equal((await raw(t.url, 'POST', '/api/runs', { headers: { 'content-type': type }, body: '{}' })).status, 415, type);
    }
    assert.equal((await t.client.queue()).paused, false);
  });
});
