/** The in-process run source: the engine over the data folder's artifact store and cache. */
import { Engine } from '../../engine/index.ts';
import { loadRegistry } from '../../node-loader.ts';
import type { DataPaths } from '../../paths.ts';
import { ArtifactStore } from '../../store/artifact-store.ts';
import { UsageError } from '../command.ts';
import { EventQueue } from './event-queue.ts';
import type { RunRequest, RunSource } from './source.ts';

export async function startLocalRun(request: RunRequest, paths: DataPaths): Promise<RunSource> {
  const store = new ArtifactStore(paths.artifacts);
  const engine = new Engine({ registry: await loadRegistry(), store, cacheDir: paths.cache });
  const inputs: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(request.inputs)) {
    if (!('file' in input)) inputs[name] = input.value;
    else {
      try {
        inputs[name] = await store.putFile(input.file, { mime: input.mime, name: input.name });
      } catch (err) {
        throw new UsageError(`--input ${name}: cannot read ${input.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
  }
  const events = new EventQueue();
  const run = engine.start(request.doc, { inputs, targets: request.targets.length ? request.targets : undefined, seeds: request.seeds, signal: request.signal, onEvent: events.push });
  // The engine always ends with a terminal event; a rejected `done` is an engine bug, surfaced to the consumer.
  run.done.then(() => events.end(), (err: unknown) => events.end(err));
  return { runId: run.runId, events, cancel: () => run.cancel(), openArtifact: (ref) => store.stream(ref) };
}
