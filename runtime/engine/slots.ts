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

  /**
   * Takes a slot: returns undefined when one was free (callers skip an await on the hot path), else a
   * promise that resolves when one is handed over. A cancelled run still takes its turn, sees the abort
   * and gives the slot straight back, so waiters need no abort listeners of their own.
   */
  acquire(): Promise<void> | undefined {
    if (this.#free > 0) {
      this.#free--;
      return undefined;
    }
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

export type SlotPool = Record<ResourceClass, Slots>;
