/**
 * The live terminal display: finished nodes scroll up as permanent lines, and below them one line per
 * running node (bar, %, elapsed, ETA, message) is redrawn in place with ANSI cursor moves. Redraws are
 * throttled and a ticker keeps elapsed times moving while a node reports no progress.
 */
import type { RunEvent } from '../../engine/index.ts';
import type { OutStream } from '../command.ts';
import type { RunDisplay } from './display.ts';
import { bar, eta, nodeLine, nodeName, runSummary, seconds, Tally } from './format.ts';

interface Running {
  name: string;
  startedAt: number;
  fraction: number;
  message?: string;
  etaMs?: number;
  item?: number;
  items?: number;
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
const BAR_WIDTH = 20;
const FRAME_MS = 80;

export interface LiveOptions {
  now?: () => number;
  /** Redraw interval for elapsed times; 0 turns the ticker off (tests drive redraws themselves). */
  tickMs?: number;
}

export function liveDisplay(out: OutStream, opts: LiveOptions = {}): RunDisplay & { render(): void } {
  const now = opts.now ?? Date.now;
  const running = new Map<string, Running>();
  const tally = new Tally();
  let total = 0;
  let runStart = now();
  let drawn = 0;
  let frame = 0;
  let pending: string[] = [];
  let lastDraw = 0;
  let ticker: ReturnType<typeof setInterval> | undefined;

  // A pty may report 0 columns; live lines must fit one row each or the cursor maths breaks.
  const width = () => Math.max(40, out.columns || 100);
  const clip = (s: string) => ([...s].length > width() - 1 ? `${[...s].slice(0, width() - 2).join('')}…` : s);

  function liveLines(): string[] {
    const t = now();
    const spin = SPINNER[frame++ % SPINNER.length];
    const lines = [...running.values()].map((r) => {
      const elapsed = t - r.startedAt;
      const left = eta(r.fraction, elapsed, r.etaMs);
      const pct = `${Math.round(r.fraction * 100)}%`.padStart(4);
      const items = r.items !== undefined && r.item !== undefined ? ` [${r.item + 1}/${r.items}]` : '';
      return clip(`${spin} ${r.name}${items}  ${bar(r.fraction, BAR_WIDTH)} ${pct}  ${seconds(elapsed)}${left !== undefined ? `  ETA ${seconds(left)}` : ''}${r.message ? `  ${r.message}` : ''}`);
    });
    const done = tally.ran + tally.cached + tally.skipped + tally.failed;
    if (total > 0) lines.push(clip(`  ${done}/${total} nodes · ${seconds(t - runStart)}`));
    return lines;
  }

  function render(): void {
    // Up to the first live line, clear to the end of the screen, then permanent lines and the live block.
    let text = drawn > 0 ? `\r\x1b[${drawn}A\x1b[J` : '';
    for (const line of pending) text += `${line}\n`; // permanent lines may wrap: error messages stay whole
    pending = [];
    const live = liveLines();
    for (const line of live) text += `${line}\n`;
    drawn = live.length;
    lastDraw = now();
    out.write(text);
  }

  function schedule(force: boolean): void {
    if (force || now() - lastDraw >= FRAME_MS) render();
  }

  out.write('\x1b[?25l'); // hide the cursor while redrawing
  if (opts.tickMs !== 0) {
    ticker = setInterval(render, opts.tickMs ?? 250);
    ticker.unref();
  }

  return {
    render,
    event(e: RunEvent) {
      tally.count(e);
      switch (e.type) {
        case 'run.started':
          runStart = e.ts;
          total = e.nodeCount;
          pending.push(`run ${e.runId}: ${e.nodeCount} node${e.nodeCount === 1 ? '' : 's'}`);
          return schedule(true);
        case 'node.started':
          running.set(e.nodePath, { name: nodeName(e), startedAt: e.ts, fraction: 0, item: e.item, items: e.items });
          return schedule(false);
        case 'node.progress': {
          const r = running.get(e.nodePath);
          if (r) Object.assign(r, { fraction: e.fraction, message: e.message, etaMs: e.etaMs, item: e.item ?? r.item, items: e.items ?? r.items });
          return schedule(false);
        }
        default: {
          if (['node.succeeded', 'node.failed', 'node.cached', 'node.skipped', 'node.cancelled'].includes(e.type)) running.delete((e as { nodePath: string }).nodePath);
          const line = nodeLine(e) ?? runSummary(e, tally);
          if (!line) return;
          pending.push(line);
          if (e.type.startsWith('run.')) total = 0; // the run is over: drop the counter line
          return schedule(true);
        }
      }
    },
    close() {
      if (ticker) clearInterval(ticker);
      running.clear();
      total = 0;
      render();
      out.write('\x1b[?25h');
    },
  };
}
