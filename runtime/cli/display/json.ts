/** `--json`: one RunEvent per line, for scripts (`jq`, log shippers). */
import type { OutStream } from '../command.ts';
import type { RunDisplay } from './display.ts';

export function jsonDisplay(out: OutStream): RunDisplay {
  return { event: (e) => void out.write(`${JSON.stringify(e)}\n`), close() {} };
}
