/**
 * A run as the `run` command sees it: a request in, an event stream out. The local engine is one
 * source; a remote server (`--server URL`) can be another, feeding the same displays and `--out` writer.
 */
import type { Readable } from 'node:stream';
import type { ArtifactRef } from '../../graph/index.ts';
import type { RunEvent } from '../../engine/index.ts';

/** A graph input from `--input name=...`: a local file to upload, or a JSON/text value. */
export type InputValue = { file: string; mime: string; name: string } | { value: unknown };

export interface RunRequest {
  /** The graph JSON with `--set` values applied; the source loads and validates it. */
  doc: unknown;
  inputs: Record<string, InputValue>;
  targets: string[];
  /** Seeds to replay, keyed `nodePath.port`. */
  seeds: Record<string, number>;
  signal: AbortSignal;
}

export interface RunSource {
  runId: string;
  /** Ends after run.succeeded, run.failed or run.cancelled. */
  events: AsyncIterable<RunEvent>;
  cancel(): void;
  /** The bytes of an output artifact, for writing `--out`. */
  openArtifact(ref: ArtifactRef): Readable;
}

/**
 * Starts a run. Throws GraphValidationError (with `.errors`) when the graph or the request is invalid,
 * and UsageError when an input file cannot be read.
 */
export type StartRun = (request: RunRequest) => Promise<RunSource>;
