/**
 * Run records on disk, three files per run in `<data>/runs/` (flat: a folder per run would cost a mkdir per submission):
 * - `<runId>.request.json`: what to execute (document, inputs, targets) and the record as accepted, written once at submission;
 * - `<runId>.events.jsonl`: every event with its per-run `seq`, appended synchronously *before* it is sent to
 *   anyone, so whatever a client saw survives a crash (a killed process loses nothing already written);
 * - `<runId>.status.json`: an atomic snapshot of the fold of those events, rewritten as nodes change state.
 * On open, snapshots are brought up to date from the log, and runs that were running become `interrupted`.
 * Memory holds every run's summary (RunIndex) but whole records only for active runs and the most recently
 * used finished ones (`maxResident`); an older record is read back from its snapshot when asked for.
 */
import { closeSync, existsSync, mkdirSync, open, openSync, readdirSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { readJson, readJsonSync, writeFileAtomic, writeJsonAtomicSync } from '../../runtime/store/atomic-file.ts';
import { applyEvent, changesState, isTerminal, type RunRecord, type SeqEvent, type ServerEvent } from './record.ts';
import { RunIndex, type RunFilter } from './run-index.ts';

const openAsync = promisify(open);
const REQUEST = '.request.json';
const EVENTS = '.events.jsonl';
const STATUS = '.status.json';

export const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface RunRequest {
  document: unknown;
  inputs: Record<string, unknown>;
  targets?: string[];
  /** The webhook receiver as given (the record shows it masked). */
  webhookUrl?: string;
}

/** request.json also holds the record as accepted, so a run needs no snapshot file until it changes. */
type StoredRequest = RunRequest & { record: RunRecord };

export interface Recovered {
  queued: string[];
  interrupted: string[];
  /** Finished runs whose webhook was not delivered yet. */
  pendingWebhooks: string[];
  /** Idempotency keys with their run, oldest first. */
  keys: Array<{ key: string; runId: string; createdAt: string }>;
}

export class RunRecords {
  readonly #dir: string;
  /** Resident records, least recently used first (a read moves a record to the end). */
  readonly #records = new Map<string, RunRecord>();
  readonly #index = new RunIndex();
  /** Runs whose record object someone holds across awaits (a webhook delivery): never evicted. */
  readonly #pinned = new Set<string>();
  readonly #maxResident: number;
  /** Events of runs still in flight, kept in memory so reconnecting clients replay without disk reads. */
  readonly #live = new Map<string, SeqEvent[]>();
  readonly #snapshots = new Map<string, { dirty: boolean; writing?: Promise<void> }>();
  /** Open append handles of runs in flight: one open per run, not per event. */
  readonly #logs = new Map<string, number>();
  /** Snapshots of running runs are written at most this often (the log is the truth; the snapshot may lag). */
  readonly snapshotIntervalMs: number;

  constructor(
    dataDir: string,
    readonly redact: (line: string) => string = (l) => l,
    options: { snapshotIntervalMs?: number; maxResident?: number } = {},
  ) {
    this.#dir = join(dataDir, 'runs');
    this.snapshotIntervalMs = options.snapshotIntervalMs ?? 100;
    this.#maxResident = Math.max(1, options.maxResident ?? 1000);
    mkdirSync(this.#dir, { recursive: true });
  }

  /** Loads every record (keeping the recent ones in memory); says what the manager must pick up again. */
  recover(): Recovered {
    const out: Recovered = { queued: [], interrupted: [], pendingWebhooks: [], keys: [] };
    const ids = readdirSync(this.#dir)
      .filter((f) => f.endsWith(REQUEST))
      .map((f) => f.slice(0, -REQUEST.length))
      .filter((id) => RUN_ID.test(id))
      .sort();
    for (const id of ids) {
      const record = this.#load(id);
      if (!record) continue;
      this.#records.set(id, record);
      this.#index.add(record);
      if (record.idempotencyKey) out.keys.push({ key: record.idempotencyKey, runId: id, createdAt: record.createdAt });
      if (record.status === 'queued') {
        out.queued.push(id);
        this.#live.set(id, this.#readLog(id));
      } else if (record.status === 'running') {
        this.append(id, { type: 'run.interrupted', runId: id, ts: Date.now(), reason: 'the server stopped while this run was in flight' });
        this.release(id);
        out.interrupted.push(id);
      } else if (record.status !== 'interrupted' && record.webhook?.state === 'pending') {
        out.pendingWebhooks.push(id);
        this.#pinned.add(id); // until the manager takes it over
      }
      this.#trim();
    }
    return out;
  }

  #load(id: string): RunRecord | undefined {
    const read = <T>(kind: string): T | undefined => {
      try {
        return JSON.parse(readFileSync(this.#file(id, kind), 'utf8')) as T;
      } catch {
        return undefined;
      }
    };
    // No snapshot yet: the record as accepted. Neither: the submission never completed, so it was never acknowledged.
    const record = read<RunRecord>(STATUS) ?? read<StoredRequest>(REQUEST)?.record;
    if (!record) return undefined;
    for (const { seq, event } of this.#readLog(id, true)) {
      if (seq <= record.lastSeq) continue;
      applyEvent(record, event);
      record.lastSeq = seq;
    }
    writeJsonAtomicSync(this.#file(id, STATUS), record);
    return record;
  }

  /** Parses the log; with `repair`, cuts a torn last line (a write cut short by a crash) so appends stay clean. */
  #readLog(id: string, repair = false): SeqEvent[] {
    const file = this.#file(id, EVENTS);
    if (!existsSync(file)) return [];
    const text = readFileSync(file, 'utf8');
    const out: SeqEvent[] = [];
    let good = 0;
    for (let start = 0; start < text.length; ) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      try {
        out.push(JSON.parse(text.slice(start, nl)) as SeqEvent);
      } catch {
        break;
      }
      good = start = nl + 1;
    }
    if (repair && good < Buffer.byteLength(text)) truncateSync(file, Buffer.byteLength(text.slice(0, good)));
    return out;
  }

  /**
   * Writes the request and the first snapshot, and opens the event log, before the run is acknowledged:
   * an accepted run survives a crash. Asynchronous, so many submissions share the disk in parallel.
   */
  async create(record: RunRecord, request: RunRequest): Promise<void> {
    const stored: StoredRequest = { ...request, record };
    const file = this.#file(record.runId, REQUEST);
    // The request file appears whole or not at all (recovery treats it as an accepted run).
    const writing = writeFileAtomic(file, this.redact(JSON.stringify(stored)));
    const [log, written] = await Promise.allSettled([openAsync(this.#file(record.runId, EVENTS), 'a'), writing]);
    if (log.status === 'rejected' || written.status === 'rejected') {
      if (log.status === 'fulfilled') closeSync(log.value);
      if (written.status === 'fulfilled') await rm(file, { force: true });
      throw written.status === 'rejected' ? written.reason : (log as PromiseRejectedResult).reason;
    }
    this.#logs.set(record.runId, log.value);
    this.#records.set(record.runId, record);
    this.#index.add(record);
    this.#live.set(record.runId, []);
    this.#trim();
  }

  /** A run's file; `runId` has passed RUN_ID (no separators), so the path stays in the runs folder. */
  #file(runId: string, kind: string): string {
    return join(this.#dir, runId + kind);
  }

  has(runId: string): boolean {
    return this.#index.has(runId);
  }

  /** The record, from memory or else from its snapshot on disk (then kept as most recently used). */
  get(runId: string): RunRecord | undefined {
    if (!RUN_ID.test(runId) || !this.#index.has(runId)) return undefined;
    let record = this.#records.get(runId);
    if (record) this.#records.delete(runId);
    else record = this.#readSnapshot(runId) ?? this.#load(runId); // no snapshot, or a damaged one: rebuilt from the log
    if (!record) return undefined;
    this.#records.set(runId, record);
    this.#trim();
    return record;
  }

  #readSnapshot(runId: string): RunRecord | undefined {
    try {
      return readJsonSync<RunRecord>(this.#file(runId, STATUS));
    } catch {
      return undefined;
    }
  }

  /** Records matching `filter`, newest first. */
  list(filter: RunFilter, offset: number, limit: number): { items: RunRecord[]; total: number } {
    const { ids, total } = this.#index.query(filter, offset, limit);
    return { items: ids.map((id) => this.get(id)).filter((r): r is RunRecord => r !== undefined), total };
  }

  /** Keeps a record object in memory while someone holds it across awaits; `unpin` lets it go again. */
  pin(runId: string): void {
    this.#pinned.add(runId);
  }

  unpin(runId: string): void {
    this.#pinned.delete(runId);
    this.#trim();
  }

  /** How many whole records are in memory. */
  get resident(): number {
    return this.#records.size;
  }

  /**
   * Evicts least recently used records that can be read back as they are: finished, snapshot written,
   * log closed, not pinned.
   */
  #trim(): void {
    if (this.#records.size <= this.#maxResident) return;
    for (const [id, r] of this.#records) {
      if (this.#records.size <= this.#maxResident) return;
      if (isTerminal(r.status) && !this.#snapshots.has(id) && !this.#logs.has(id) && !this.#pinned.has(id)) this.#records.delete(id);
    }
  }

  async request(runId: string): Promise<RunRequest> {
    const req = await readJson<RunRequest>(this.#file(runId, REQUEST));
    if (!req) throw new Error(`run ${runId} has no ${REQUEST} file`);
    return req;
  }

  /** Numbers, persists and folds one event. Synchronous: the caller publishes it only after it is on disk. */
  append(runId: string, event: ServerEvent): SeqEvent {
    const record = this.#records.get(runId) ?? this.get(runId);
    if (!record) throw new Error(`unknown run ${runId}`);
    const seq = record.lastSeq + 1;
    let line = JSON.stringify({ seq, event });
    const clean = this.redact(line);
    if (clean !== line) {
      line = clean;
      event = (JSON.parse(line) as SeqEvent).event;
    }
    let fd = this.#logs.get(runId);
    if (fd === undefined) this.#logs.set(runId, (fd = openSync(this.#file(runId, EVENTS), 'a')));
    writeSync(fd, line + '\n');
    record.lastSeq = seq;
    applyEvent(record, event);
    this.#index.setStatus(runId, record.status);
    const item = { seq, event };
    const live = this.#live.get(runId);
    if (live) live.push(item);
    else this.#live.set(runId, [item]);
    if (changesState(event)) void this.saveSnapshot(runId, isTerminal(record.status) ? 0 : this.snapshotIntervalMs);
    return item;
  }

  /** Events after `afterSeq`, in order: from memory for runs in flight, else from the log. Synchronous, so a
   *  subscriber can replay and then attach to the live stream with no event slipping in between. */
  eventsSince(runId: string, afterSeq: number): SeqEvent[] {
    const events = this.#live.get(runId) ?? this.#readLog(runId);
    let i = 0;
    while (i < events.length && events[i]!.seq <= afterSeq) i++;
    return events.slice(i);
  }

  /** A finished run's events leave memory and its log handle closes (the file stays the source for replays). */
  release(runId: string): void {
    this.#live.delete(runId);
    const fd = this.#logs.get(runId);
    if (fd !== undefined) {
      this.#logs.delete(runId);
      closeSync(fd);
    }
  }

  /**
   * Coalesced: at most one write in flight per run, after `delayMs` (changes meanwhile join it), followed by
   * one more if anything changed during the write. A terminal state is written without delay.
   */
  saveSnapshot(runId: string, delayMs = 0): Promise<void> {
    let s = this.#snapshots.get(runId);
    if (!s) this.#snapshots.set(runId, (s = { dirty: false }));
    s.dirty = true;
    if (!s.writing) {
      const state = s;
      const file = this.#file(runId, STATUS);
      state.writing = (async () => {
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs).unref()); // never what keeps a process alive: the log has it all
        while (state.dirty) {
          state.dirty = false;
          const record = this.#records.get(runId);
          if (!record) break;
          await writeFileAtomic(file, JSON.stringify(record));
        }
        state.writing = undefined;
        this.#snapshots.delete(runId);
        this.#trim();
      })();
    }
    return s.writing!;
  }

  async flushAll(): Promise<void> {
    await Promise.all([...this.#snapshots.values()].map((s) => s.writing));
  }
}
