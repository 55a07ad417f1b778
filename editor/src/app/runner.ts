/**
 * Starts runs on the server and feeds their live events into the per-node run state. Events
 * arrive over the `/api/events` WebSocket through the client's subscription, which replays what a
 * reconnect missed (per-run `seq`) and drops duplicates.
 */
import type { RunEvent } from '../../../runtime/engine/events.ts';
import type { EventSubscription } from '../../../runtime/client/index.ts';
import type { Api } from '../api/api.ts';
import type { Editor } from './editor.ts';

export interface RunListener {
  (runId: string | undefined): void;
}

export class Runner {
  #subscription: EventSubscription | undefined;
  #runId: string | undefined;
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
    const { runId } = await this.api.client.submitRun({ graph: this.editor.doc, ...(targets ? { targets } : {}) });
    this.#runId = runId;
    this.editor.run.summary.set('current', { runId, status: 'queued' });
    this.#listen(runId);
    for (const l of this.#listeners) l(runId);
    return runId;
  }

  async cancel(): Promise<void> {
    if (this.#runId) await this.api.client.cancelRun(this.#runId);
  }

  #listen(runId: string): void {
    this.#subscription?.close();
    const subscription = this.api.subscribe(runId, ({ event }) => {
      const e = event as RunEvent;
      this.editor.run.apply(e, runId);
      if (e.type === 'run.succeeded' || e.type === 'run.failed' || e.type === 'run.cancelled') {
        subscription.close();
        for (const l of this.#listeners) l(runId);
      }
    });
    this.#subscription = subscription;
  }
}
