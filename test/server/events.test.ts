/**
 * Live events over a real WebSocket: per-run and all-run subscriptions, every message numbered, and
 * reconnect-with-seq: after a dropped connection the client gets exactly the events it missed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { EventSubscription, streamRun, CastgraphClient, type EventMessage } from '../../runtime/client/index.ts';
import { graph, NodeWebSocket, startTestServer, tempDir, until, type TestServer } from '../support/server.ts';

let t: TestServer;
let scratch: string;
before(async () => {
  t = await startTestServer();
  scratch = tempDir('castgraph-events-');
});
after(() => t.close());

/** A raw protocol client: collects every message. */
async function connect(url: string): Promise<{ ws: WebSocket; messages: any[]; next: (pred: (m: any) => boolean) => Promise<any> }> {
  const ws = new WebSocket(url.replace('http', 'ws') + '/api/events');
  const messages: any[] = [];
  const waiters: Array<{ pred: (m: any) => boolean; resolve: (m: any) => void }> = [];
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    messages.push(m);
    for (const w of [...waiters]) if (w.pred(m)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  const next = (pred: (m: any) => boolean) => {
    const found = messages.find(pred);
    return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ pred, resolve }));
  };
  return { ws, messages, next };
}

/** A TCP proxy between a client and the server that the test can cut, as a flaky network would. */
async function cuttableProxy(url: string): Promise<{ client: CastgraphClient; cut: () => void; close: () => void }> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  const proxy: Server = createServer((down) => {
    const up = tcpConnect(Number(target.port), target.hostname);
    down.pipe(up).pipe(down);
    sockets.add(down).add(up);
    const drop = () => (down.destroy(), up.destroy());
    down.on('error', drop).on('close', drop);
    up.on('error', drop).on('close', drop);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const cut = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  return {
    client: new CastgraphClient({ baseUrl: `http://127.0.0.1:${(proxy.address() as { port: number }).port}` }),
    cut,
    close: () => (cut(), proxy.close()),
  };
}

let n = 0;
/** Three nodes, the last held until `file` exists. */
const held = (file: string) =>
  graph('Held', [
    { id: 'a', type: 'image.create', inputs: { width: 8 + n++, height: 8 } },
    { id: 'b', type: 'image.resize', inputs: { width: 4 } },
    { id: 'wait', type: 'test.wait_file', inputs: { path: file } },
    { id: 'after', type: 'text.template', inputs: { template: 'got {x}' } },
  ], { edges: [['a.image', 'b.image'], ['wait.value', 'after.x']] });

function assertGapless(events: EventMessage[] | any[], from = 1): void {
  assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => from + i));
}

