/**
 * The RunContext a node body receives, and how a thrown error becomes a classified NodeFailure.
 * The engine's secrets are masked in every log line, progress message and error message, so they
 * never reach events, run records or terminals.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NodeError, type ArtifactRef, type NodeLogger, type RunContext } from '../graph/node-definition.ts';
import { NotSerializableError } from './canonical.ts';
import type { NodeFailure } from './events.ts';
import type { Run } from './run.ts';
import type { ItemInfo } from './run-once.ts';
import type { Planned } from './scope.ts';

/** Progress events are at most this often per node (the last one, at 1, always goes out). */
const PROGRESS_INTERVAL_MS = 50;

/**
 * One per attempt; a class with prototype getters rather than closures or copied fields, because the
 * engine builds one for every node body it runs.
 */
export class NodeContext implements RunContext {
  readonly #run: Run;
  readonly #p: Planned;
  readonly #item: ItemInfo | undefined;
  #lastProgress = 0;
  #workDir: string | undefined;
  #log: NodeLogger | undefined;

  constructor(run: Run, p: Planned, readonly attempt: number, item?: ItemInfo) {
    this.#run = run;
    this.#p = p;
    this.#item = item;
  }

  get signal(): AbortSignal {
    return this.#run.signal;
  }
  get runId(): string {
    return this.#run.runId;
  }
  get nodePath(): string {
    return this.#p.path;
  }
  get artifacts(): RunContext['artifacts'] {
    return this.#run.parts.store;
  }
  get config(): Readonly<Record<string, unknown>> {
    return this.#run.parts.config;
  }

  #base() {
    return { runId: this.runId, nodePath: this.nodePath, nodeId: this.#p.node.id, nodeType: this.#p.node.type };
  }

  progress(fraction: number, message?: string): void {
    const now = Date.now();
    const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    if (f < 1 && now - this.#lastProgress < PROGRESS_INTERVAL_MS) return;
    this.#lastProgress = now;
    if (this.#item) return; // a mapped node reports progress per finished item instead
    const elapsed = now - (this.#p.state.startedAt ?? now);
    const etaMs = f > 0 ? Math.round((elapsed * (1 - f)) / f) : undefined;
    this.#run.emit({ type: 'node.progress', ...this.#base(), ts: now, fraction: f, message: message && this.#run.parts.mask(message), etaMs });
  }

  get log(): NodeLogger {
    const write = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, data?: Record<string, unknown>) => {
      const text = data === undefined ? message : `${message} ${safeJson(data)}`;
      this.#run.emit({ type: 'node.log', ...this.#base(), ts: Date.now(), level, message: this.#run.parts.mask(text) });
    };
    return (this.#log ??= { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') });
  }

  preview(image: ArtifactRef): void {
    this.#run.emit({ type: 'node.preview', ...this.#base(), ts: Date.now(), image });
  }

  get workDir(): string {
    if (!this.#workDir) {
      const name = this.nodePath.replace(/[^A-Za-z0-9_.-]/g, '_') + (this.#item ? `.${this.#item.index}` : '') + `.${this.attempt}`;
      const runDir = join(this.#run.parts.workRoot, this.runId);
      this.#workDir = join(runDir, name);
      mkdirSync(this.#workDir, { recursive: true });
      this.#run.addWorkDir(runDir);
    }
    return this.#workDir;
  }
}

const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN', 'EPIPE', 'ENETUNREACH', 'UND_ERR_SOCKET']);

export function toFailure(err: unknown, mask: (text: string) => string): NodeFailure {
  if (err instanceof NodeError) return { message: mask(err.message), errorClass: err.errorClass, retryable: err.retryable };
  if (err instanceof NotSerializableError) return { message: err.message, errorClass: 'user', retryable: false };
  const code = (err as { code?: unknown })?.code;
  const message = mask(err instanceof Error ? err.message : String(err));
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return { message, errorClass: 'transient', retryable: true };
  return { message, errorClass: 'internal', retryable: false };
}

function safeJson(data: unknown): string {
  try {
    return JSON.stringify(data);
  } catch {
    return '[unserialisable]';
  }
}
