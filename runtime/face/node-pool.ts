/**
 * Face analysis on worker threads. onnxruntime-node runs a session on the calling thread, and decoding plus
 * preprocessing are CPU work too, so one thread caps throughput at one core; a pool of threads (one per core,
 * each with single-threaded sessions) runs whole photos side by side. Same code and models as FaceAnalyzer, so
 * the results are identical to the in-process path.
 */
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { AnalyzeOptions, FaceResult } from './analyzer.ts';
import { readImageHeader } from './header.ts';
import { processBudget, type MemoryBudget, type Release } from './memory-budget.ts';
import type { Face, RgbImage } from './types.ts';
import type { PoolCall, PoolInit } from './node-worker.ts';

/**
 * Workers do not inherit the `--import tsx` hooks of the main thread, so the worker starts from a tiny ES module
 * that registers tsx and then imports the TypeScript entry.
 */
const BOOT = new URL(
  `data:text/javascript,${encodeURIComponent(
    `const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}); register(); await import(${JSON.stringify(new URL('./node-worker.ts', import.meta.url).href)});`,
  )}`,
);

/**
 * A face worker's JS heap stays near 9 MB while each photo brings megabytes of decoded pixels and tensors held
 * outside it. V8 derives the old generation's limit from that small heap and counts the outside bytes against
 * it, so every few photos set off a full mark-compact (5-14 ms each, about 1.5 ms of CPU per face). Starting
 * the old generation at 64 MB leaves those short-lived buffers to the young generation's scavenges: a worker's
 * mark-compacts over 256 faces fell from ~40 to 1-3 and its CPU per face by about a tenth, for ~20 MB more
 * resident memory per worker (bench/identity.bench.ts). V8 reads the flag when it creates an isolate and no
 * Worker option sets it, so it is set before the first worker starts, unless the process was given one. The
 * flag is process-wide: worker threads started later by other code get the same starting size, which only
 * defers their first full collection; the main thread's heap is already made and keeps its own.
 */
const WORKER_INITIAL_OLD_SPACE_MB = 64;
let workerHeapSet = false;

function sizeWorkerHeaps(): void {
  if (workerHeapSet) return;
  workerHeapSet = true;
  if (process.execArgv.some((a) => a.startsWith('--initial-old-space-size') || a.startsWith('--initial_old_space_size'))) return;
  setFlagsFromString(`--initial-old-space-size=${WORKER_INITIAL_OLD_SPACE_MB}`);
}

export type PhotoResult = FaceResult & { width: number; height: number };

/** Most headers (JPEG with EXIF and thumbnail included) end within the first 256 KiB; a few put big APPn blocks first. */
const HEADER_READS = [256 * 1024, 4 * 1024 * 1024];

/**
 * The bytes a worker holds while it analyses this photo file: the file itself plus its decoded RGB pixels.
 * undefined when the header cannot be read (most likely a corrupt file, which sharp then refuses with its message).
 */
export async function photoCost(path: string): Promise<number | undefined> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    for (const want of HEADER_READS) {
      const head = Buffer.alloc(Math.min(want, size));
      const { bytesRead } = await file.read(head, 0, head.length, 0);
      const header = readImageHeader(head.subarray(0, bytesRead));
      if (header) return header.width * header.height * 3 + size;
      if (bytesRead >= size) return undefined;
    }
    return undefined;
  } finally {
    await file.close();
  }
}

interface Slot {
  worker: Worker;
  busy: number;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; slot: Slot; release: Release };

export class FaceAnalysisPool {
  readonly #init: PoolInit;
  readonly #size: number;
  readonly #slots: Slot[] = [];
  readonly #pending = new Map<number, Pending>();
  readonly #budget: MemoryBudget;
  #next = 1;
  #closed = false;

