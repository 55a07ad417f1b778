/**
 * Small node types and helpers for engine tests: each body records that it ran, so tests can tell a
 * cached node from one that executed; sleeping nodes count how many run at once, and barrier nodes prove
 * that bodies overlap without timing them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine, type EngineOptions } from '../../runtime/engine/index.ts';
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument, type GraphNode } from '../../runtime/graph/document.ts';
import { defineNode, NodeError, TransientError, type NodeDefinition } from '../../runtime/graph/node-definition.ts';
import { NodeRegistry } from '../../runtime/graph/registry.ts';
import { ArtifactStore } from '../../runtime/store/artifact-store.ts';
import flowLoop from '../../nodes/flow.loop/index.ts';
import flowSubgraph from '../../nodes/flow.subgraph/index.ts';
import flowGate from '../../nodes/flow.gate/index.ts';

/** Body executions by node path, across all engines in this process. */
export const executions: string[] = [];
/** Node paths whose slow body reached its natural end (not cut short by a cancel). */
export const finished: string[] = [];
/** How many sleeping bodies ran at once, at most. */
export const concurrency = { now: 0, max: 0 };
const flakyFailures = new Map<string, number>();
const barriers = new Map<string, { arrived: number; open: () => void; opened: Promise<void> }>();

export function resetRecords(): void {
  executions.length = 0;
  finished.length = 0;
  concurrency.now = concurrency.max = 0;
  flakyFailures.clear();
  barriers.clear();
}

/** Resolves once `parties` bodies have arrived at barrier `name`: only bodies that run at the same time get through. */
function meet(name: string, parties: number, signal: AbortSignal): Promise<void> {
  let b = barriers.get(name);
  if (!b) {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    barriers.set(name, (b = { arrived: 0, open, opened }));
  }
  if (++b.arrived === parties) b.open();
  // The give-up timer is cancelled once the barrier opens, or it would hold the test process for 10 s.
  const opened = new AbortController();
  const gaveUp = sleep(10_000, undefined, { signal: AbortSignal.any([signal, opened.signal]) }).then(() => {
    throw new Error(`only ${b.arrived} of ${parties} bodies reached barrier ${name}: they did not run at the same time`);
  });
  return Promise.race([b.opened, gaveUp]).finally(() => opened.abort());
}

