/**
 * Starts runs on the server and feeds their live events into the per-node run state. Events
 * arrive over the `/api/events` WebSocket; each carries a per-run `seq`, so a reconnect asks for
 * what it missed and duplicates are dropped.
 */
import type { RunEvent } from '../../../runtime/engine/events.ts';
import type { Api } from '../api/api.ts';
import type { Editor } from './editor.ts';
import { rememberRunGraph } from './run-graphs.ts';

export interface RunListener {
  (runId: string | undefined): void;
}

export class Runner {
  #socket: WebSocket | undefined;
  #runId: string | undefined;
  #lastSeq = 0;
  #listeners = new Set<RunListener>();

  constructor(
    private readonly editor: Editor,
    private readonly api: Api,
  ) {}

  get runId(): string | undefined {
    return this.#runId;
  }

  onChange(listener: RunListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Runs the whole graph, or only what `targets` need ("run up to this node"). */
  async start(targets?: string[]): Promise<string> {
    this.editor.run.clear();
    this.#lastSeq = 0;
    const { runId } = await this.api.startRun(this.editor.doc, targets);
    this.#runId = runId;
    this.editor.run.summary.set('current', { runId, status: 'queued' });
    rememberRunGraph(runId, this.editor.doc);
    this.#listen(runId);
    for (const l of this.#listeners) l(runId);
    return runId;
  }

  async cancel(): Promise<void> {
    if (this.#runId) await this.api.cancelRun(this.#runId);
  }

  #listen(runId: string): void {
    this.#socket?.close();
    const socket = new WebSocket(this.api.eventsUrl());
    this.#socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'subscribe', runId, afterSeq: this.#lastSeq }));
    socket.onmessage = (msg) => {
      const data = JSON.parse(String(msg.data)) as { type: string; runId?: string; seq?: number; event?: RunEvent };
      const event = data.event;
      if (data.type !== 'event' || !event || data.runId !== runId || (data.seq ?? 0) <= this.#lastSeq) return;
      this.#lastSeq = data.seq ?? this.#lastSeq;
      this.editor.run.apply(event, runId);
      if (event.type === 'run.succeeded' || event.type === 'run.failed' || event.type === 'run.cancelled') {
        socket.close();
        for (const l of this.#listeners) l(runId);
      }
    };
  }
}
