/**
 * The RunContext a node body receives, and how a thrown error becomes a classified NodeFailure.
 * Provider secrets from the engine's config are masked in every log line and error message, so they
 * never reach events, run records or terminals.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NodeError, type ArtifactRef, type RunContext } from '../graph/node-definition.ts';
import { NotSerializableError } from './canonical.ts';
import type { NodeFailure } from './events.ts';
import type { Run } from './run.ts';
import type { ItemInfo } from './execute.ts';
import type { Planned } from './scope.ts';

/** Progress events are at most this often per node (the last one, at 1, always goes out). */
const PROGRESS_INTERVAL_MS = 50;

export function makeContext(run: Run, p: Planned, attempt: number, item?: ItemInfo): RunContext {
  const base = { runId: run.runId, nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type };
  const config = run.parts.config;
  const startedAt = Date.now();
  let lastProgress = 0;
  let workDir: string | undefined;
  const log = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, data?: Record<string, unknown>) => {
    const text = data === undefined ? message : `${message} ${safeJson(data)}`;
    run.emit({ type: 'node.log', ...base, ts: Date.now(), level, message: redact(text, config) });
  };
  return {
    signal: run.signal,
    runId: run.runId,
    nodePath: p.path,
    attempt,
    artifacts: run.parts.store,
    config,
    progress(fraction: number, message?: string) {
      const now = Date.now();
      const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
      if (f < 1 && now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      if (item) return; // a mapped node reports progress per finished item instead
      const elapsed = now - startedAt;
      const etaMs = f > 0 ? Math.round((elapsed * (1 - f)) / f) : undefined;
      run.emit({ type: 'node.progress', ...base, ts: now, fraction: f, message: message && redact(message, config), etaMs });
    },
    log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    preview(image: ArtifactRef) {
      run.emit({ type: 'node.preview', ...base, ts: Date.now(), image });
    },
    get workDir() {
      if (!workDir) {
        const name = p.path.replace(/[^A-Za-z0-9_.-]/g, '_') + (item ? `.${item.index}` : '') + `.${attempt}`;
        workDir = join(run.parts.workRoot, run.runId, name);
        mkdirSync(workDir, { recursive: true });
        run.addWorkDir(join(run.parts.workRoot, run.runId));
      }
      return workDir;
    },
  };
}

const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN', 'EPIPE', 'ENETUNREACH', 'UND_ERR_SOCKET']);

export function toFailure(err: unknown, config: Readonly<Record<string, unknown>>): NodeFailure {
  if (err instanceof NodeError) return { message: redact(err.message, config), errorClass: err.errorClass, retryable: err.retryable };
  if (err instanceof NotSerializableError) return { message: err.message, errorClass: 'user', retryable: false };
  const code = (err as { code?: unknown })?.code;
  const message = redact(err instanceof Error ? err.message : String(err), config);
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return { message, errorClass: 'transient', retryable: true };
  return { message, errorClass: 'internal', retryable: false };
}

/** Masks every secret string of the config (at any depth) that appears in a text. */
export function redact(text: string, config: Readonly<Record<string, unknown>>): string {
  let out = text;
  for (const secret of secretsOf(config)) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}

function secretsOf(value: unknown, acc: string[] = []): string[] {
  if (typeof value === 'string' && value.length >= 6) acc.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) secretsOf(v, acc);
  return acc;
}

function safeJson(data: unknown): string {
  try {
    return JSON.stringify(data);
  } catch {
    return '[unserialisable]';
  }
}