describe('run events over WebSocket', () => {
  it('streams a run with runId, nodePath and seq on every message', async () => {
    const { ws, messages, next } = await connect(t.url);
    const { runId } = await t.client.submitRun({ graph: held(join(scratch, 'go-1')) as never });
    ws.send(JSON.stringify({ type: 'subscribe', runId }));
    await next((m) => m.type === 'subscribed');
    await until(async () => ((await t.client.getRun(runId)).nodes.wait?.status === 'running' ? true : undefined), 'wait to start');
    writeFileSync(join(scratch, 'go-1'), '');
    await next((m) => m.type === 'event' && m.event.type === 'run.succeeded');
    const events = messages.filter((m) => m.type === 'event');
    assertGapless(events);
    for (const m of events) {
      assert.equal(m.runId, runId);
      assert.equal(m.event.runId, runId);
      if (m.event.type.startsWith('node.')) assert.equal(m.nodePath, m.event.nodePath);
    }
    assert.deepEqual(events.filter((m) => m.event.type === 'node.succeeded').map((m) => m.nodePath).sort(), ['a', 'after', 'b', 'wait']);
    ws.close();
  });

  it('replays exactly the missed events after a reconnect with the last seq', async () => {
    const file = join(scratch, 'go-2');
    const { runId } = await t.client.submitRun({ graph: held(file) as never });
    const first = await connect(t.url);
    first.ws.send(JSON.stringify({ type: 'subscribe', runId }));
    await first.next((m) => m.type === 'event' && m.event.type === 'node.started' && m.nodePath === 'wait');
    const seen = first.messages.filter((m) => m.type === 'event');
    const lastSeq = seen.at(-1).seq;
    first.ws.terminate(); // the connection drops

    writeFileSync(file, ''); // the run goes on while nobody listens
    await until(async () => ((await t.client.getRun(runId)).status === 'succeeded' ? true : undefined), 'the run to finish');

    const second = await connect(t.url);
    second.ws.send(JSON.stringify({ type: 'subscribe', runId, afterSeq: lastSeq }));
    const sub = await second.next((m) => m.type === 'subscribed');
    await second.next((m) => m.type === 'event' && m.event.type === 'run.succeeded');
    const missed = second.messages.filter((m) => m.type === 'event');
    assert.equal(missed[0].seq, lastSeq + 1, 'no gap');
    assertGapless([...seen, ...missed]);
    assert.equal(missed.at(-1).seq, sub.lastSeq);
    const log = (await t.client.runEvents(runId)).items;
    assert.deepEqual([...seen, ...missed].map((m) => JSON.stringify(m.event)), log.map((m) => JSON.stringify(m.event)), 'exactly the recorded events, once each');
    second.ws.close();
  });

  it('keeps a client subscription alive across dropped connections with no gap or duplicate', async () => {
    const { client: proxied, cut, close } = await cuttableProxy(t.url);
    try {
      const file = join(scratch, 'go-3');
      const { runId } = await t.client.submitRun({ graph: held(file) as never });
      const got: EventMessage[] = [];
      const sub = new EventSubscription(proxied, { target: { runId }, onEvent: (m) => got.push(m), WebSocket: NodeWebSocket });
      await sub.ready;
      await until(() => (got.some((m) => m.event.type === 'node.started' && m.nodePath === 'wait') ? true : undefined), 'wait to start');
      cut();
      writeFileSync(file, '');
      await until(() => (got.some((m) => m.event.type === 'run.succeeded') ? true : undefined), 'the end of the run after reconnecting');
      sub.close();
      assert.ok(sub.reconnects >= 1);
      assertGapless(got);
      assert.equal(got.length, (await t.client.getRun(runId)).lastSeq);
    } finally {
      close();
    }
  });

  it('catches an all-runs client up after a drop: runs it was following and runs that started meanwhile', async () => {
    const { client: proxied, cut, close } = await cuttableProxy(t.url);
    try {
      const fileX = join(scratch, 'go-all-x');
      const fileY = join(scratch, 'go-all-y');
      const x = await t.client.submitRun({ graph: held(fileX) as never });
      const got: EventMessage[] = [];
      const sub = new EventSubscription(proxied, { target: { all: true }, onEvent: (m) => got.push(m), WebSocket: NodeWebSocket });
      await sub.ready;
      await until(() => (got.some((m) => m.runId === x.runId && m.nodePath === 'wait' && m.event.type === 'node.started') ? true : undefined), 'x to be seen waiting');
      cut();
      const y = await t.client.submitRun({ graph: held(fileY) as never }); // starts while the client is away
      await until(async () => ((await t.client.getRun(y.runId)).nodes.wait?.status === 'running' ? true : undefined), 'y to wait');
      writeFileSync(fileX, '');
      await until(async () => ((await t.client.getRun(x.runId)).status === 'succeeded' ? true : undefined), 'x to finish unseen');
      await until(() => (sub.reconnects >= 1 && got.some((m) => m.runId === x.runId && m.event.type === 'run.succeeded') ? true : undefined), 'x caught up');
      writeFileSync(fileY, '');
      await until(() => (got.some((m) => m.runId === y.runId && m.event.type === 'run.succeeded') ? true : undefined), 'y followed to its end');
      sub.close();
      for (const id of [x.runId, y.runId]) {
        const mine = got.filter((m) => m.runId === id);
        assertGapless(mine);
        assert.equal(mine.length, (await t.client.getRun(id)).lastSeq, `every event of ${id} exactly once`);
      }
    } finally {
      close();
    }
  });

  it('streams every run to an all-runs subscriber, and one run to streamRun', async () => {
    const all = await connect(t.url);
    all.ws.send(JSON.stringify({ type: 'subscribe', all: true }));
    await all.next((m) => m.type === 'subscribed' && m.all);
    const a = await t.client.submitRun({ graph: graph('A', [{ id: 'x', type: 'value.int', inputs: { value: 101 } }]) as never });
    const b = await t.client.submitRun({ graph: graph('B', [{ id: 'y', type: 'value.int', inputs: { value: 102 } }]) as never });
    for (const id of [a.runId, b.runId]) await all.next((m) => m.type === 'event' && m.runId === id && m.event.type === 'run.succeeded');
    for (const id of [a.runId, b.runId]) assertGapless(all.messages.filter((m) => m.type === 'event' && m.runId === id));
    all.ws.close();

    const types: string[] = [];
    for await (const m of streamRun(t.client, a.runId, { WebSocket: NodeWebSocket })) types.push(m.event.type);
    assert.deepEqual(types, ['run.queued', 'run.started', 'node.started', 'node.succeeded', 'run.succeeded'], 'a finished run replays and ends');
  });

  it('answers bad messages and unknown runs with errors, and stays connected', async () => {
    const c = await connect(t.url);
    c.ws.send('not json');
    assert.equal((await c.next((m) => m.type === 'error')).error.code, 'invalid_json');
    c.ws.send(JSON.stringify({ type: 'subscribe', runId: 'r', all: true }));
    const invalid = await c.next((m) => m.type === 'error' && m.error.code === 'validation_failed');
    assert.equal(invalid.error.issues[0].path, 'message.runId');
    c.ws.send(JSON.stringify({ type: 'subscribe', runId: 'run_ghost' }));
    const unknown = await c.next((m) => m.type === 'error' && m.error.code === 'not_found');
    assert.equal(unknown.runId, 'run_ghost');
    assert.equal(c.ws.readyState, WebSocket.OPEN);
    c.ws.close();
    const wrongPath = new WebSocket(t.url.replace('http', 'ws') + '/api/elsewhere');
    await new Promise((resolve) => wrongPath.once('error', resolve));
  });
});
