/**
 * `defineNode`: how a node type declares its ports, parameters, resources, cache policy,
 * migrations and behaviour. Pure TypeScript: the editor imports the same definitions' metadata.
 */
import type { GraphNode } from './document.ts';
import type { PortType } from './port-types.ts';
import type { NodeRegistry } from './registry.ts';

export interface InputSpec {
  type: PortType;
  description?: string;
  default?: unknown;
  /** Not required: an unset optional input reaches `run` as undefined. */
  optional?: boolean;
  min?: number;
  max?: number;
  step?: number;
  /** The allowed values of an `enum` input. */
  values?: readonly string[];
  /** Accepts several connections; their values arrive as one list, in edge order. The type must be `list<T>`. */
  multi?: boolean;
  /** A hint for the editor's inline widget. */
  widget?: 'slider' | 'textarea' | 'file' | 'zip' | 'color';
  /** File inputs: which media types an upload may have. */
  accept?: readonly string[];
  /**
   * A text template input: each `{name}` placeholder of its inline value becomes an input of the node
   * with this spec (see runtime/graph/template.ts), so `A photo of {subject}` gets a `subject` port.
   */
  placeholders?: Omit<InputSpec, 'placeholders'>;
}

export interface OutputSpec {
  type: PortType;
  description?: string;
}

export type ResourceClass = 'cpu' | 'gpu';

/**
 * - `deterministic`: the same inputs give the same outputs, so outputs are cached by key.
 * - `volatile`: never cached (clock, network reads without an ETag, interactive input).
 * - `{ fingerprint }`: deterministic given the inputs plus whatever the function returns,
 *   computed from the *resolved* inputs (a file's hash, a remote ETag).
 */
export type CachePolicy =
  | 'deterministic'
  | 'volatile'
  | { fingerprint: (inputs: Record<string, unknown>, ctx: FingerprintContext) => unknown | Promise<unknown> };

export interface FingerprintContext {
  artifacts: ArtifactAccess;
  signal: AbortSignal;
}

/** A file in the content-addressed artifact store, as values carry it. */
export interface ArtifactRef {
  /** sha256 of the bytes, hex. */
  $artifact: string;
  mime: string;
  size: number;
  name?: string;
  width?: number;
  height?: number;
  [k: string]: unknown;
}

export function isArtifactRef(v: unknown): v is ArtifactRef {
  return typeof v === 'object' && v !== null && typeof (v as ArtifactRef).$artifact === 'string';
}

/** What nodes see of the artifact store; the Node implementation lives in runtime/store. */
export interface ArtifactAccess {
  put(bytes: Uint8Array, meta: { mime: string; name?: string; width?: number; height?: number; [k: string]: unknown }): Promise<ArtifactRef>;
  get(ref: ArtifactRef | string): Promise<Uint8Array>;
  /** A local file path for the artifact, for libraries that read files (ffmpeg, sharp). */
  path(ref: ArtifactRef | string): string;
  has(ref: ArtifactRef | string): Promise<boolean>;
}

export interface NodeLogger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface RunContext {
  signal: AbortSignal;
  /** fraction in 0..1; the engine derives ETA from it. */
  progress(fraction: number, message?: string): void;
  log: NodeLogger;
  artifacts: ArtifactAccess;
  /** Shows an intermediate image on the node while it runs. */
  preview(image: ArtifactRef): void;
  runId: string;
  /** The node's path in the run: `refine/3/score` inside a loop, `sampler` at top level. */
  nodePath: string;
  attempt: number;
  /** A scratch folder private to this node execution (removed after the run), for tools that need files. */
  workDir: string;
  /** Server-side configuration (provider keys etc.), never part of the graph or the run record. */
  config: Readonly<Record<string, unknown>>;
}

/** Outputs a node returns. A missing or undefined port is *empty*: consumers that need it are skipped (gate). */
export type NodeOutputs = Record<string, unknown>;

export interface NodeMigration {
  /** The typeVersion this step upgrades from (to from + 1). */
  from: number;
  description: string;
  migrate(inputs: Record<string, unknown>): Record<string, unknown>;
  renameInputs?: Record<string, string>;
  renameOutputs?: Record<string, string>;
}

export interface NodePorts {
  inputs: Record<string, InputSpec>;
  outputs: Record<string, OutputSpec>;
}

export interface NodeDefinition<I extends Record<string, unknown> = Record<string, any>> {
  type: string;
  version: number;
  title: string;
  category: string;
  description: string;
  inputs: Record<string, InputSpec>;
  outputs: Record<string, OutputSpec>;
  resource: ResourceClass;
  cache: CachePolicy;
  migrations: NodeMigration[];
  retry?: { attempts: number; backoffMs?: number };
  /** Longer documentation (markdown) shown in the editor's inspector. */
  docs?: string;
  /** Built-in control flow the engine runs itself: the node's body is `node.graph`. */
  control?: 'subgraph' | 'loop';
  /** Per-instance ports (subgraph and loop nodes derive theirs from their body, whose port types the registry knows). */
  ports?: (node: GraphNode, registry?: NodeRegistry) => NodePorts;
  run(ctx: RunContext, inputs: I): Promise<NodeOutputs> | NodeOutputs;
}

export type NodeDefinitionInput<I extends Record<string, unknown>> = Omit<NodeDefinition<I>, 'resource' | 'cache' | 'migrations'> &
  Partial<Pick<NodeDefinition<I>, 'resource' | 'cache' | 'migrations'>>;

const TYPE_ID = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

export function defineNode<I extends Record<string, unknown> = Record<string, any>>(def: NodeDefinitionInput<I>): NodeDefinition<I> {
  if (!TYPE_ID.test(def.type)) throw new Error(`node type "${def.type}" must be a \`family.name\` id in lower case`);
  if (!Number.isInteger(def.version) || def.version < 1) throw new Error(`node type ${def.type}: version must be an integer >= 1`);
  for (const [name, spec] of Object.entries(def.inputs)) {
    if (spec.multi && !spec.type.startsWith('list<')) throw new Error(`node type ${def.type}: input ${name} is multi, so its type must be list<T>`);
    if (spec.type === 'enum' && !spec.values?.length) throw new Error(`node type ${def.type}: enum input ${name} needs values`);
  }
  return { resource: 'cpu', cache: 'deterministic', migrations: [], ...def };
}

/** The ports of one node instance: dynamic for subgraph/loop nodes, else the definition's. */
export function portsOf(def: NodeDefinition, node: GraphNode, registry?: NodeRegistry): NodePorts {
  if (def.ports) return def.ports(node, registry);
  let ports = staticPorts.get(def);
  if (!ports) staticPorts.set(def, (ports = { inputs: def.inputs, outputs: def.outputs }));
  return ports;
}

/** One ports object per definition without per-instance ports: validation and planning ask for it per node. */
const staticPorts = new WeakMap<NodeDefinition, NodePorts>();

/** Errors a node throws to say what kind of failure it was; the engine retries only transient ones. */
export type ErrorClass = 'user' | 'config' | 'resource' | 'transient' | 'internal';

export class NodeError extends Error {
  readonly errorClass: ErrorClass;
  constructor(message: string, errorClass: ErrorClass = 'user', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NodeError';
    this.errorClass = errorClass;
  }
  get retryable(): boolean {
    return this.errorClass === 'transient';
  }
}

export class TransientError extends NodeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'transient', options);
    this.name = 'TransientError';
  }
}
