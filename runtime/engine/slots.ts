/**
 * Concurrency limits per resource class (cpu: the core count, gpu: one slot in embedded mode),
 * shared by every run of an engine. Waiters are served first come, first served.
 */
import type { ResourceClass } from '../graph/node-definition.ts';

export class Slots {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`a concurrency limit must be at least 1 (got ${limit})`);
    this.#free = limit;
  }

  get inUse(): number {
    return this.limit - this.#free;
  }

  /** Resolves when a slot is held; an abort while waiting rejects and gives up the place in line. */
  acquire(signal?: AbortSignal): Promise<void> | undefined {
    if (this.#free > 0 && this.#waiting.length === 0) {
      this.#free--;
      return undefined; // held at once: callers skip an await on the hot path
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = this.#waiting.indexOf(grant);
        if (i >= 0) this.#waiting.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(grant);
    });
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

export type SlotPool = Record<ResourceClass, Slots>;
