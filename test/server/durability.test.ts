/**
 * Restart durability with a real server process: killed with SIGKILL mid-run (no chance to clean up),
 * then restarted on the same data folder. History is intact, the run in flight is `interrupted`, a run
 * still queued runs, and one resume call finishes the interrupted run with its finished nodes cached.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CastgraphClient, type RunRecord } from '../../runtime/client/index.ts';
import { graph, spawnServer, tempDir, until, type SpawnedServer } from '../support/server.ts';

const dataDir = tempDir('castgraph-durable-');
const running: SpawnedServer[] = [];
after(async () => {
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) await s.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ server: SpawnedServer; client: CastgraphClient }> {
  const server = await spawnServer({ CASTGRAPH_DATA: dataDir });
  running.push(server);
  return { server, client: new CastgraphClient({ baseUrl: server.url }) };
}

const held = (file: string, width: number) =>
  graph('Held', [
    { id: 'img', type: 'image.create', inputs: { width, height: 24 } },
    { id: 'small', type: 'image.resize', inputs: { width: 12 } },
    { id: 'wait', type: 'test.wait_file', inputs: { path: file, value: 'released' } },
    { id: 'label', type: 'text.template', inputs: { template: 'run {state}' } },
  ], { edges: [['img.image', 'small.image'], ['wait.value', 'label.state']], outputs: { small: 'small.image', label: 'label.text' } });

async function status(client: CastgraphClient, runId: string, want: RunRecord['status']): Promise<RunRecord> {
  return until(async () => {
    const r = await client.getRun(runId);
    return r.status === want ? r : undefined;
  }, `run ${runId} to be ${want}`, 30_000);
}

describe('restart durability', () => {
  it('keeps history, marks the in-flight run interrupted, and resumes it from the cache after SIGKILL', async () => {
    const release = join(dataDir, 'release');
    const a = await start();
    const done = await a.client.submitRun({ graph: graph('Quick', [{ id: 'n', type: 'value.int', inputs: { value: 7 } }], { outputs: { n: 'n.value' } }) as never });
    await status(a.client, done.runId, 'succeeded');

    const { runId } = await a.client.submitRun({ graph: held(release, 48) as never, inputs: {} });
    await until(async () => {
      const { nodes } = await a.client.getRun(runId);
      return nodes.small?.status === 'succeeded' && nodes.wait?.status === 'running' ? true : undefined;
    }, 'the image nodes to finish while wait holds the run');
    await a.client.pauseQueue();
    const queued = await a.client.submitRun({ graph: graph('Queued', [{ id: 'q', type: 'value.int', inputs: { value: 8 } }], { outputs: { q: 'q.value' } }) as never });

    await a.server.kill();

    // What was on disk at the moment of the kill: the log already holds each finished node.
    const log = readFileSync(join(dataDir, 'runs', `${runId}.events.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(log.some((e) => e.event.type === 'node.succeeded' && e.event.nodePath === 'small'));

    const b = await start();
    assert.match(b.server.output(), /recovered run history: 1 interrupted, 1 requeued/);
    const history = await b.client.listRuns();
    assert.equal(history.total, 3);
    assert.deepEqual((await b.client.getRun(done.runId)).outputs, { n: 7 }, 'finished runs are intact');

    const interrupted = await b.client.getRun(runId);
    assert.equal(interrupted.status, 'interrupted');
    assert.equal(interrupted.nodes.img!.status, 'succeeded');
    assert.equal(interrupted.nodes.small!.status, 'succeeded');
    assert.equal(interrupted.nodes.wait!.status, 'cancelled');
    assert.match(interrupted.error!.message, /server stopped/);
    assert.equal((await b.client.getRun(queued.runId)).status, 'queued');
    assert.equal((await b.client.queue()).paused, true, 'still paused, as the operator left it');
    await b.client.resumeQueue();
    assert.equal((await status(b.client, queued.runId, 'succeeded')).outputs!.q, 8, 'the persistent queue survived the crash');

    writeFileSync(release, '');
    const resumed = await b.client.resumeRun(runId);
    assert.equal(resumed.executions, 2);
    const finished = await status(b.client, runId, 'succeeded');
    assert.equal(finished.nodes.img!.status, 'cached');
    assert.equal(finished.nodes.small!.status, 'cached');
    assert.equal(finished.nodes.wait!.status, 'succeeded');
    assert.equal(finished.outputs!.label, 'run released');
    const events = (await b.client.runEvents(runId)).items;
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1), 'one gapless log across crash and resume');
    assert.deepEqual(
      events.filter((e) => e.event.type.startsWith('run.')).map((e) => e.event.type),
      ['run.queued', 'run.started', 'run.interrupted', 'run.queued', 'run.started', 'run.succeeded'],
    );

    // A clean stop (SIGTERM) also records the run in flight as interrupted, and exits 0.
    const { runId: second } = await b.client.submitRun({ graph: held(join(dataDir, 'never'), 50) as never });
    await until(async () => ((await b.client.getRun(second)).nodes.wait?.status === 'running' ? true : undefined), 'the second held run');
    assert.equal(await b.server.stop(), 0);
    const c = await start();
    const stopped = await c.client.getRun(second);
    assert.equal(stopped.status, 'interrupted');
    assert.match(stopped.error!.message, /shut down/);
    assert.equal(await c.server.stop(), 0);
  });

  it('survives a node that leaves an unhandled promise rejection behind', async () => {
    const { server, client } = await start();
    try {
      const { runId } = await client.submitRun({ graph: graph('Stray', [{ id: 's', type: 'test.stray_rejection' }], { outputs: { ok: 's.ok' } }) as never });
      assert.equal((await status(client, runId, 'succeeded')).outputs!.ok, true);
      await until(() => (/unhandled rejection \(ignored\): a stray rejection/.test(server.output()) ? true : undefined), 'the log line');
      const again = await client.submitRun({ graph: graph('After', [{ id: 'n', type: 'value.int', inputs: { value: 3 } }]) as never });
      await status(client, again.runId, 'succeeded');
    } finally {
      await server.stop();
    }
  });
});
