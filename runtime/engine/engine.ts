/**
 * The engine: loads, migrates and validates a graph document, then runs it with every ready branch
 * in parallel (bounded per resource class), a persistent content-addressed cache, gate/map/loop/
 * subgraph control flow, cancellation and retries. Runs report through a typed event stream.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphDocument } from '../graph/document.ts';
import { loadDocument } from '../graph/load.ts';
import type { NodeRegistry } from '../graph/registry.ts';
import type { IssueCode, ValidationIssue } from '../graph/validate.ts';
import type { ArtifactStore } from '../store/artifact-store.ts';
import { CacheIndex } from '../store/cache-index.ts';
import type { RunEvent, RunEventListener } from './events.ts';
import { executeNode } from './execute.ts';
import { Run, type NodeState, type RunResult } from './run.ts';
import { plan, runScope } from './scope.ts';
import { secretMasker } from './secrets.ts';
import { Slots } from './slots.ts';

/** A document issue, or one about what a run asked for (a graph input or target that does not exist). */
export type RunIssue = Omit<ValidationIssue, 'code'> & { code: IssueCode | 'unknown_graph_input' | 'unknown_target' };

export class GraphValidationError extends Error {
  constructor(readonly errors: RunIssue[]) {
    super(`the graph is not valid:\n${errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`);
    this.name = 'GraphValidationError';
  }
}

export interface EngineOptions {
  registry: NodeRegistry;
  store: ArtifactStore;
  /** The persistent cache index's folder; without it (and without `cache`) nothing is cached. */
  cacheDir?: string;
  cache?: CacheIndex;
  concurrency?: { cpu?: number; gpu?: number };
  /** Non-secret settings for nodes (where the face models are, …), in ctx.config. */
  config?: Record<string, unknown>;
  /** Provider keys: in ctx.config too, and masked in every log line, progress message and error. */
  secrets?: Record<string, string>;
  /** Where per-node scratch folders go (removed after each run). */
  workRoot?: string;
  /** Called when an event listener throws (the run goes on); by default a process warning. */
  onListenerError?: (error: unknown, event: RunEvent) => void;
}

export interface StartOptions {
  runId?: string;
  /** Values for the graph's exposed inputs, by name. */
  inputs?: Record<string, unknown>;
  /** Node ids: run only these and what they need. */
  targets?: string[];
  signal?: AbortSignal;
  /** Seeds recorded by an earlier run (`result.seeds`), to reproduce it. */
  seeds?: Record<string, number>;
  onEvent?: RunEventListener;
}

export interface RunHandle {
  runId: string;
  /** The loaded (migrated, validated) document the run executes. */
  doc: GraphDocument;
  /** What loading changed (migrations), as sentences. */
  changes: string[];
  subscribe(listener: RunEventListener): () => void;
  cancel(): void;
  done: Promise<RunResult>;
}

export class Engine {
  readonly registry: NodeRegistry;
  readonly store: ArtifactStore;
  readonly cache: CacheIndex | undefined;
  readonly #parts;

