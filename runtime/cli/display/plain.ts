/** Output for pipes, CI logs and files: one line per event of interest, nothing redrawn. */
import type { OutStream } from '../command.ts';
import type { RunDisplay } from './display.ts';
import { itemSuffix, nodeLine, nodeName, runSummary, Tally } from './format.ts';

export function plainDisplay(out: OutStream): RunDisplay {
  const tally = new Tally();
  return {
    event(e) {
      tally.count(e);
      let line: string | undefined;
      if (e.type === 'run.started') line = `run ${e.runId}: ${e.nodeCount} node${e.nodeCount === 1 ? '' : 's'}`;
      else if (e.type === 'node.started') line = `… ${nodeName(e)}${itemSuffix(e)}  started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
      else line = nodeLine(e) ?? runSummary(e, tally);
      if (line) out.write(`${line}\n`);
    },
    close() {},
  };
}
