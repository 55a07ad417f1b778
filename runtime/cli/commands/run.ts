import { resolve } from 'node:path';
import { GraphValidationError } from '../../engine/index.ts';
import { dataPaths } from '../../paths.ts';
import { defineCommand, EXIT, many, UsageError, type CliIO, type ParsedArgs } from '../command.ts';
import { consume, type RunDisplay } from '../display/display.ts';
import { jsonDisplay } from '../display/json.ts';
import { liveDisplay } from '../display/live.ts';
import { plainDisplay } from '../display/plain.ts';
import { applySets, readGraphFile, splitAssignment } from '../graph-file.ts';
import { parseInputs } from '../run/inputs.ts';
import { startLocalRun } from '../run/local.ts';
import { writeOutputs } from '../run/outputs.ts';
import type { RunRequest, StartRun } from '../run/source.ts';

export default defineCommand({
  name: 'run',
  summary: 'run a graph with a live progress display and write its outputs',
  usage: [
    'usage: castgraph run <graph.json> [flags]',
    '',
    '  --set node.input=value   set a node input (repeatable); the value is JSON if it parses, else text',
    '  --input name=value       set an exposed graph input (repeatable); an existing file path is uploaded',
    '                           as an artifact, anything else is JSON or text',
    '  --out dir                write the graph outputs there: artifacts as <output>.<ext> (PNG, MP4 carry the graph),',
    '                           all outputs in outputs.json',
    '  --target nodeId          run only this node and what it needs (repeatable)',
    '  --seed node.port=N       replay a recorded seed (repeatable; see run.started `seeds`)',
    '  --json                   print one JSON event per line instead of the display',
    '  --server URL             run on a Castgraph server instead of in this process (token: $CASTGRAPH_TOKEN);',
    '                           input files are uploaded, outputs downloaded',
    '',
    'Data (artifacts, cache) of a local run lives in $CASTGRAPH_DATA, default ./.castgraph.',
    'Ctrl-C cancels the run (exit 4); a second Ctrl-C quits at once (exit 130).',
    'Exit codes: 0 succeeded, 1 invalid graph, 2 usage error, 3 run failed, 4 cancelled.',
  ].join('\n'),
  options: {
    set: { type: 'string', multiple: true },
    input: { type: 'string', multiple: true },
    out: { type: 'string' },
    target: { type: 'string', multiple: true },
    seed: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    server: { type: 'string' },
  },
  async run(args, io) {
    const server = args.values.server;
    if (typeof server !== 'string') return runGraph(args, io, (request) => startLocalRun(request, dataPaths(io.env, io.cwd)));
    if (!/^https?:\/\/[^/]/.test(server)) throw new UsageError(`--server ${server}: expected an http:// or https:// URL`);
    // Loaded only here: a local run needs neither the HTTP client nor the WebSocket library.
    const { startRemoteRun } = await import('../../client/remote-run.ts');
    return runGraph(args, io, (request) => startRemoteRun(request, { baseUrl: server, token: io.env.CASTGRAPH_TOKEN || undefined }));
  },
});

/** The whole `run` command against any run source: the local engine here, a server for `--server`. */
export async function runGraph({ values, positionals }: ParsedArgs, io: CliIO, start: StartRun): Promise<number> {
  if (positionals.length > 1) throw new UsageError(`one graph file at a time (got ${positionals.join(', ')})`);
  const text = await readGraphFile(positionals[0], io.cwd);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    io.stdout.write(`(document): The document is not valid JSON: ${(err as Error).message}.\n`);
    return EXIT.invalid;
  }
  const controller = new AbortController();
  const request: RunRequest = {
    doc: applySets(json, many(values.set)),
    inputs: parseInputs(many(values.input), io.cwd),
    targets: many(values.target),
    seeds: parseSeeds(many(values.seed)),
    signal: controller.signal,
  };

  let source;
  try {
    source = await start(request);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (!(err instanceof GraphValidationError)) {
      // An unreachable server, a refused upload: the run never started, which is a failed run, not a crash.
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      io.stderr.write(`castgraph run: the run could not start: ${(err as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}\n`);
      return EXIT.failed;
    }
    for (const issue of err.errors) io.stdout.write(`${issue.path}: ${issue.message}\n`);
    return EXIT.invalid;
  }

  let interrupts = 0;
  const removeInterrupt = io.onInterrupt(() => {
    if (++interrupts > 1) return io.exit(EXIT.interrupted);
    io.stderr.write('\ncancelling… (Ctrl-C again to quit at once)\n');
    controller.abort();
    source.cancel();
  });
  try {
    const display: RunDisplay = values.json ? jsonDisplay(io.stdout) : io.stdout.isTTY ? liveDisplay(io.stdout) : plainDisplay(io.stdout);
    const last = await consume(source.events, display);
    if (last?.type === 'run.cancelled') return EXIT.cancelled;
    if (last?.type !== 'run.succeeded') return EXIT.failed;
    if (typeof values.out === 'string') {
      const dir = resolve(io.cwd, values.out);
      const files = await writeOutputs(dir, last.outputs, source.openArtifact, { graph: request.doc });
      if (!values.json) io.stdout.write(`wrote ${files.length > 4 ? `${files.length} files` : files.join(', ')} to ${values.out}\n`);
    }
    return EXIT.ok;
  } finally {
    removeInterrupt();
  }
}

function parseSeeds(flags: string[]): Record<string, number> {
  const seeds: Record<string, number> = {};
  for (const raw of flags) {
    const { node, port, value } = splitAssignment('--seed', raw);
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--seed ${raw}: the seed must be a whole number >= 0`);
    seeds[`${node}.${port}`] = n;
  }
  return seeds;
}
