/** Runs waiting to start: higher priority first, then submission order. */
export class RunQueue {
  readonly #items: Array<{ runId: string; priority: number; order: number }> = [];
  #order = 0;

  get size(): number {
    return this.#items.length;
  }

  push(runId: string, priority: number): void {
    const item = { runId, priority, order: this.#order++ };
    let i = this.#items.length;
    while (i > 0 && this.#items[i - 1]!.priority < priority) i--;
    this.#items.splice(i, 0, item);
  }

  shift(): string | undefined {
    return this.#items.shift()?.runId;
  }

  remove(runId: string): boolean {
    const i = this.#items.findIndex((x) => x.runId === runId);
    if (i < 0) return false;
    this.#items.splice(i, 1);
    return true;
  }

  ids(): string[] {
    return this.#items.map((x) => x.runId);
  }
}
