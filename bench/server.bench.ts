/**
 * Server throughput and event latency: a real server process (`server/main.ts`, as `npm start` runs it)
 * gets 200 runs of a small graph submitted at once through the HTTP API, while a WebSocket client in
 * this process is subscribed to all runs. Reports runs/s (first submit → last run.succeeded at the
 * client), p50/p99 latency from a node finishing (its event `ts`, stamped in the server process) to that
 * event reaching the client, and the same 200 runs on a bare in-process Engine as the baseline (the ratio
 * is what HTTP, validation, durable run records and fan-out cost).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { Engine } from '../runtime/engine/index.ts';
import { loadRegistry } from '../runtime/node-loader.ts';
import { ArtifactStore } from '../runtime/store/artifact-store.ts';
import { spawnServer } from '../test/support/server.ts';
import type { Report } from './run.ts';

const RUNS = 200;

function smallGraph(i: number) {
  return {
    format: 'castgraph.graph',
    version: 1,
    id: `bench-${i}`,
    name: `Bench ${i}`,
    nodes: [
      { id: 'n', type: 'value.int', typeVersion: 1, inputs: { value: i }, position: { x: 0, y: 0 } },
      { id: 'label', type: 'text.template', typeVersion: 1, inputs: { template: 'item {n} of the batch' }, position: { x: 200, y: 0 } },
      { id: 'list', type: 'list.make', typeVersion: 1, inputs: {}, position: { x: 400, y: 0 } },
    ],
    edges: [{ id: 'e0', from: { node: 'n', port: 'value' }, to: { node: 'label', port: 'n' } }],
    inputs: [],
    outputs: [{ name: 'label', node: 'label', port: 'text' }],
    groups: [],
    notes: [],
    meta: {},
  };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** CPU time (user + system, ms) a process has used: steadier than wall time on a machine others share. */
function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

async function viaApi(salt: number): Promise<{ runsPerSec: number; latencies: number[]; cpuMsPerRun?: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'castgraph-bench-'));
  const server = await spawnServer({ CASTGRAPH_DATA: dataDir });
  const ws = new WebSocket(server.url.replace('http', 'ws') + '/api/events');
  await new Promise((r) => ws.once('open', r));
  const latencies: number[] = [];
  let finished = 0;
  let allDone!: () => void;
  const done = new Promise<void>((r) => (allDone = r));
  ws.on('message', (data) => {
    const now = Date.now();
    const m = JSON.parse(data.toString()) as { type: string; event?: { type: string; ts: number } };
    if (m.type !== 'event') return;
    if (m.event!.type === 'node.succeeded' || m.event!.type === 'node.cached') latencies.push(now - m.event!.ts);
    if (m.event!.type === 'run.succeeded' && ++finished === RUNS) allDone();
  });
  ws.send(JSON.stringify({ type: 'subscribe', all: true }));
  await new Promise((r) => ws.once('message', r));
  const cpu0 = processCpuMs(server.pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: RUNS }, (_, i) =>
      fetch(`${server.url}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ graph: smallGraph(salt + i) }) }).then((r) => {
        if (r.status !== 202) throw new Error(`submit answered ${r.status}`);
        return r.arrayBuffer();
      }),
    ),
  );
  await done;
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = processCpuMs(server.pid);
  ws.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  const cpuMsPerRun = cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / RUNS : undefined;
  return { runsPerSec: RUNS / seconds, latencies: latencies.sort((a, b) => a - b), cpuMsPerRun };
}

async function viaEngine(salt: number): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'castgraph-bench-'));
  const engine = new Engine({ registry: await loadRegistry(), store: new ArtifactStore(join(dataDir, 'artifacts')), cacheDir: join(dataDir, 'cache'), workRoot: join(dataDir, 'work') });
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: RUNS }, (_, i) => engine.run(smallGraph(salt + i))));
  const seconds = (performance.now() - t0) / 1000;
  if (results.some((r) => r.status !== 'succeeded')) throw new Error('a baseline run failed');
  rmSync(dataDir, { recursive: true, force: true });
  return RUNS / seconds;
}

export default async function (report: Report): Promise<void> {
  await viaApi(1_000_000); // warm-up: module loading, JIT
  const api = await viaApi(0);
  const engine = await viaEngine(0);
  report('server.runs_per_sec', api.runsPerSec, 'runs/s', `${RUNS} runs at once: first HTTP submit to the last run.succeeded at a WebSocket client`);
  report('server.event_latency_p50', pct(api.latencies, 50), 'ms', 'node finished (its event ts, server process) to the event reaching the WebSocket client');
  report('server.event_latency_p99', pct(api.latencies, 99), 'ms', 'same, 99th percentile');
  if (api.cpuMsPerRun !== undefined) report('server.cpu_per_run', api.cpuMsPerRun, 'ms', 'server process CPU (user + system) per run: HTTP, validation, durable records, fan-out, engine');
  report('server.baseline_engine_runs_per_sec', engine, 'runs/s', `the same ${RUNS} runs on a bare in-process Engine: no HTTP, no records`);
  report('server.api_vs_engine_ratio', api.runsPerSec / engine, 'x', 'throughput through the server / bare engine');
}
