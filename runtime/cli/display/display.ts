/** A run display consumes events one by one; `close` restores the terminal. */
import type { RunEvent } from '../../engine/index.ts';

export interface RunDisplay {
  event(e: RunEvent): void;
  close(): void;
}

/** Feeds every event of a stream (local or remote) to a display; returns the terminal event, if one came. */
export async function consume(events: AsyncIterable<RunEvent>, display: RunDisplay): Promise<RunEvent | undefined> {
  let last: RunEvent | undefined;
  try {
    for await (const e of events) {
      display.event(e);
      if (e.type === 'run.succeeded' || e.type === 'run.failed' || e.type === 'run.cancelled') last = e;
    }
  } finally {
    display.close();
  }
  return last;
}
