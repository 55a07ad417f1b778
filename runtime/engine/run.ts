/**
 * The state one run shares across its scopes (top level, subgraph bodies, loop iterations):
 * its event stream, per-node states by path, resolved seeds, and the engine's slots, cache and store.
 */
import { rmSync } from 'node:fs';
import type { NodeRegistry } from '../graph/registry.ts';
import type { ArtifactStore } from '../store/artifact-store.ts';
import type { CacheIndex } from '../store/cache-index.ts';
import type { NodeFailure, NodeStatus, RunEvent, RunEventListener } from './events.ts';
import type { SlotPool } from './slots.ts';

export interface NodeState {
  status: NodeStatus;
  nodeId: string;
  nodeType: string;
  key?: string;
  outputs?: Record<string, unknown>;
  error?: NodeFailure;
  reason?: string;
  startedAt?: number;
  endedAt?: number;
  attempts: number;
  /** For mapped nodes: how many items the node ran over. */
  items?: number;
}

export interface RunResult {
  runId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  outputs: Record<string, unknown>;
  seeds: Record<string, number>;
  nodes: Record<string, NodeState>;
  error?: NodeFailure;
  /** The path of the node whose failure failed the run. */
  failedNode?: string;
  durationMs: number;
}

export interface EngineParts {
  registry: NodeRegistry;
  store: ArtifactStore;
  cache: CacheIndex | undefined;
  slots: SlotPool;
  /** Settings and secrets, as nodes see them in ctx.config. */
  config: Readonly<Record<string, unknown>>;
  /** Masks the secrets in a text. */
  mask: (text: string) => string;
  workRoot: string;
  onListenerError: (error: unknown, event: RunEvent) => void;
}

export class Run {
  readonly nodes: Record<string, NodeState> = {};
  readonly seeds: Record<string, number> = {};
  readonly #listeners: RunEventListener[] = [];
  readonly #abort = new AbortController();
  /** Set by the first node failure; scopes stop launching new nodes once it is. */
  failure: { error: NodeFailure; nodePath: string } | undefined;
  #workDirs: string[] = [];
  readonly #abandoned: Promise<unknown>[] = [];

  constructor(
    readonly runId: string,
    readonly parts: EngineParts,
    readonly recordedSeeds: Readonly<Record<string, number>>,
  ) {}

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /**
   * Set once the run is cancelled. A plain field, because the scheduler and every attempt ask for each
   * node, and AbortSignal's `aborted` is an accessor into Node internals.
   */
  cancelled = false;

  get stopped(): boolean {
    return this.cancelled || this.failure !== undefined;
  }

  cancel(reason = 'cancelled'): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.#abort.abort(new DOMException(reason, 'AbortError'));
  }

  subscribe(listener: RunEventListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }

  emit(event: RunEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch (err) {
        // a faulty listener (a closed socket, a full disk) must not break the run, nor go unnoticed
        this.parts.onListenerError(err, event);
      }
    }
  }

  get hasListeners(): boolean {
    return this.#listeners.length > 0;
  }

  /** Seed for `path.port`: the recorded one when replaying, else a fresh random 32-bit value, recorded. */
  seed(key: string): number {
    const value = this.recordedSeeds[key] ?? Math.floor(Math.random() * 0x1_0000_0000);
    this.seeds[key] = value;
    return value;
  }

  addWorkDir(dir: string): void {
    if (!this.#workDirs.includes(dir)) this.#workDirs.push(dir);
  }

  /** A cancelled node body still running after the run ended: its scratch folder stays until it settles. */
  outlive(body: Promise<unknown>): void {
    this.#abandoned.push(body);
  }

  /** Removes the scratch folders, at once or after the abandoned bodies settle. */
  cleanup(): void {
    const dirs = this.#workDirs;
    this.#workDirs = [];
    const remove = () => {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    };
    if (this.#abandoned.length === 0) remove();
    else void Promise.allSettled(this.#abandoned).then(remove);
  }
}