export const testNodes: NodeDefinition[] = [
  defineNode({
    type: 'test.num',
    version: 1,
    title: 'Number',
    category: 'test',
    description: 'Outputs its value.',
    inputs: { value: { type: 'float', default: 0 } },
    outputs: { value: { type: 'float' } },
    run(ctx, { value }) {
      executions.push(ctx.nodePath);
      return { value };
    },
  }),
  defineNode({
    type: 'test.add',
    version: 1,
    title: 'Add',
    category: 'test',
    description: 'a + b',
    inputs: { a: { type: 'float', default: 0 }, b: { type: 'float', default: 0 } },
    outputs: { sum: { type: 'float' } },
    run(ctx, { a, b }) {
      executions.push(ctx.nodePath);
      return { sum: (a as number) + (b as number) };
    },
  }),
  defineNode({
    type: 'test.floor',
    version: 1,
    title: 'Floor',
    category: 'test',
    description: 'Rounds down: different inputs can give the same output (early cutoff).',
    inputs: { x: { type: 'float' } },
    outputs: { value: { type: 'float' } },
    run(ctx, { x }) {
      executions.push(ctx.nodePath);
      return { value: Math.floor(x as number) };
    },
  }),
  defineNode({
    type: 'test.sum',
    version: 1,
    title: 'Sum',
    category: 'test',
    description: 'Sums every connected value.',
    inputs: { values: { type: 'list<float>', multi: true } },
    outputs: { sum: { type: 'float' } },
    run(ctx, { values }) {
      executions.push(ctx.nodePath);
      return { sum: (values as number[]).reduce((a, b) => a + b, 0) };
    },
  }),
  defineNode({
    type: 'test.sleep',
    version: 1,
    title: 'Sleep',
    category: 'test',
    description: 'Waits, honouring the abort signal, then passes its value on.',
    inputs: { ms: { type: 'int', default: 100 }, value: { type: 'float', default: 0 } },
    outputs: { value: { type: 'float' } },
    async run(ctx, { ms, value }) {
      executions.push(ctx.nodePath);
      concurrency.max = Math.max(concurrency.max, ++concurrency.now);
      try {
        for (let t = 0; t < (ms as number); t += 10) {
          await sleep(10, undefined, { signal: ctx.signal });
          ctx.progress(t / (ms as number));
        }
      } finally {
        concurrency.now--;
      }
      finished.push(ctx.nodePath);
      return { value };
    },
  }),
  defineNode({
    type: 'test.meet',
    version: 1,
    title: 'Meet',
    category: 'test',
    description: 'Waits at a barrier until `parties` bodies have arrived.',
    inputs: { barrier: { type: 'text', default: 'b' }, parties: { type: 'int', default: 2 }, value: { type: 'float', default: 0 } },
    outputs: { value: { type: 'float' } },
    cache: 'volatile',
    async run(ctx, { barrier, parties, value }) {
      executions.push(ctx.nodePath);
      await meet(barrier as string, parties as number, ctx.signal);
      return { value };
    },
  }),
  defineNode({
    type: 'test.stubborn',
    version: 1,
    title: 'Stubborn',
    category: 'test',
    description: 'A gpu node that ignores its abort signal for `ms`.',
    inputs: { ms: { type: 'int', default: 5_000 } },
    outputs: { value: { type: 'float' } },
    cache: 'volatile',
    resource: 'gpu',
    async run(ctx, { ms }) {
      executions.push(ctx.nodePath);
      await sleep(ms as number);
      finished.push(ctx.nodePath);
      return { value: 1 };
    },
  }),
  defineNode({
    type: 'test.gpu_probe',
    version: 1,
    title: 'GPU probe',
    category: 'test',
    description: 'A gpu node that records which slow bodies had finished when it started.',
    inputs: {},
    outputs: { finishedBefore: { type: 'json' } },
    cache: 'volatile',
    resource: 'gpu',
    run(ctx) {
      executions.push(ctx.nodePath);
      return { finishedBefore: [...finished] };
    },
  }),
  defineNode({
    type: 'test.flaky',
    version: 1,
    title: 'Flaky',
    category: 'test',
    description: 'Fails transiently `failures` times per path, then succeeds.',
    inputs: { failures: { type: 'int', default: 1 }, permanent: { type: 'bool', default: false } },
    outputs: { value: { type: 'float' } },
    retry: { attempts: 3, backoffMs: 5 },
    cache: 'volatile',
    run(ctx, { failures, permanent }) {
      executions.push(ctx.nodePath);
      if (permanent) throw new NodeError('bad parameters', 'user');
      const seen = flakyFailures.get(ctx.nodePath) ?? 0;
      if (seen < (failures as number)) {
        flakyFailures.set(ctx.nodePath, seen + 1);
        throw new TransientError(`temporary failure ${seen + 1}`);
      }
      return { value: ctx.attempt };
    },
  }),
  defineNode({
    type: 'test.seeded',
    version: 1,
    title: 'Seeded',
    category: 'test',
    description: 'Outputs its seed.',
    inputs: { seed: { type: 'seed', default: -1 } },
    outputs: { seed: { type: 'int' } },
    run(ctx, { seed }) {
      executions.push(ctx.nodePath);
      return { seed };
    },
  }),
  defineNode({
    type: 'test.blob',
    version: 1,
    title: 'Blob',
    category: 'test',
    description: 'Stores its text as an artifact.',
    inputs: { text: { type: 'text', default: 'hello' } },
    outputs: { file: { type: 'json' } },
    async run(ctx, { text }) {
      executions.push(ctx.nodePath);
      return { file: await ctx.artifacts.put(new TextEncoder().encode(text as string), { mime: 'text/plain' }) };
    },
  }),
  defineNode({
    type: 'test.leaky',
    version: 1,
    title: 'Leaky',
    category: 'test',
    description: 'Logs and throws with its provider key and a settings path in the text.',
    inputs: {},
    outputs: { value: { type: 'float' } },
    cache: 'volatile',
    run(ctx) {
      ctx.log.info(`calling the provider with ${String(ctx.config.apiKey)} from ${String(ctx.config.modelsDir)}`);
      throw new NodeError(`provider refused key ${String(ctx.config.apiKey)}`, 'config');
    },
  }),
  defineNode({
    type: 'test.threshold',
    version: 1,
    title: 'Threshold',
    category: 'test',
    description: 'Gate: passes x to `high` when x >= limit, else to `low`.',
    inputs: { x: { type: 'float' }, limit: { type: 'float', default: 0.5 } },
    outputs: { high: { type: 'float' }, low: { type: 'float' }, ok: { type: 'bool' } },
    run(ctx, { x, limit }) {
      executions.push(ctx.nodePath);
      return (x as number) >= (limit as number) ? { high: x, ok: true } : { low: x, ok: false };
    },
  }),
];

export function testRegistry(): NodeRegistry {
  return new NodeRegistry([...testNodes, flowLoop, flowSubgraph, flowGate]);
}

export interface TestEngine {
  engine: Engine;
  dir: string;
  dispose(): void;
}

/** An engine over a fresh temp data folder (artifacts + cache), or over `dir` to reuse one. */
export function testEngine(options: Partial<EngineOptions> = {}, dir = mkdtempSync(join(tmpdir(), 'castgraph-engine-'))): TestEngine {
  const engine = new Engine({
    registry: testRegistry(),
    store: new ArtifactStore(join(dir, 'artifacts')),
    cacheDir: join(dir, 'cache'),
    workRoot: join(dir, 'work'),
    ...options,
  });
  return { engine, dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

type NodeSpec = Partial<GraphNode> & { id: string; type: string };

export function node(id: string, type: string, inputs: Record<string, unknown> = {}, extra: Partial<GraphNode> = {}): NodeSpec {
  return { id, type, inputs, ...extra };
}

/** `a.out->b.in` strings as edges. */
export function graph(nodes: NodeSpec[], wires: string[] = [], extra: Partial<GraphDocument> = {}): GraphDocument {
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    id: 'test',
    name: 'test',
    nodes: nodes.map((n, i) => ({ typeVersion: 1, position: { x: i * 200, y: 0 }, inputs: {}, ...n })),
    edges: wires.map((w, i) => {
      const [from, to] = w.split('->');
      const [fn, fp] = from.split('.');
      const [tn, tp] = to.split('.');
      return { id: `e${i}`, from: { node: fn, port: fp }, to: { node: tn, port: tp } };
    }),
    inputs: [],
    outputs: [],
    groups: [],
    notes: [],
    meta: {},
    ...extra,
  };
}
