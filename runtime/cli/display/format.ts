/** Words, marks and numbers shared by the terminal displays. */
import type { RunEvent } from '../../engine/index.ts';

export const MARK = { ok: '✓', cached: '↺', skipped: '⤼', failed: '✗', retry: '↻', cancelled: '■', warn: '!' } as const;

export function seconds(ms: number): string {
  if (ms < 1000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

export function bar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

/** Time left from progress so far when the node gave no ETA itself; unknown until some progress is made. */
export function eta(fraction: number, elapsedMs: number, reported?: number): number | undefined {
  if (reported !== undefined) return reported;
  if (fraction <= 0.01 || fraction >= 1) return undefined;
  return (elapsedMs * (1 - fraction)) / fraction;
}

/** `resize` or `resize (image.resize)` when the id says less than the type. */
export function nodeName(e: { nodePath: string; nodeType: string }): string {
  return e.nodePath.includes(e.nodeType) ? e.nodePath : `${e.nodePath} (${e.nodeType})`;
}

export function itemSuffix(e: { item?: number; items?: number }): string {
  return e.items !== undefined && e.item !== undefined ? ` [${e.item + 1}/${e.items}]` : '';
}

/** Counts of node outcomes for the closing summary. */
export class Tally {
  ran = 0;
  cached = 0;
  skipped = 0;
  failed = 0;

  count(e: RunEvent): void {
    if (e.type === 'node.succeeded') this.ran++;
    else if (e.type === 'node.cached') this.cached++;
    else if (e.type === 'node.skipped') this.skipped++;
    else if (e.type === 'node.failed') this.failed++;
  }

  toString(): string {
    const parts = [`${this.ran} ran`, `${this.cached} cached`];
    if (this.skipped) parts.push(`${this.skipped} skipped`);
    if (this.failed) parts.push(`${this.failed} failed`);
    return parts.join(', ');
  }
}

/** The closing line of a run, or undefined for other events. */
export function runSummary(e: RunEvent, tally: Tally): string | undefined {
  if (e.type === 'run.succeeded') return `${MARK.ok} run succeeded in ${seconds(e.durationMs)} (${tally})`;
  if (e.type === 'run.failed') return `${MARK.failed} run failed after ${seconds(e.durationMs)}${e.nodePath ? ` at ${e.nodePath}` : ''}: ${e.error.message}`;
  if (e.type === 'run.cancelled') return `${MARK.cancelled} run cancelled after ${seconds(e.durationMs)} (${tally})`;
  return undefined;
}

/** The permanent one-line record of a node event, or undefined for events that only update the live view. */
export function nodeLine(e: RunEvent): string | undefined {
  switch (e.type) {
    case 'node.succeeded':
      return `${MARK.ok} ${nodeName(e)}  ${seconds(e.durationMs)}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
    case 'node.cached':
      return `${MARK.cached} ${nodeName(e)}  cached`;
    case 'node.skipped':
      return `${MARK.skipped} ${nodeName(e)}  skipped: ${e.reason}`;
    case 'node.failed':
      return `${MARK.failed} ${nodeName(e)}  failed: ${e.error.message}`;
    case 'node.retrying':
      return `${MARK.retry} ${nodeName(e)}  attempt ${e.attempt} failed (${e.error.message}); retrying in ${seconds(e.delayMs)}`;
    case 'node.cancelled':
      return `${MARK.cancelled} ${nodeName(e)}  cancelled`;
    case 'node.log':
      return e.level === 'warn' || e.level === 'error' ? `${MARK.warn} ${nodeName(e)}  ${e.level}: ${e.message}` : undefined;
    default:
      return undefined;
  }
}
