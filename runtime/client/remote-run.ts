/**
 * `castgraph run --server URL graph.json`: the CLI's run source backed by a Castgraph server. Local
 * input files are streamed up as artifacts, the run is submitted, and its WebSocket events feed the same
 * displays as a local run. Invalid graphs raise the engine's GraphValidationError with document paths,
 * so the CLI prints the same messages either way. Node only (file uploads, the `ws` package).
 */
import { createReadStream } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { WebSocket } from 'ws';
import type { RunEvent } from '../engine/events.ts';
import { GraphValidationError, type RunIssue } from '../engine/engine.ts';
import type { ArtifactRef } from '../graph/node-definition.ts';
import type { RunRequest, RunSource } from '../cli/run/source.ts';
import { CastgraphApiError, CastgraphClient } from './http.ts';
import { streamRun, type WebSocketConstructor } from './events.ts';
import type { ServerRunEvent } from './types.ts';

/** Server error paths name the request field (`body.graph.nodes[0]`); the CLI speaks of the document (`nodes[0]`). */
function documentPath(path: string): string {
  return path.replace(/^body\.graph\./, '').replace(/^body\./, '');
}

/** The remote run's events as RunEvents; a server-side interruption ends the stream as a failure. */
async function* runEvents(stream: AsyncIterable<{ event: unknown }>): AsyncGenerator<RunEvent> {
  for await (const { event } of stream) {
    const e = event as ServerRunEvent;
    if (e.type === 'run.interrupted') {
      yield { type: 'run.failed', runId: e.runId, ts: e.ts, durationMs: 0, error: { message: `${e.reason} (resume it: POST /api/runs/${e.runId}/resume)`, errorClass: 'internal', retryable: true } };
      return;
    }
    // The local display has no queue: the server's queue is not a step of the graph.
    if (e.type === 'run.queued' || e.type === 'run.reprioritized') continue;
    yield e;
  }
}

export async function startRemoteRun(request: RunRequest, server: { baseUrl: string; token?: string }): Promise<RunSource> {
  const client = new CastgraphClient(server);
  const inputs: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(request.inputs)) {
    if (!('file' in input)) inputs[name] = input.value;
    else {
      const body = Readable.toWeb(createReadStream(input.file)) as ReadableStream<Uint8Array>;
      inputs[name] = await client.uploadArtifact(body, { mime: input.mime, name: input.name });
    }
  }
  let accepted;
  try {
    accepted = await client.submitRun({
      graph: request.doc as never,
      inputs,
      ...(request.targets.length ? { targets: request.targets } : {}),
      ...(Object.keys(request.seeds).length ? { seeds: request.seeds } : {}),
    });
  } catch (err) {
    if (err instanceof CastgraphApiError && err.status === 400 && err.issues.length)
      throw new GraphValidationError(err.issues.map((i): RunIssue => ({ path: documentPath(i.path), message: i.message, code: 'schema' })));
    throw err;
  }
  const { runId } = accepted;
  const stream = streamRun(client, runId, { WebSocket: WebSocket as unknown as WebSocketConstructor });
  request.signal.addEventListener('abort', () => void client.cancelRun(runId).catch(() => undefined), { once: true });
  return {
    runId,
    events: runEvents(stream),
    cancel: () => void client.cancelRun(runId).catch(() => undefined),
    openArtifact(ref: ArtifactRef): Readable {
      const out = new PassThrough();
      client
        .downloadArtifact(ref.$artifact)
        .then((res) => Readable.fromWeb(res.body as never).pipe(out))
        .catch((err: Error) => out.destroy(err));
      return out;
    },
  };
}
