/**
 * What listing needs to know about every run, kept in memory for all of them (a few fields each) while
 * whole records (outputs, per-node states) are kept only for recent and active runs. Ids are time-sorted
 * (newRunId), so the index stays in order by appending; a listing walks it from the newest end.
 */
import type { RunRecord } from './record.ts';

export interface RunSummary {
  runId: string;
  status: RunRecord['status'];
  graphId: string;
  createdAt: string;
}

export interface RunFilter {
  statuses?: ReadonlySet<string>;
  graphId?: string;
  /** ISO time: created at or after. */
  since?: string;
}

export class RunIndex {
  readonly #ids: string[] = [];
  readonly #by = new Map<string, RunSummary>();

  has(runId: string): boolean {
    return this.#by.has(runId);
  }

  add(r: RunRecord): void {
    const known = this.#by.get(r.runId);
    if (known) return void (known.status = r.status);
    this.#by.set(r.runId, { runId: r.runId, status: r.status, graphId: r.graph.id, createdAt: r.createdAt });
    const ids = this.#ids;
    if (ids.length === 0 || ids[ids.length - 1]! < r.runId) return void ids.push(r.runId);
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid]! < r.runId) lo = mid + 1;
      else hi = mid;
    }
    ids.splice(lo, 0, r.runId);
  }

  setStatus(runId: string, status: RunRecord['status']): void {
    const s = this.#by.get(runId);
    if (s) s.status = status;
  }

  /** Ids matching `f`, newest first, from `offset`; `total` counts every match. */
  query(f: RunFilter, offset: number, limit: number): { ids: string[]; total: number } {
    const ids: string[] = [];
    let total = 0;
    for (let i = this.#ids.length - 1; i >= 0; i--) {
      const s = this.#by.get(this.#ids[i]!)!;
      if ((f.statuses && !f.statuses.has(s.status)) || (f.graphId && s.graphId !== f.graphId) || (f.since && s.createdAt < f.since)) continue;
      if (total >= offset && ids.length < limit) ids.push(s.runId);
      total++;
    }
    return { ids, total };
  }
}
