/**
 * One execution of a node body (a whole node, or one item of a mapped node): the Merkle key, the
 * cache lookup, the resource slot, and retries with backoff for transient errors.
 *
 * A node whose body returns synchronously settles without allocating a promise: `runOnce` returns
 * the outcome itself, and only goes asynchronous where something really waits (a slot, an async
 * body, a fingerprint, a backoff). That keeps the engine's per-node cost near one hash.
 */
import type { NodeDefinition } from '../graph/node-definition.ts';
import { canonicalJson, sha256 } from './canonical.ts';
import { NodeContext, toFailure } from './context.ts';
import type { NodeFailure } from './events.ts';
import type { Run } from './run.ts';
import type { Planned } from './scope.ts';

/** What one execution came to. */
export type Outcome =
  | { kind: 'done'; outputs: Record<string, unknown>; key: string; cached: boolean; attempts: number }
  | { kind: 'failed'; error: NodeFailure; attempts: number }
  | { kind: 'cancelled' };

export interface ItemInfo {
  index: number;
  count: number;
}

const CANCELLED: Outcome = { kind: 'cancelled' };

/** The Merkle key: type@version plus the canonical resolved inputs, which embed upstream outputs (early cutoff). */
function keyText(def: NodeDefinition, values: Record<string, unknown>): string {
  return def.type + '@' + def.version + '\n' + canonicalJson(values);
}

/**
 * Runs a node body once. With `item`, per-item events are left to the caller, which reports them
 * as progress of the mapped node.
 */
export function runOnce(run: Run, p: Planned, values: Record<string, unknown>, item?: ItemInfo): Outcome | Promise<Outcome> {
  const { def } = p;
  try {
    if (typeof def.cache === 'object') {
      const text = keyText(def, values);
      return Promise.resolve(def.cache.fingerprint(values, { artifacts: run.parts.store, signal: run.signal })).then(
        (fp) => withKey(run, p, values, item, sha256(text + '\n' + canonicalJson(fp ?? null))),
        (err) => failed(err, run, 0),
      );
    }
    return withKey(run, p, values, item, sha256(keyText(def, values)));
  } catch (err) {
    return failed(err, run, 0);
  }
}

function withKey(run: Run, p: Planned, values: Record<string, unknown>, item: ItemInfo | undefined, key: string): Outcome | Promise<Outcome> {
  const cache = p.def.cache !== 'volatile' ? run.parts.cache : undefined;
  if (cache) {
    const hit = cache.get(key);
    if (hit && artifactsPresent(run, hit.artifacts)) {
      if (!item && run.hasListeners) run.emit({ type: 'node.cached', runId: run.runId, nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type, ts: Date.now(), key, outputs: hit.outputs });
      return { kind: 'done', outputs: hit.outputs, key, cached: true, attempts: 0 };
    }
  }
  const body = new Attempts(run, p, values, item, key, cache !== undefined);
  const wait = run.parts.slots[p.def.resource].acquire();
  return wait ? wait.then(() => body.attempt(1)) : body.attempt(1);
}

/** The attempts of one execution, holding one resource slot throughout; releases it exactly once. */
class Attempts {
  readonly #maxAttempts: number;
  readonly #backoffMs: number;

  constructor(
    readonly run: Run,
    readonly p: Planned,
    readonly values: Record<string, unknown>,
    readonly item: ItemInfo | undefined,
    readonly key: string,
    readonly cacheable: boolean,
  ) {
    const policy = p.node.retry ?? p.def.retry;
    this.#maxAttempts = policy?.attempts ?? 1;
    this.#backoffMs = policy?.backoffMs ?? 500;
  }

  attempt(n: number): Outcome | Promise<Outcome> {
    const { run, p } = this;
    if (run.cancelled) return this.#end(CANCELLED);
    const st = p.state;
    st.startedAt ??= Date.now();
    st.status = 'running';
    if (!this.item && run.hasListeners) run.emit({ type: 'node.started', runId: run.runId, nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type, ts: Date.now(), attempt: n, key: this.key });
    let ret: unknown;
    try {
      ret = p.def.run(new NodeContext(run, p, n, this.item), this.values);
    } catch (err) {
      return this.#failedOrRetry(err, n);
    }
    if (ret instanceof Promise) {
      return untilAborted(ret, run.signal).then(
        (outputs) => this.#succeed(outputs, n),
        // Cancelled: the run moves on at once, but the slot stays taken until the body really stops,
        // so a node that ignores its signal cannot put two bodies on the one GPU slot.
        (err) => (run.cancelled ? this.#end(CANCELLED, ret) : this.#failedOrRetry(err, n)),
      );
    }
    return this.#succeed(ret, n);
  }

  #succeed(outputs: unknown, n: number): Outcome | Promise<Outcome> {
    const { run, p } = this;
    try {
      checkOutputs(p, outputs);
      if (this.cacheable) run.parts.cache!.set(this.key, outputs);
    } catch (err) {
      return this.#failedOrRetry(err, n);
    }
    if (!this.item && run.hasListeners) {
      const now = Date.now();
      run.emit({ type: 'node.succeeded', runId: run.runId, nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type, ts: now, key: this.key, outputs, durationMs: now - p.state.startedAt!, attempt: n });
    }
    return this.#end({ kind: 'done', outputs, key: this.key, cached: false, attempts: n });
  }

  #failedOrRetry(err: unknown, n: number): Outcome | Promise<Outcome> {
    const { run, p } = this;
    if (run.cancelled) return this.#end(CANCELLED);
    const error = toFailure(err, run.parts.mask);
    if (!error.retryable || n >= this.#maxAttempts) return this.#end({ kind: 'failed', error, attempts: n });
    const delayMs = this.#backoffMs * 2 ** (n - 1);
    run.emit({ type: 'node.retrying', runId: run.runId, nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type, ts: Date.now(), attempt: n, delayMs, error });
    return sleep(delayMs, run.signal).then((slept) => (slept ? this.attempt(n + 1) : this.#end(CANCELLED)));
  }

  /** Gives the slot back now, or once `body` settles when a cancelled body may still be running. */
  #end(outcome: Outcome, body?: Promise<unknown>): Outcome {
    const slots = this.run.parts.slots[this.p.def.resource];
    if (body) {
      const release = () => slots.release();
      this.run.outlive(body.then(release, release));
    } else slots.release();
    return outcome;
  }
}

function failed(err: unknown, run: Run, attempts: number): Outcome {
  return { kind: 'failed', error: toFailure(err, run.parts.mask), attempts };
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
function artifactsPresent(run: Run, hashes: readonly string[]): boolean {
  for (const hash of hashes) {
    try {
      if (!run.parts.store.hasSync(hash)) return false;
    } catch {
      return false; // not a hash at all: the entry cannot be trusted
    }
  }
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
