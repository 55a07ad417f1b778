/**
 * The run manager: accepts runs (validated before they are acknowledged), queues them by priority,
 * executes up to `runConcurrency` at once on the in-process engine, and turns every engine event into a
 * numbered, persisted record entry before anyone hears of it. Completion triggers the webhook.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { GraphValidationError, type Engine, type RunHandle } from '../../runtime/engine/index.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { readJsonSync, writeJsonAtomicSync } from '../../runtime/store/atomic-file.ts';
import type { GraphLibrary } from '../library/store.ts';
import type { ArtifactService } from '../artifacts.ts';
import type { RunCreateBody, RunListQuery } from '../../runtime/api/schemas.ts';
import type { WebhookSender } from '../webhooks.ts';
import { WebhookTargetError } from '../webhook-target.ts';
import { maskUrl } from '../secrets.ts';
import { isTerminal, type RunRecord, type SeqEvent, type ServerEvent } from './record.ts';
import type { RunRecords, RunRequest } from './records.ts';
import { RunQueue } from './queue.ts';

export interface RunManagerOptions {
  engine: Engine;
  records: RunRecords;
  library: GraphLibrary;
  artifacts: ArtifactService;
  webhooks: WebhookSender | undefined;
  concurrency: number;
  maxQueued: number;
  /** How long an idempotency key answers with its first run (24 h by default). */
  idempotencyTtlMs?: number;
  /** Where the queue's paused state is kept, so a restart does not quietly start what an operator held. */
  queueStateFile: string;
  /** Every persisted event goes here (the WebSocket hub). */
  publish: (runId: string, item: SeqEvent) => void;
  log: (msg: string, err?: unknown) => void;
}

