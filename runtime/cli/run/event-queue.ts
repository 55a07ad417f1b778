/**
 * Turns a listener-style event feed (engine `subscribe`, a WebSocket's messages) into the
 * `AsyncIterable<RunEvent>` the displays consume. It buffers, so no event is lost between the
 * producer starting and the consumer iterating, and it ends after the run's terminal event.
 */
import type { RunEvent } from '../../engine/index.ts';

export const TERMINAL_EVENTS: ReadonlySet<RunEvent['type']> = new Set(['run.succeeded', 'run.failed', 'run.cancelled']);

export class EventQueue implements AsyncIterable<RunEvent> {
  #buffer: RunEvent[] = [];
  #ended = false;
  #error: unknown;
  #wake: (() => void) | undefined;

  push = (event: RunEvent): void => {
    if (this.#ended) return;
    this.#buffer.push(event);
    if (TERMINAL_EVENTS.has(event.type)) this.#ended = true;
    this.#notify();
  };

  /** Ends the stream early (the producer is gone); an error is thrown to the consumer after the buffered events. */
  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RunEvent> {
    for (;;) {
      const next = this.#buffer.shift();
      if (next) yield next;
      else if (this.#ended) {
        if (this.#error !== undefined) throw this.#error;
        return;
      } else await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}
