/**
 * First-class control flow. A subgraph node runs its body as a nested scope whose node paths are
 * prefixed with the node's path (`face/detect`). A loop runs its body once per iteration, materialised
 * one at a time (`refine/2/score`), carrying outputs into same-named inputs, until the body's `done`
 * output is true or `maxIterations` is reached. A mapped node runs once per list item with per-item
 * cache keys, so adding one photo re-runs only that photo.
 */
import type { GraphDocument } from '../graph/document.ts';
import { LOOP_DONE_OUTPUT, LOOP_ITERATION_INPUT } from '../graph/index.ts';
import { canonicalJson, sha256 } from './canonical.ts';
import { executeNode, settle } from './execute.ts';
import { runOnce, type Outcome } from './run-once.ts';
import type { Run } from './run.ts';
import { plan, runScope, type Overrides, type Planned } from './scope.ts';


export async function runControl(run: Run, p: Planned, values: Record<string, unknown>): Promise<void> {
  const body = p.node.graph;
  const base = { runId: run.runId, nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type };
  const key = sha256(`${p.def.type}@${p.def.version}\n${canonicalJson(values)}`);
  p.state.startedAt = Date.now();
  p.state.status = 'running';
  run.emit({ type: 'node.started', ...base, ts: p.state.startedAt, attempt: 1, key });
  if (!body) return settle(run, p, { kind: 'failed', error: { message: `${p.def.type} node ${p.node.id} has no body graph`, errorClass: 'user', retryable: false }, attempts: 1 });
  const outcome = p.def.control === 'loop' ? await runLoop(run, p, body, values) : await runBody(run, p, body, `${p.path}/`, values);
  if (outcome.kind === 'done') {
    const now = Date.now();
    run.emit({ type: 'node.succeeded', ...base, ts: now, key, outputs: outcome.outputs, durationMs: now - p.state.startedAt, attempt: 1 });
    settle(run, p, { ...outcome, key });
  } else {
    settle(run, p, outcome);
  }
}

async function runBody(run: Run, p: Planned, body: GraphDocument, prefix: string, values: Record<string, unknown>): Promise<Outcome> {
  const overrides = new Map<string, Record<string, unknown>>();
  for (const input of body.inputs) {
    if (!(input.name in values)) continue;
    const own = overrides.get(input.node) ?? {};
    own[input.port] = values[input.name];
    overrides.set(input.node, own);
  }
  const inner = plan(run, body, prefix, overrides as Overrides);
  await runScope(run, inner, executeNode);
  if (run.cancelled) return { kind: 'cancelled' };
  if (run.failure) {
    const { error, nodePath } = run.failure;
    return { kind: 'failed', error: { ...error, message: `${nodePath}: ${error.message}` }, attempts: 1 };
  }
  const byId = new Map(inner.map((q) => [q.node.id, q]));
  const outputs: Record<string, unknown> = {};
  for (const o of body.outputs) {
    const v = byId.get(o.node)?.outputs?.[o.port];
    if (v !== undefined) outputs[o.name] = v;
  }
  return { kind: 'done', outputs, key: '', cached: false, attempts: 1 };
}

async function runLoop(run: Run, p: Planned, body: GraphDocument, values: Record<string, unknown>): Promise<Outcome> {
  const max = Number(values.maxIterations);
  const carried: Record<string, unknown> = { ...values };
  delete carried.maxIterations;
  const inputNames = new Set(body.inputs.map((i) => i.name));
  let last: Record<string, unknown> = {};
  let done = false;
  let i = 0;
  while (i < max && !done) {
    if (inputNames.has(LOOP_ITERATION_INPUT)) carried[LOOP_ITERATION_INPUT] = i;
    const r = await runBody(run, p, body, `${p.path}/${i}/`, carried);
    if (r.kind !== 'done') return r;
    last = r.outputs;
    done = last[LOOP_DONE_OUTPUT] === true;
    for (const name in last) if (inputNames.has(name) && name !== LOOP_ITERATION_INPUT) carried[name] = last[name];
    i++;
    run.emit({ type: 'node.progress', runId: run.runId, nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type, ts: Date.now(), fraction: done ? 1 : i / max, message: `iteration ${i} of at most ${max}` });
  }
  const outputs: Record<string, unknown> = { ...last, iterations: i, exhausted: !done };
  return { kind: 'done', outputs, key: '', cached: false, attempts: 1 };
}

/** Runs a node once per item of its mapped inputs (zipped); each output becomes the list of item outputs, in order. */
export async function runMapped(run: Run, p: Planned, values: Record<string, unknown>): Promise<void> {
  const mapped = p.node.map!;
  const base = { runId: run.runId, nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type };
  let count = -1;
  for (const name of mapped) {
    const list = values[name];
    const fail = (message: string) => settle(run, p, { kind: 'failed', error: { message, errorClass: 'user', retryable: false, path: `inputs.${name}` }, attempts: 0 });
    if (!Array.isArray(list)) return fail(`input \`${name}\` is mapped, so it needs a list; got ${list === undefined ? 'nothing' : typeof list}`);
    if (count >= 0 && list.length !== count) return fail(`mapped inputs must have the same length: \`${mapped[0]}\` has ${count} items, \`${name}\` has ${list.length}`);
    count = list.length;
  }
  const key = sha256(`${p.def.type}@${p.def.version}\nmap\n${canonicalJson(values)}`);
  p.state.startedAt = Date.now();
  p.state.status = 'running';
  p.state.items = count;
  run.emit({ type: 'node.started', ...base, ts: p.state.startedAt, attempt: 1, key, items: count });
  let finished = 0;
  const results = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const itemValues = { ...values };
      for (const name of mapped) itemValues[name] = (values[name] as unknown[])[index];
      const r = await runOnce(run, p, itemValues, { index, count });
      finished++;
      if (r.kind === 'done') run.emit({ type: 'node.progress', ...base, ts: Date.now(), fraction: finished / count, item: index, items: count, message: `item ${index + 1} of ${count}${r.cached ? ' (cached)' : ''}` });
      return r;
    }),
  );
  const failed = results.find((r) => r.kind === 'failed');
  if (failed && failed.kind === 'failed') {
    const index = results.indexOf(failed);
    return settle(run, p, { ...failed, error: { ...failed.error, message: `item ${index}: ${failed.error.message}` } });
  }
  if (results.some((r) => r.kind === 'cancelled')) return settle(run, p, { kind: 'cancelled' });
  const outputs: Record<string, unknown> = {};
  // An item that leaves an output empty adds nothing to that output's list: map over a gate filters.
  for (const port in p.ports.outputs) outputs[port] = results.flatMap((r) => (r.kind === 'done' && r.outputs[port] !== undefined ? [r.outputs[port]] : []));
  const allCached = results.every((r) => r.kind === 'done' && r.cached);
  const attempts = Math.max(0, ...results.map((r) => (r.kind === 'done' ? r.attempts : 0)));
  const now = Date.now();
  if (allCached) run.emit({ type: 'node.cached', ...base, ts: now, key, outputs });
  else run.emit({ type: 'node.succeeded', ...base, ts: now, key, outputs, durationMs: now - p.state.startedAt, attempt: Math.max(1, attempts) });
  settle(run, p, { kind: 'done', outputs, key, cached: allCached, attempts });
}