type Submit = z.output<typeof RunCreateBody>;

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** Sortable, unguessable run ids: time first, then randomness. */
export function newRunId(): string {
  return `run_${Date.now().toString(36).padStart(9, '0')}${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

export class RunManager {
  readonly #o: RunManagerOptions;
  readonly #queue = new RunQueue();
  /** Runs holding a concurrency slot; the handle is undefined while the run's request is still being read. */
  readonly #active = new Map<string, RunHandle | undefined>();
  /** Cancelled between taking a slot and getting an engine handle. */
  readonly #cancelOnStart = new Set<string>();
  /** Key → run, oldest first (a key is set once, when its run is accepted), so expiry trims from the front. */
  readonly #idempotency = new Map<string, { runId: string; at: number }>();
  readonly #idempotencyTtlMs: number;
  /** Requests of runs accepted by this process and not yet started (after a restart they are read from disk). */
  readonly #requests = new Map<string, RunRequest>();
  /** Submissions past their last queue-size check whose records are still being written. */
  #admitting = 0;
  readonly #webhooksInFlight = new Set<Promise<unknown>>();
  /** Runs being stopped because the server is shutting down: their cancellation is recorded as an interruption. */
  readonly #interrupting = new Set<string>();
  #paused = false;
  #closed = false;

  constructor(options: RunManagerOptions) {
    this.#o = options;
    this.#idempotencyTtlMs = options.idempotencyTtlMs ?? IDEMPOTENCY_TTL_MS;
  }

  #keyedRun(key: string): string | undefined {
    const cutoff = Date.now() - this.#idempotencyTtlMs;
    for (const [k, v] of this.#idempotency) {
      if (v.at >= cutoff) break;
      this.#idempotency.delete(k);
    }
    return this.#idempotency.get(key)?.runId;
  }

  /** After a restart: requeues runs that never started, re-sends webhooks that were not delivered. */
  recover(): { requeued: number; interrupted: number } {
    this.#paused = readJsonSync<{ paused?: boolean }>(this.#o.queueStateFile)?.paused === true;
    const { queued, interrupted, pendingWebhooks, keys } = this.#o.records.recover();
    for (const k of keys.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))) this.#idempotency.set(k.key, { runId: k.runId, at: Date.parse(k.createdAt) });
    for (const id of pendingWebhooks) this.#sendWebhook(this.#o.records.get(id)!); // pinned by recover(), unpinned when delivered
    const byPriority = queued.map((id) => this.#o.records.get(id)!).sort((a, b) => b.priority - a.priority);
    for (const r of byPriority) this.#queue.push(r.runId, r.priority);
    this.#pump();
    return { requeued: queued.length, interrupted: interrupted.length };
  }

  async #checkWebhook(url: string): Promise<void> {
    try {
      await this.#o.webhooks!.checkTarget(url);
    } catch (err) {
      if (!(err instanceof WebhookTargetError)) throw err;
      throw new ApiError('validation_failed', `body.webhook.url: ${err.message}`, [{ path: 'body.webhook.url', message: err.message }]);
    }
  }

  async submit(body: Submit, headerKey?: string): Promise<{ runId: string; status: RunRecord['status']; deduplicated: boolean }> {
    const key = headerKey ?? body.idempotencyKey;
    // A reserved key's run may still be being written: it is queued by then in any case.
    const replay = (runId: string) => ({ runId, status: this.#o.records.get(runId)?.status ?? ('queued' as const), deduplicated: true });
    const existing = key ? this.#keyedRun(key) : undefined;
    if (existing) return replay(existing);
    this.#checkRoom();
    if (body.webhook && !this.#o.webhooks)
      throw new ApiError('validation_failed', 'webhooks need a signing secret in the server configuration (CASTGRAPH_WEBHOOK_SECRET)', [
        { path: 'body.webhook.url', message: 'this server has no webhook secret configured' },
      ]);
    if (body.webhook) await this.#checkWebhook(body.webhook.url);

    let document: unknown;
    let graph: RunRecord['graph'] | undefined;
    if (body.graphId) {
      const [id, rev] = body.graphId.split('@') as [string, string | undefined];
      const found = await this.#o.library.get(id, rev === undefined ? undefined : Number(rev));
      document = found.document;
      graph = { source: 'library', id, revision: rev === undefined ? found.entry.revision : Number(rev), name: found.entry.name };
    } else {
      document = body.graph!;
    }
    const inputs = await this.#o.artifacts.resolveInputs(body.inputs);
    try {
      const { doc } = this.#o.engine.load(document, inputs, body.targets);
      graph ??= { source: 'inline', id: doc.id, name: doc.name };
    } catch (err) {
      if (!(err instanceof GraphValidationError)) throw err;
      const root = body.graphId ? 'graph' : 'body.graph';
      const where = (p: string) =>
        p.startsWith('inputs.') || p.startsWith('targets[') ? `body.${p}` : p === '(document)' ? root : `${root}.${p}`;
      const issues = err.errors.map((e) => ({ path: where(e.path), message: e.message }));
      throw new ApiError('invalid_graph', `the graph cannot run: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
    }
    // Another request with the same key may have won while this one awaited.
    const raced = key ? this.#keyedRun(key) : undefined;
    if (raced) return replay(raced);

    const runId = newRunId();
    const record: RunRecord = {
      runId,
      status: 'queued',
      graph: graph!,
      createdAt: new Date().toISOString(),
      priority: body.priority,
      ...(key ? { idempotencyKey: key } : {}),
      inputs,
      ...(body.targets ? { targets: body.targets } : {}),
      seeds: body.seeds ?? {},
      nodes: {},
      executions: 1,
      lastSeq: 0,
      // Shown masked (a query may hold the receiver's key); the URL itself stays in the request file.
      ...(body.webhook ? { webhook: { url: maskUrl(body.webhook.url), state: 'pending' as const, deliveries: [] } } : {}),
    };
    const request: RunRequest = { document, inputs, ...(body.targets ? { targets: body.targets } : {}), ...(body.webhook ? { webhookUrl: body.webhook.url } : {}) };
    this.#checkRoom(); // again: others were admitted while this one awaited
    this.#admitting++;
    if (key) this.#idempotency.set(key, { runId, at: Date.now() });
    try {
      await this.#o.records.create(record, request);
    } catch (err) {
      if (key) this.#idempotency.delete(key);
      throw err;
    } finally {
      this.#admitting--; // the push below follows in the same tick
    }
    this.#requests.set(runId, request);
    this.#emit(runId, { type: 'run.queued', runId, ts: Date.now() });
    this.#queue.push(runId, body.priority);
    this.#pump();
    return { runId, status: this.#o.records.get(runId)!.status, deduplicated: false };
  }

  /** Queued runs plus those being written count against maxQueued. */
  #checkRoom(): void {
    const held = this.#queue.size + this.#admitting;
    if (held >= this.#o.maxQueued) throw new ApiError('queue_full', `the queue holds ${held} runs, its limit: try again later`);
  }

  get(runId: string): RunRecord {
    const r = this.#o.records.get(runId);
    if (!r) throw notFound('run', runId);
    return r;
  }

  list(q: z.output<typeof RunListQuery>): { items: RunRecord[]; total: number } {
    const filter = {
      ...(q.status === undefined ? {} : { statuses: new Set<string>([q.status].flat()) }),
      ...(q.graphId ? { graphId: q.graphId } : {}),
      ...(q.since ? { since: new Date(q.since).toISOString() } : {}),
    };
    return this.#o.records.list(filter, q.offset ?? 0, q.limit ?? 50);
  }

  cancel(runId: string): RunRecord {
    const r = this.get(runId);
    if (isTerminal(r.status)) throw new ApiError('conflict', `run ${runId} already ended (${r.status})`);
    if (this.#queue.remove(runId)) {
      this.#requests.delete(runId);
      this.#finishQueued(runId, { type: 'run.cancelled', runId, ts: Date.now(), durationMs: 0 });
    } else {
      const handle = this.#active.get(runId);
      if (handle) handle.cancel();
      else this.#cancelOnStart.add(runId);
    }
    return r;
  }

  /** Runs an interrupted (or failed, or cancelled) run again with the same document, inputs and seeds. */
  resume(runId: string): RunRecord {
    const r = this.get(runId);
    if (!isTerminal(r.status) || r.status === 'succeeded') throw new ApiError('conflict', `run ${runId} is ${r.status}: only interrupted, failed or cancelled runs can be resumed`);
    this.#checkRoom();
    this.#emit(runId, { type: 'run.queued', runId, ts: Date.now() }); // the fold counts the execution
    this.#queue.push(runId, r.priority);
    this.#pump();
    return r;
  }

  /** Moves a queued run in the queue (ComfyUI users asked to re-arrange theirs). */
  reprioritize(runId: string, priority: number): RunRecord {
    const r = this.get(runId);
    if (!this.#queue.remove(runId)) throw new ApiError('conflict', `run ${runId} is ${r.status}, not waiting in the queue: its priority no longer matters`);
    this.#queue.push(runId, priority);
    this.#emit(runId, { type: 'run.reprioritized', runId, ts: Date.now(), priority });
    return r;
  }

  queueState(): { paused: boolean; running: string[]; queued: string[]; concurrency: number } {
    return { paused: this.#paused, running: [...this.#active.keys()], queued: this.#queue.ids(), concurrency: this.#o.concurrency };
  }

  setPaused(paused: boolean): void {
    writeJsonAtomicSync(this.#o.queueStateFile, { paused });
    this.#paused = paused;
    this.#pump();
  }

  #pump(): void {
    while (!this.#paused && !this.#closed && this.#active.size < this.#o.concurrency) {
      const runId = this.#queue.shift();
      if (!runId) return;
      this.#active.set(runId, undefined); // the slot is taken now, not after the request is read
      void this.#start(runId);
    }
  }

  async #start(runId: string): Promise<void> {
    const record = this.#o.records.get(runId)!;
    let handle: RunHandle | undefined;
    try {
      const req = this.#requests.get(runId) ?? (await this.#o.records.request(runId));
      this.#requests.delete(runId);
      if (this.#closed) return; // never started: still queued on disk, so requeued at the next start
      if (this.#cancelOnStart.delete(runId)) {
        this.#finishQueued(runId, { type: 'run.cancelled', runId, ts: Date.now(), durationMs: 0 });
        return;
      }
      handle = this.#o.engine.start(req.document, {
        runId,
        inputs: req.inputs,
        targets: req.targets,
        seeds: record.seeds,
        onEvent: (e) => this.#emit(runId, e),
      });
    } catch (err) {
      // The document was valid when accepted; it can stop being so if node types changed across a restart.
      const message = err instanceof GraphValidationError ? err.message : 'the run could not start';
      if (!(err instanceof GraphValidationError)) this.#o.log(`run ${runId} could not start`, err);
      this.#finishQueued(runId, { type: 'run.failed', runId, ts: Date.now(), durationMs: 0, error: { message, errorClass: 'user', retryable: false } });
      return;
    } finally {
      if (!handle) {
        this.#active.delete(runId);
        this.#pump();
      }
    }
    this.#active.set(runId, handle);
    try {
      await handle.done;
    } catch (err) {
      this.#o.log(`run ${runId} crashed in the engine`, err);
      if (!isTerminal(record.status))
        this.#emit(runId, { type: 'run.failed', runId, ts: Date.now(), durationMs: 0, error: { message: 'internal engine error', errorClass: 'internal', retryable: true } });
    } finally {
      this.#active.delete(runId);
      this.#interrupting.delete(runId);
      this.#ended(runId);
      this.#pump();
    }
  }

  #finishQueued(runId: string, event: ServerEvent): void {
    this.#emit(runId, event);
    this.#ended(runId);
  }

  #ended(runId: string): void {
    this.#o.records.release(runId);
    const r = this.#o.records.get(runId)!;
    if (r.webhook && r.status !== 'interrupted') this.#sendWebhook(r);
  }

  #emit(runId: string, event: ServerEvent): void {
    if (event.type === 'run.cancelled' && this.#interrupting.has(runId))
      event = { type: 'run.interrupted', runId, ts: event.ts, reason: 'the server was shut down while this run was in flight' };
    const item = this.#o.records.append(runId, event);
    this.#o.publish(runId, item);
  }

  #sendWebhook(r: RunRecord): void {
    const hook = r.webhook!;
    this.#o.records.pin(r.runId); // `r` is updated across the delivery's awaits: it must stay the resident record
    const payload = {
      type: 'run.completed',
      runId: r.runId,
      status: r.status,
      graph: r.graph,
      createdAt: r.createdAt,
      endedAt: r.endedAt,
      durationMs: r.durationMs,
      outputs: r.outputs ?? {},
      ...(r.error ? { error: r.error } : {}),
    };
    const deliver = async () => {
      const url = (await this.#o.records.request(r.runId)).webhookUrl ?? hook.url;
      hook.state = await this.#o.webhooks!.deliver(url, payload, (attempt) => {
        hook.deliveries.push(attempt);
        void this.#o.records.saveSnapshot(r.runId);
      });
      await this.#o.records.saveSnapshot(r.runId);
    };
    const p = deliver()
      .catch((err) => this.#o.log(`webhook for run ${r.runId} failed`, err))
      .finally(() => {
        this.#webhooksInFlight.delete(p);
        this.#o.records.unpin(r.runId);
      });
    this.#webhooksInFlight.add(p);
  }

  /** Stops taking work; runs in flight are stopped and recorded as interrupted (resumable after restart). */
  async close(): Promise<void> {
    this.#closed = true;
    const active = [...this.#active.entries()].filter((e): e is [string, RunHandle] => e[1] !== undefined);
    for (const [runId, handle] of active) {
      this.#interrupting.add(runId);
      handle.cancel();
    }
    await Promise.allSettled(active.map(([, h]) => h.done));
    this.#o.webhooks?.close();
    await Promise.allSettled([...this.#webhooksInFlight]);
    await this.#o.records.flushAll();
  }
}
