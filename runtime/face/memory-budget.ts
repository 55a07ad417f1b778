/**
 * A byte budget for the photos the face analysis workers hold decoded. A 64 MP phone photo is ~192 MB of RGB in
 * a worker, and every pool keeps up to 16 photos in flight, so without a cap a few face nodes running at once can
 * exhaust memory. One budget is shared by every pool in the process (see processBudget).
 */
import { totalmem } from 'node:os';

const MiB = 1024 * 1024;
export const MEMORY_ENV = 'CASTGRAPH_FACE_MEMORY_MB';

/** Gives the bytes back; calling it again does nothing, so every exit path of a caller may call it. */
export type Release = () => void;

/**
 * A byte semaphore. Waiters are granted strictly in arrival order, so a big photo is not starved by small ones
 * that keep arriving behind it. A request bigger than the whole limit is granted once nothing else is held: it
 * runs alone instead of waiting forever.
 */
export class MemoryBudget {
  readonly limit: number;
  #inUse = 0;
  #peak = 0;
  readonly #waiting: { bytes: number; grant: (release: Release) => void }[] = [];

  constructor(limit: number) {
    if (!Number.isFinite(limit) || limit <= 0) throw new RangeError(`memory budget: limit must be a positive number of bytes, got ${limit}`);
    this.limit = limit;
  }

  get inUse(): number {
    return this.#inUse;
  }

  /** The most bytes held at once so far; above `limit` only while a single over-limit request ran alone. */
  get peak(): number {
    return this.#peak;
  }

  /** Resolves once `bytes` fit (or nothing else is held), with the function that gives them back. */
  acquire(bytes: number): Promise<Release> {
    return new Promise((grant) => {
      if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`memory budget: cannot acquire ${bytes} bytes`);
      this.#waiting.push({ bytes, grant });
      this.#drain();
    });
  }

  #drain(): void {
    while (this.#waiting.length > 0) {
      const { bytes, grant } = this.#waiting[0];
      if (this.#inUse > 0 && this.#inUse + bytes > this.limit) return;
      this.#waiting.shift();
      this.#inUse += bytes;
      this.#peak = Math.max(this.#peak, this.#inUse);
      let held = true;
      grant(() => {
        if (!held) return;
        held = false;
        this.#inUse -= bytes;
        this.#drain();
      });
    }
  }
}

/**
 * The process-wide limit in bytes: `CASTGRAPH_FACE_MEMORY_MB` (mebibytes) when set, else a quarter of the
 * machine's memory kept within 512 MiB..4 GiB (enough for several 64 MP photos at once, little on small machines).
 */
export function budgetLimit(env: NodeJS.ProcessEnv = process.env, total = totalmem()): number {
  const raw = env[MEMORY_ENV];
  if (raw === undefined) return Math.min(4096 * MiB, Math.max(512 * MiB, Math.floor(total / 4)));
  const mb = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(mb) || mb <= 0) throw new Error(`${MEMORY_ENV} must be a positive number of megabytes, got ${JSON.stringify(raw)}`);
  return Math.ceil(mb * MiB);
}

let shared: MemoryBudget | undefined;

/** Created on first use, so a bad CASTGRAPH_FACE_MEMORY_MB fails face analysis, not every import of this module. */
export function processBudget(): MemoryBudget {
  return (shared ??= new MemoryBudget(budgetLimit()));
}
