/**
 * Executes one planned node: mute/bypass/gate handling, the Merkle cache key, the cache lookup,
 * the resource slot, retries with backoff for transient errors, and the events of each step.
 * Control flow (subgraph, loop) and map are delegated to control-flow.ts.
 */
import { isArtifactRef, type NodeDefinition } from '../graph/node-definition.ts';
import { compatible } from '../graph/port-types.ts';
import { canonicalJson, sha256 } from './canonical.ts';
import { makeContext, toFailure } from './context.ts';
import type { NodeFailure } from './events.ts';
import { runControl, runMapped } from './control-flow.ts';
import type { Run } from './run.ts';
import { resolveInputs, type Planned } from './scope.ts';

export async function executeNode(run: Run, p: Planned): Promise<void> {
  const st = p.state;
  if (p.node.mode === 'mute') return settleEmpty(run, p, 'muted', 'muted');
  const resolved = resolveInputs(p);
  if ('empty' in resolved) return settleEmpty(run, p, 'skipped', resolved.empty);
  if (p.node.mode === 'bypass') {
    p.outputs = passThrough(p, resolved.values);
    st.status = 'bypassed';
    st.outputs = p.outputs;
    return;
  }
  if (p.def.control) return runControl(run, p, resolved.values);
  if (p.node.map?.length) return runMapped(run, p, resolved.values);
  const r = await runOnce(run, p, resolved.values);
  settle(run, p, r);
}

/** What one execution (a node, or one item of a mapped node) came to. */
export type Outcome =
  | { kind: 'done'; outputs: Record<string, unknown>; key: string; cached: boolean; attempts: number }
  | { kind: 'failed'; error: NodeFailure; attempts: number }
  | { kind: 'cancelled' };

export function settle(run: Run, p: Planned, r: Outcome): void {
  const st = p.state;
  st.endedAt = Date.now();
  if (r.kind === 'done') {
    p.outputs = r.outputs;
    st.outputs = r.outputs;
    st.key = r.key;
    st.attempts = r.attempts;
    st.status = r.cached ? 'cached' : 'succeeded';
  } else if (r.kind === 'failed') {
    st.status = 'failed';
    st.error = r.error;
    st.attempts = r.attempts;
    run.failure ??= { error: r.error, nodePath: p.path };
    run.emit({ type: 'node.failed', runId: run.runId, ts: st.endedAt, nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type, error: r.error, attempt: r.attempts });
  } else {
    st.status = 'cancelled';
    if (run.hasListeners) run.emit({ type: 'node.cancelled', runId: run.runId, ts: st.endedAt, nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type });
  }
}

function settleEmpty(run: Run, p: Planned, status: 'muted' | 'skipped', reason: string): void {
  p.outputs = {};
  p.state.status = status;
  p.state.reason = reason;
  if (run.hasListeners) run.emit({ type: 'node.skipped', runId: run.runId, ts: Date.now(), nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type, reason });
}

/** A bypassed node hands each output the first input value of a compatible type, as if it were not there. */
function passThrough(p: Planned, values: Record<string, unknown>): Record<string, unknown> {
  const outputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(p.ports.outputs)) {
    const match = p.bindings.find((b) => values[b.port] !== undefined && compatible(b.spec.type, spec.type).ok);
    if (match) outputs[name] = values[match.port];
  }
  return outputs;
}

/** The Merkle key: type@version plus the canonical resolved inputs, which embed upstream outputs (early cutoff). */
export async function nodeKey(run: Run, def: NodeDefinition, values: Record<string, unknown>): Promise<string> {
  let text = def.type + '@' + def.version + '\n' + canonicalJson(values);
  if (typeof def.cache === 'object') {
    const fp = await def.cache.fingerprint(values, { artifacts: run.parts.store, signal: run.signal });
    text += '\n' + canonicalJson(fp ?? null);
  }
  return sha256(text);
}

export interface ItemInfo {
  index: number;
  count: number;
}