  /** `budget` bounds the decoded photos held by the workers; the default is shared by every pool in the process. */
  constructor(init: PoolInit, size = Math.max(1, Math.min(availableParallelism(), 4)), budget: MemoryBudget = processBudget()) {
    this.#init = init;
    this.#size = size;
    this.#budget = budget;
  }

  /**
   * How many photos callers should keep in flight: four per worker. A worker's thread is held by
   * onnxruntime while a model runs, and sharp decodes on libuv's threads meanwhile, so queued photos let
   * decoding overlap inference (two per worker left the cores idle a tenth of the time).
   */
  get inFlight(): number {
    return this.#size * 4;
  }

  /**
   * Decodes a photo file in a worker and analyses it (see FaceAnalyzer.analyze). Waits for the memory budget
   * first; a photo whose size is unknown takes the whole budget, so it runs alone.
   */
  async analyzeFile(path: string, opts: AnalyzeOptions = {}): Promise<PhotoResult> {
    const cost = (await photoCost(path)) ?? this.#budget.limit;
    return (await this.#call({ op: 'analyze', path, opts }, cost)) as PhotoResult;
  }

  /** Faces in an already decoded image, largest first (the pixels are copied to the worker, within the memory budget). */
  detect(img: RgbImage, opts: AnalyzeOptions = {}): Promise<Face[]> {
    return this.#call({ op: 'detect', img, opts }, img.width * img.height * 3) as Promise<Face[]>;
  }

  /** Stops the workers; calls in flight and calls still waiting for the memory budget are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.splice(0).map((s) => s.worker.terminate()));
  }

  /** Holds `bytes` of the budget from before the request is posted until its answer, error or worker exit. */
  async #call(req: PoolCall, bytes: number): Promise<unknown> {
    if (this.#closed) throw new Error('face analysis pool is closed');
    const release = await this.#budget.acquire(bytes);
    // A call that waited for the budget while the pool closed must not start a worker of a closed pool.
    if (this.#closed) {
      release();
      throw new Error('face analysis pool is closed');
    }
    const slot = this.#pick();
    const id = this.#next++;
    if (slot.busy++ === 0) slot.worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, slot, release });
      try {
        slot.worker.postMessage({ ...req, id });
      } catch (err) {
        // A request that cannot be cloned never reaches the worker: its bytes would otherwise stay held for good.
        this.#settle(id);
        reject(err as Error);
      }
    });
  }

  /** Ends a pending call's bookkeeping: its slot count and its share of the budget. */
  #settle(id: number): Pending | undefined {
    const p = this.#pending.get(id);
    if (!p) return undefined;
    this.#pending.delete(id);
    p.release();
    // An idle worker must not keep the process alive; a busy one must, or a pending answer could be lost.
    if (--p.slot.busy === 0) p.slot.worker.unref();
    return p;
  }

  /** The least busy worker, starting a new one while fewer than `size` exist. */
  #pick(): Slot {
    const idle = this.#slots.find((s) => s.busy === 0);
    if (idle) return idle;
    if (this.#slots.length < this.#size) return this.#spawn();
    return this.#slots.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  #spawn(): Slot {
    sizeWorkerHeaps();
    const worker = new Worker(BOOT, { workerData: this.#init });
    const slot: Slot = { worker, busy: 0 };
    worker.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
      const p = this.#settle(msg.id);
      if (!p) return;
      if (msg.error !== undefined) p.reject(new Error(msg.error));
      else p.resolve(msg.result);
    });
    const fail = (err: Error) => {
      const i = this.#slots.indexOf(slot);
      if (i >= 0) this.#slots.splice(i, 1);
      for (const [id, p] of this.#pending) {
        if (p.slot !== slot) continue;
        this.#settle(id);
        p.reject(new Error(`face analysis worker stopped: ${err.message}`));
      }
    };
    worker.on('error', fail);
    // Any exit ends the slot: even a clean one (code 0) would otherwise leave its callers waiting forever.
    worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    this.#slots.push(slot);
    return slot;
  }
}
