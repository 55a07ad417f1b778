/**
 * The persistent cache index: node key → the outputs it produced (JSON with artifact refs).
 * Kept in memory for O(1) lookups and persisted as an append-only log, so a re-run after a process
 * restart (or a crash mid-run) reuses every node that finished. Appends made in one tick are written
 * with one system call; a torn last line from a crash is ignored on load. When the log holds far more
 * lines than live entries, or more entries than `maxEntries`, it is rewritten (temp file, then rename),
 * dropping the least recently written.
 */
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { writeFileAtomicSync } from './atomic-file.ts';
import { join } from 'node:path';

export interface CacheEntry {
  outputs: Record<string, unknown>;
  /** The artifact hashes the outputs point to, found once, so a hit only checks these files. */
  artifacts: readonly string[];
}

const NO_ARTIFACTS: readonly string[] = Object.freeze([]);

/** Most outputs are plain values: they are checked without allocating, and share one empty list. */
function artifactsOf(outputs: unknown): readonly string[] {
  return hasArtifact(outputs) ? artifactHashes(outputs) : NO_ARTIFACTS;
}

function hasArtifact(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (hasArtifact(v)) return true;
    return false;
  }
  if (typeof (value as { $artifact?: unknown }).$artifact === 'string') return true;
  for (const k in value) if (hasArtifact((value as Record<string, unknown>)[k])) return true;
  return false;
}

/** Every `$artifact` hash in a value. */
export function artifactHashes(value: unknown, into: string[] = []): string[] {
  if (typeof value !== 'object' || value === null) return into;
  if (Array.isArray(value)) {
    for (const v of value) artifactHashes(v, into);
    return into;
  }
  const hash = (value as { $artifact?: unknown }).$artifact;
  if (typeof hash === 'string') into.push(hash);
  else for (const k in value) artifactHashes((value as Record<string, unknown>)[k], into);
  return into;
}

export class CacheIndex {
  readonly file: string;
  readonly maxEntries: number;
  readonly #entries = new Map<string, CacheEntry>();
  #pending: string[] = [];
  #flushScheduled = false;
  #lines = 0;

  constructor(dir: string, options: { maxEntries?: number } = {}) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'index.jsonl');
    this.maxEntries = options.maxEntries ?? 200_000;
    this.#load();
    // The log exists from the moment the index is open, as its folder does: a run only ever appends to it.
    if (!existsSync(this.file)) closeSync(openSync(this.file, 'a'));
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): CacheEntry | undefined {
    return this.#entries.get(key);
  }

  set(key: string, outputs: Record<string, unknown>): void {
    const entry = { outputs, artifacts: artifactsOf(outputs) };
    const before = this.#entries.size;
    this.#entries.set(key, entry);
    if (this.#entries.size === before) {
      // an existing key: move it to the end, since Map order is the eviction order, oldest first
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    this.#touch(key);
  }

  delete(key: string): void {
    if (!this.#entries.delete(key)) return;
    this.#touch(key);
  }

  /**
   * Notes a key to log. Its line is written at flush time from the entry as it then is (a set, or a delete if
   * it is gone), which leaves the log's end state unchanged; building lines at flush keeps them from piling
   * up in memory for a whole run (short-lived strings cost the garbage collector far less).
   */
  #touch(key: string): void {
    this.#pending.push(key);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Writes pending entries now (the engine calls it when a run ends). A write that fails (disk full, folder
   * removed) costs only persistence: the entries stay usable in memory, and no run or server goes down.
   */
  flush(): void {
    this.#flushScheduled = false;
    if (this.#pending.length === 0) return;
    let text = '';
    for (const key of this.#pending) {
      const entry = this.#entries.get(key);
      // keys are hex digests, so they need no escaping
      text += entry ? '{"k":"' + key + '","o":' + JSON.stringify(entry.outputs) + '}\n' : '{"k":"' + key + '","d":1}\n';
    }
    const count = this.#pending.length;
    this.#pending = [];
    try {
      appendFileSync(this.file, text);
      this.#lines += count;
      if (this.#entries.size > this.maxEntries || this.#lines > 4 * this.#entries.size + 1000) this.compact();
    } catch (err) {
      this.lastWriteError = err as Error;
      process.emitWarning(`castgraph: ${count} cache entries could not be written to ${this.file}: ${(err as Error).message}`);
    }
  }

  /** The last failed write, if any (for diagnostics and health checks). */
  lastWriteError: Error | undefined;

  /** Rewrites the log with only the live entries, newest last, within `maxEntries`. */
  compact(): void {
    while (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
    const lines: string[] = [];
    for (const [k, e] of this.#entries) lines.push(JSON.stringify({ k, o: e.outputs }));
    writeFileAtomicSync(this.file, lines.length ? lines.join('\n') + '\n' : '');
    this.#lines = lines.length;
  }

  #load(): void {
    if (!existsSync(this.file)) return;
    const text = readFileSync(this.file, 'utf8');
    for (const line of text.split('\n')) {
      if (!line) continue;
      this.#lines++;
      let rec: { k?: unknown; o?: unknown; d?: unknown };
      try {
        rec = JSON.parse(line);
      } catch {
        continue; // a line torn by a crash mid-append
      }
      if (typeof rec.k !== 'string') continue;
      this.#entries.delete(rec.k);
      if (rec.d) continue;
      if (typeof rec.o === 'object' && rec.o !== null) this.#entries.set(rec.k, { outputs: rec.o as Record<string, unknown>, artifacts: artifactsOf(rec.o) });
    }
  }
}
