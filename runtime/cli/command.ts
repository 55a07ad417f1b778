/**
 * What a `castgraph` sub-command is. Each file in `runtime/cli/commands/` default-exports one,
 * and `main.ts` finds them by listing that folder: adding a command is adding a file.
 */
import type { ParseArgsConfig } from 'node:util';

/** Process exit codes; the README documents them. */
export const EXIT = {
  ok: 0,
  /** The graph is not valid (validation errors were printed). */
  invalid: 1,
  /** Bad flags or arguments, or a file that cannot be read. */
  usage: 2,
  /** The run failed (a node failed). */
  failed: 3,
  /** The run was cancelled (Ctrl-C once). */
  cancelled: 4,
  /** Ctrl-C twice: quit at once without waiting for the run to wind down (128 + SIGINT). */
  interrupted: 130,
} as const;

/** A terminal-ish output stream: process.stdout in real use, a buffer in tests. */
export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Registers a Ctrl-C handler; returns its remover. */
  onInterrupt(handler: () => void): () => void;
  /** Ends the process at once (second Ctrl-C). */
  exit(code: number): void;
}

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line for `castgraph --help`. */
  summary: string;
  /** The usage text shown by `castgraph <name> --help` and after a usage error. */
  usage: string;
  options: OptionsConfig;
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

/** A mistake in how the command was called; main prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function defineCommand(command: Command): Command {
  return command;
}

/** The values of a repeatable string option, always as an array. */
export function many(value: ParsedArgs['values'][string]): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