  constructor(options: EngineOptions) {
    this.registry = options.registry;
    this.store = options.store;
    this.cache = options.cache ?? (options.cacheDir ? new CacheIndex(options.cacheDir) : undefined);
    this.#parts = {
      registry: this.registry,
      store: this.store,
      cache: this.cache,
      slots: { cpu: new Slots(options.concurrency?.cpu ?? availableParallelism()), gpu: new Slots(options.concurrency?.gpu ?? 1) },
      config: Object.freeze({ ...(options.config ?? {}), ...(options.secrets ?? {}) }),
      mask: secretMasker(options.secrets ?? {}),
      workRoot: options.workRoot ?? join(tmpdir(), 'castgraph-work'),
      onListenerError: options.onListenerError ?? warnListenerError,
    };
  }

  /** Loads, migrates and validates a document with the given graph input values applied; throws GraphValidationError. */
  load(json: unknown, inputs?: Record<string, unknown>, targets?: readonly string[]): { doc: GraphDocument; changes: string[] } {
    const applied = applyGraphInputs(json, inputs);
    const loaded = loadDocument(applied, this.registry);
    const errors: RunIssue[] = [...loaded.errors];
    if (loaded.doc && targets) {
      const ids = new Set(loaded.doc.nodes.map((n: { id: string }) => n.id));
      targets.forEach((t, i) => {
        if (!ids.has(t)) errors.push({ path: `targets[${i}]`, code: 'unknown_target', message: `there is no node "${t}" to run up to` });
      });
    }
    if (errors.length || !loaded.doc) throw new GraphValidationError(errors);
    return { doc: loaded.doc, changes: loaded.changes };
  }

  start(json: unknown, options: StartOptions = {}): RunHandle {
    const { doc, changes } = this.load(json, options.inputs, options.targets);
    const run = new Run(options.runId ?? randomUUID(), this.#parts, options.seeds ?? {});
    if (options.onEvent) run.subscribe(options.onEvent);
    if (options.signal) {
      if (options.signal.aborted) run.cancel();
      else options.signal.addEventListener('abort', () => run.cancel(), { once: true });
    }
    const done = this.#execute(run, doc, options.targets);
    return { runId: run.runId, doc, changes, subscribe: (l) => run.subscribe(l), cancel: () => run.cancel(), done };
  }

  run(json: unknown, options: StartOptions = {}): Promise<RunResult> {
    return this.start(json, options).done;
  }

  async #execute(run: Run, doc: GraphDocument, targets?: string[]): Promise<RunResult> {
    await Promise.resolve(); // let the caller subscribe before the first event
    const t0 = Date.now();
    const emit = (e: RunEvent) => run.emit(e);
    try {
      const planned = plan(run, doc, '', undefined, targets);
      emit({ type: 'run.started', runId: run.runId, ts: t0, nodeCount: planned.length, seeds: { ...run.seeds } });
      await runScope(run, planned, executeNode);
      const outputs: Record<string, unknown> = {};
      if (doc.outputs.length) {
        const byId = new Map(planned.map((p) => [p.node.id, p]));
        for (const o of doc.outputs) {
          const v = byId.get(o.node)?.outputs?.[o.port];
          if (v !== undefined) outputs[o.name] = v;
        }
      }
      const durationMs = Date.now() - t0;
      const base = { runId: run.runId, outputs, seeds: run.seeds, nodes: run.nodes, durationMs };
      if (run.cancelled) {
        markUnrun(run.nodes, 'cancelled');
        emit({ type: 'run.cancelled', runId: run.runId, ts: Date.now(), durationMs });
        return { ...base, status: 'cancelled' };
      }
      if (run.failure) {
        const { error, nodePath } = run.failure;
        emit({ type: 'run.failed', runId: run.runId, ts: Date.now(), error, nodePath, durationMs });
        return { ...base, status: 'failed', error, failedNode: nodePath };
      }
      emit({ type: 'run.succeeded', runId: run.runId, ts: Date.now(), outputs, durationMs });
      return { ...base, status: 'succeeded' };
    } finally {
      this.cache?.flush();
      run.cleanup();
    }
  }
}

function warnListenerError(error: unknown, event: RunEvent): void {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`castgraph: a listener of run ${event.runId} failed on ${event.type}: ${message}`);
}

function markUnrun(nodes: Record<string, NodeState>, status: 'cancelled'): void {
  for (const st of Object.values(nodes)) if (st.status === 'pending' || st.status === 'running') st.status = status;
}

/** Sets exposed graph inputs as inline values on the nodes they point at, before validation checks them. */
function applyGraphInputs(json: unknown, inputs: Record<string, unknown> | undefined): unknown {
  if (!inputs || Object.keys(inputs).length === 0) return json;
  const doc = json as { inputs?: unknown; nodes?: unknown };
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.inputs) || !Array.isArray(doc.nodes)) return json;
  const declared = doc.inputs as Array<{ name?: unknown; node?: unknown; port?: unknown }>;
  const nodes = (doc.nodes as Array<{ id?: unknown; inputs?: Record<string, unknown> }>).slice();
  const errors: RunIssue[] = [];
  for (const [name, value] of Object.entries(inputs)) {
    const decl = declared.find((d) => d.name === name);
    if (!decl) {
      const known = declared.map((d) => String(d.name)).join(', ') || 'none';
      errors.push({ path: `inputs.${name}`, code: 'unknown_graph_input', message: `the graph has no input named "${name}" (its inputs: ${known})` });
      continue;
    }
    const i = nodes.findIndex((n) => n?.id === decl.node);
    if (i >= 0) nodes[i] = { ...nodes[i], inputs: { ...(nodes[i].inputs ?? {}), [String(decl.port)]: value } };
  }
  if (errors.length) throw new GraphValidationError(errors);
  return { ...doc, nodes };
}