/**
 * Runs a node body once (a whole node, or one item when `item` is given: then per-item events are
 * left to the caller, which reports them as progress of the mapped node).
 */
export async function runOnce(run: Run, p: Planned, values: Record<string, unknown>, item?: ItemInfo): Promise<Outcome> {
  const { def, state: st } = p;
  const base = { runId: run.runId, nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type };
  let key: string;
  try {
    key = await nodeKey(run, def, values);
  } catch (err) {
    return { kind: 'failed', error: toFailure(err, run.parts.config), attempts: 0 };
  }
  const cacheable = def.cache !== 'volatile' && run.parts.cache !== undefined;
  if (cacheable) {
    const hit = run.parts.cache!.get(key);
    if (hit && artifactsPresent(run, hit.outputs)) {
      if (!item && run.hasListeners) run.emit({ type: 'node.cached', ...base, ts: Date.now(), key, outputs: hit.outputs });
      return { kind: 'done', outputs: hit.outputs, key, cached: true, attempts: 0 };
    }
  }
  const slots = run.parts.slots[def.resource];
  const wait = slots.acquire(run.signal);
  if (wait) {
    try {
      await wait;
    } catch {
      return { kind: 'cancelled' };
    }
  }
  try {
    const policy = p.node.retry ?? def.retry ?? { attempts: 1 };
    for (let attempt = 1; ; attempt++) {
      if (run.signal.aborted) return { kind: 'cancelled' };
      st.startedAt ??= Date.now();
      st.status = 'running';
      if (!item && run.hasListeners) run.emit({ type: 'node.started', ...base, ts: Date.now(), attempt, key });
      try {
        const ctx = makeContext(run, p, attempt, item);
        const ret = def.run(ctx, values);
        const outputs = ret instanceof Promise ? await untilAborted(ret, run.signal) : ret;
        checkOutputs(p, outputs);
        if (cacheable) run.parts.cache!.set(key, outputs);
        if (!item && run.hasListeners) {
          const now = Date.now();
          run.emit({ type: 'node.succeeded', ...base, ts: now, key, outputs, durationMs: now - st.startedAt, attempt });
        }
        return { kind: 'done', outputs, key, cached: false, attempts: attempt };
      } catch (err) {
        if (run.signal.aborted) return { kind: 'cancelled' };
        const error = toFailure(err, run.parts.config);
        if (!error.retryable || attempt >= policy.attempts) return { kind: 'failed', error, attempts: attempt };
        const delayMs = (policy.backoffMs ?? 500) * 2 ** (attempt - 1);
        if (run.hasListeners) run.emit({ type: 'node.retrying', ...base, ts: Date.now(), attempt, delayMs, error });
        if (!(await sleep(delayMs, run.signal))) return { kind: 'cancelled' };
      }
    }
  } finally {
    slots.release();
  }
}

function checkOutputs(p: Planned, outputs: unknown): asserts outputs is Record<string, unknown> {
  if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) {
    throw new Error(`node type ${p.def.type} returned ${outputs === null ? 'null' : typeof outputs} instead of an object of outputs`);
  }
  for (const name in outputs) {
    if (!(name in p.ports.outputs)) throw new Error(`node type ${p.def.type} returned an output \`${name}\` it does not declare`);
    const v = (outputs as Record<string, unknown>)[name];
    if (typeof v === 'function' || ArrayBuffer.isView(v)) {
      throw new Error(`node type ${p.def.type} returned binary or code on \`${name}\`; outputs are JSON, files go through ctx.artifacts`);
    }
  }
}

/** A cache entry is usable only while every artifact it points to is still in the store. */
function artifactsPresent(run: Run, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (isArtifactRef(value)) {
    try {
      return run.parts.store.hasSync(value);
    } catch {
      return false;
    }
  }
  if (Array.isArray(value)) return value.every((v) => artifactsPresent(run, v));
  for (const k in value) if (!artifactsPresent(run, (value as Record<string, unknown>)[k])) return false;
  return true;
}

/** Settles with the node's result, or rejects as soon as the run is cancelled, even if the node ignores its signal. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
