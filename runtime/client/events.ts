/**
 * Live run events over the server's WebSocket, surviving disconnects: the subscription remembers the
 * last `seq` seen per run and, after reconnecting, asks for what came after it, so the consumer sees
 * every event exactly once and in order. Works with the browser's WebSocket or the `ws` package.
 */
import type { CastgraphClient } from './http.ts';
import { TERMINAL_RUN_EVENTS, type EventMessage, type ServerMessage } from './types.ts';

export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: never) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: never) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface SubscribeOptions {
  /** One run (with replay from `afterSeq`, default 0 = from the start), or every run (live only). */
  target: { runId: string; afterSeq?: number } | { all: true };
  onEvent: (message: EventMessage) => void;
  /** Server messages other than events (`subscribed`, `error`). */
  onMessage?: (message: ServerMessage) => void;
  /** Defaults to the global WebSocket (browsers, Node ≥ 22); pass `ws`'s on Node 20. */
  WebSocket?: WebSocketConstructor;
  reconnect?: boolean;
  maxBackoffMs?: number;
}

export class EventSubscription {
  readonly #client: CastgraphClient;
  readonly #o: SubscribeOptions;
  readonly #lastSeq = new Map<string, number>();
  /** Runs being replayed from the start (all-runs mode met them mid-way). */
  readonly #catchingUp = new Set<string>();
  /** Runs whose last event seen was terminal: nothing to catch up on after a reconnect. */
  readonly #ended = new Set<string>();
  #ws: WebSocketLike | undefined;
  #closed = false;
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #ready!: () => void;
  /** Resolves once the first subscription is confirmed (and its replay has begun). */
  readonly ready: Promise<void> = new Promise((r) => (this.#ready = r));
  /** How many times the connection was re-established. */
  reconnects = 0;

  constructor(client: CastgraphClient, options: SubscribeOptions) {
    this.#client = client;
    this.#o = options;
    if ('runId' in options.target) this.#lastSeq.set(options.target.runId, options.target.afterSeq ?? 0);
    this.#connect();
  }

  lastSeq(runId: string): number | undefined {
    return this.#lastSeq.get(runId);
  }

  #connect(): void {
    const Ctor = this.#o.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) throw new Error('no WebSocket implementation: pass `WebSocket` (e.g. from the `ws` package)');
    const url = this.#client.url('/api/events', { token: this.#client.token }).replace(/^http/, 'ws');
    const ws = new Ctor(url);
    this.#ws = ws;
    ws.onopen = () => {
      const t = this.#o.target;
      if ('runId' in t) return ws.send(JSON.stringify({ type: 'subscribe', runId: t.runId, afterSeq: this.#lastSeq.get(t.runId) }));
      // All runs are live-only on the server, so after a drop the runs seen unfinished are caught up one by one
      // first; the server handles messages in order, so each replay completes before `all` takes over.
      this.#catchingUp.clear();
      for (const [runId, afterSeq] of this.#lastSeq) if (!this.#ended.has(runId)) ws.send(JSON.stringify({ type: 'subscribe', runId, afterSeq }));
      ws.send(JSON.stringify({ type: 'subscribe', all: true }));
    };
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data)) as ServerMessage;
      if (msg.type === 'event') {
        if (!('runId' in this.#o.target) && !this.#lastSeq.has(msg.runId) && msg.seq > 1) {
          // A run whose start this connection did not see: fetch its history first. Its events that arrive before
          // the server confirms are all part of that replay, so they are dropped here rather than delivered twice.
          this.#catchingUp.add(msg.runId);
          this.#lastSeq.set(msg.runId, 0);
          ws.send(JSON.stringify({ type: 'subscribe', runId: msg.runId, afterSeq: 0 }));
          return;
        }
        if (this.#catchingUp.has(msg.runId)) return;
        const last = this.#lastSeq.get(msg.runId) ?? 0;
        if (msg.seq <= last) return; // already delivered (a replay overlapping what was seen)
        this.#lastSeq.set(msg.runId, msg.seq);
        if (TERMINAL_RUN_EVENTS.has(msg.event.type)) this.#ended.add(msg.runId);
        else if (msg.event.type === 'run.queued') this.#ended.delete(msg.runId);
        this.#o.onEvent(msg);
        return;
      }
      if (msg.type === 'subscribed' && 'runId' in msg) this.#catchingUp.delete(msg.runId);
      if (msg.type === 'subscribed') {
        this.#failures = 0;
        this.#ready();
      }
      this.#o.onMessage?.(msg);
    };
    ws.onerror = () => {};
    ws.onclose = () => {
      if (this.#ws !== ws || this.#closed || this.#o.reconnect === false) return;
      const delay = Math.min(this.#o.maxBackoffMs ?? 5000, 100 * 2 ** this.#failures++);
      this.#timer = setTimeout(() => {
        this.reconnects++;
        this.#connect();
      }, delay);
    };
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#ws?.close(1000);
  }
}

/**
 * One run's events as an async iterable, ending after the run's terminal event (for a resumed run, the
 * terminal event of its latest execution). Replays from `afterSeq` (default: from the start).
 */
export function streamRun(
  client: CastgraphClient,
  runId: string,
  options: { afterSeq?: number; WebSocket?: WebSocketConstructor } = {},
): AsyncIterable<EventMessage> & { close(): void } {
  const buffer: EventMessage[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  let failure: Error | undefined;
  /** The run's last seq when (re)subscribing: an earlier terminal event belongs to a previous execution. */
  let horizon = 0;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const sub = new EventSubscription(client, {
    target: { runId, afterSeq: options.afterSeq ?? 0 },
    WebSocket: options.WebSocket,
    onMessage: (m) => {
      if (m.type === 'subscribed' && 'lastSeq' in m) horizon = m.lastSeq;
      if (m.type === 'error') {
        failure = Object.assign(new Error(m.error.message), { code: m.error.code });
        done = true;
        sub.close();
        notify();
      }
    },
    onEvent: (m) => {
      if (done) return;
      buffer.push(m);
      if (TERMINAL_RUN_EVENTS.has(m.event.type) && m.seq >= horizon) {
        done = true;
        sub.close();
      }
      notify();
    },
  });
  return {
    close: () => {
      done = true;
      sub.close();
      notify();
    },
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          const next = buffer.shift();
          if (next) {
            yield next;
            continue;
          }
          if (done) {
            if (failure) throw failure;
            return;
          }
          await new Promise<void>((r) => (wake = r));
        }
      } finally {
        sub.close();
      }
    },
  };
}
