/** `castgraph run --server URL graph.json` against a real server: uploads, live events, outputs, validation errors, Ctrl-C, token. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { main } from '../../runtime/cli/main.ts';
import { EXIT, type CliIO } from '../../runtime/cli/command.ts';
import { graph, startTestServer, tempDir, until, type TestServer } from '../support/server.ts';

const TOKEN = 'cli-token-0123456789abcdef';
let t: TestServer;
let dir: string;
before(async () => {
  t = await startTestServer({ token: TOKEN });
  dir = tempDir('castgraph-cli-remote-');
});
after(() => t.close());

function io(env: Record<string, string> = { CASTGRAPH_TOKEN: TOKEN }) {
  const out: string[] = [];
  const err: string[] = [];
  let interrupt: (() => void) | undefined;
  const value: CliIO = {
    stdout: { write: (s: string) => void out.push(s) },
    stderr: { write: (s: string) => void err.push(s) },
    env,
    cwd: dir,
    onInterrupt: (h) => {
      interrupt = h;
      return () => (interrupt = undefined);
    },
    exit: () => {},
  };
  return { io: value, out, err, interrupt: () => interrupt?.() };
}

function writeGraph(name: string, doc: unknown): string {
  writeFileSync(join(dir, name), JSON.stringify(doc));
  return name;
}

describe('castgraph run --server', () => {
  it('uploads input files, streams the run and downloads the outputs', async () => {
    await sharp({ create: { width: 60, height: 30, channels: 3, background: '#00aa00' } }).png().toFile(join(dir, 'green.png'));
    const file = writeGraph('resize.json', graph('Resize', [{ id: 'resize', type: 'image.resize', inputs: { width: 20 } }], { inputs: { photo: 'resize.image' }, outputs: { small: 'resize.image' } }));
    const s = io();
    const code = await main(['run', file, '--server', t.url, '--input', 'photo=green.png', '--out', 'out', '--json'], s.io);
    assert.equal(code, EXIT.ok, s.out.join('') + s.err.join(''));
    const events = s.out.join('').trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    assert.deepEqual(events.filter((e) => e.type?.startsWith('run.')).map((e) => e.type), ['run.started', 'run.succeeded']);
    assert.ok(events.some((e) => e.type === 'node.succeeded' && e.nodePath === 'resize'));
    const files = readdirSync(join(dir, 'out')).sort();
    assert.ok(files.includes('small.png'), files.join());
    const meta = await sharp(readFileSync(join(dir, 'out', 'small.png'))).metadata();
    assert.deepEqual([meta.width, meta.height], [20, 10]);
    const runs = await t.client.listRuns();
    assert.equal(runs.items[0]!.status, 'succeeded', 'the run happened on the server');
  });

  it('prints the graph errors with document paths and exits 1', async () => {
    const file = writeGraph('bad.json', graph('Bad', [{ id: 'img', type: 'image.create', inputs: { width: 'wide' } }]));
    const s = io();
    assert.equal(await main(['run', file, '--server', t.url], s.io), EXIT.invalid);
    assert.match(s.out.join(''), /^nodes\[0\]\.inputs\.width: /m);
  });

  it('cancels the server-side run on Ctrl-C', async () => {
    const file = writeGraph('held.json', graph('Held', [{ id: 'wait', type: 'test.wait_file', inputs: { path: join(dir, 'never') } }]));
    const s = io();
    const finished = main(['run', file, '--server', t.url, '--json'], s.io);
    const run = await until(async () => {
      const r = (await t.client.listRuns({ status: 'running' })).items[0];
      return r?.nodes.wait?.status === 'running' ? r : undefined;
    }, 'the remote run to start');
    s.interrupt();
    assert.equal(await finished, EXIT.cancelled);
    assert.equal((await t.client.getRun(run.runId)).status, 'cancelled');
  });

  it('reports a missing token as an error', async () => {
    const file = writeGraph('ok.json', graph('Ok', [{ id: 'n', type: 'value.int', inputs: { value: 1 } }]));
    const s = io({});
    assert.equal(await main(['run', file, '--server', t.url], s.io), EXIT.failed);
    assert.match(s.out.join('') + s.err.join(''), /missing or wrong bearer token/);
  });
});
