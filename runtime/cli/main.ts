/**
 * `castgraph <command> [flags]`: finds the commands in `./commands/`, parses flags with node:util
 * parseArgs (strict: an unknown flag is a usage error), and turns the command's result into an exit code.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { EXIT, UsageError, type CliIO, type Command } from './command.ts';

const COMMANDS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'commands');

/** Command names are file names, so running one imports only its module (a broken sibling cannot stop it). */
export function commandNames(): string[] {
  return readdirSync(COMMANDS_DIR)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

export async function loadCommand(name: string): Promise<Command | undefined> {
  if (!commandNames().includes(name)) return undefined;
  const command = ((await import(pathToFileURL(join(COMMANDS_DIR, `${name}.ts`)).href)) as { default?: Command }).default;
  if (command?.name !== name || typeof command.run !== 'function') throw new Error(`runtime/cli/commands/${name}.ts must default-export the command "${name}"`);
  return command;
}

async function overview(): Promise<string> {
  const names = commandNames();
  const width = Math.max(...names.map((n) => n.length));
  const lines = await Promise.all(
    names.map(async (name) => {
      const summary = await loadCommand(name).then((c) => c?.summary, (err: Error) => `(failed to load: ${err.message.split('\n')[0]})`);
      return `  ${name.padEnd(width)}  ${summary}`;
    }),
  );
  return [
    'usage: castgraph <command> [flags]',
    '',
    'commands:',
    ...lines,
    '',
    'Run `castgraph <command> --help` for its flags.',
    'Exit codes: 0 ok, 1 invalid graph, 2 usage error, 3 run failed, 4 cancelled, 130 interrupted (Ctrl-C twice), 70 internal error.',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? await loadCommand(rest[0] ?? '') : undefined;
    io.stdout.write(topic ? `${topic.usage}\n` : await overview());
    return EXIT.ok;
  }
  const command = await loadCommand(name);
  if (!command) {
    io.stderr.write(`castgraph: unknown command "${name}"\n\n${await overview()}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    return await command.run({ values, positionals }, io);
  } catch (err) {
    // parseArgs reports unknown or malformed flags with ERR_PARSE_ARGS_* codes.
    const code = (err as { code?: string }).code ?? '';
    if (err instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`castgraph ${name}: ${(err as Error).message}\n\n${command.usage}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      return () => void process.off('SIGINT', handler);
    },
    exit: (code) => process.exit(code),
  };
}
