/**
 * Planning and scheduling of one scope: the top-level graph, a subgraph body, or one loop iteration.
 * Every node whose inputs are all settled starts at once (the resource slots bound how many run);
 * a node settles its dependents by decrementing per-edge counters, so scheduling costs O(V + E)
 * in total, never a scan of pending nodes per step.
 */
import type { GraphDocument, GraphNode } from '../graph/document.ts';
import { hasDynamicPorts, nodePorts, outputType } from '../graph/body-ports.ts';
import type { InputSpec, NodeDefinition, NodePorts } from '../graph/node-definition.ts';
import type { NodeRegistry } from '../graph/registry.ts';
import { listItemType, widenValue } from '../graph/port-types.ts';
import type { NodeState, Run } from './run.ts';

export interface Source {
  from: Planned;
  port: string;
  type: string;
}

export interface Binding {
  port: string;
  spec: InputSpec;
  sources: Source[];
  inline: unknown;
}

export interface Planned {
  node: GraphNode;
  def: NodeDefinition;
  path: string;
  ports: NodePorts;
  bindings: Binding[];
  /** One entry per outgoing edge, so `waiting` counts edges, not nodes. */
  dependents: Planned[];
  waiting: number;
  /** Set once the node settles; a port that is absent or undefined is empty. */
  outputs: Record<string, unknown> | undefined;
  state: NodeState;
}

export type Overrides = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

/**
 * Shared by every unconnected input (and every node without dependents) until an edge arrives, so
 * planning allocates nothing for them; the first edge then makes a list of one, since an empty
 * list's first push reserves room for 17.
 */
const NO_SOURCES: Source[] = [];
const NO_DEPENDENTS: Planned[] = [];

/** A node's ports with its inputs as a list (no `for…in` per node) and whether any of them is a seed. */
interface PortInfo {
  ports: NodePorts;
  inputs: ReadonlyArray<readonly [string, InputSpec]>;
  hasSeed: boolean;
}

const staticPorts = new WeakMap<NodeDefinition, PortInfo>();

function portInfo(ports: NodePorts): PortInfo {
  const inputs = Object.entries(ports.inputs);
  return { ports, inputs, hasSeed: inputs.some(([, spec]) => spec.type === 'seed') };
}

/** A definition without per-instance ports has one PortInfo, shared by all its nodes. */
function portsFor(def: NodeDefinition, node: GraphNode, registry: NodeRegistry): PortInfo {
  if (hasDynamicPorts(def)) return portInfo(nodePorts(def, node, registry));
  let info = staticPorts.get(def);
  if (!info) staticPorts.set(def, (info = portInfo({ inputs: def.inputs, outputs: def.outputs })));
  return info;
}

/**
 * Plans the nodes of `doc` under `prefix` (`''` at top level, `refine/2/` inside a loop).
 * `overrides` set input values by node id (a body's exposed inputs); `targets` keep only what they need.
 */
export function plan(run: Run, doc: GraphDocument, prefix: string, overrides?: Overrides, targets?: readonly string[]): Planned[] {
  const { registry } = run.parts;
  const needed = targets?.length ? ancestorsOf(doc, targets) : undefined;
  const byId = new Map<string, Planned>();
  const planned: Planned[] = [];
  let seeded: Planned[] | undefined;
  for (const node of doc.nodes) {
    if (needed && !needed.has(node.id)) continue;
    const def = registry.get(node.type);
    if (!def) throw new Error(`node ${node.id}: unknown type ${node.type} reached the engine past validation`);
    const path = prefix + node.id;
    const info = portsFor(def, node, registry);
    const own = overrides?.get(node.id);
    const bindings: Binding[] = new Array(info.inputs.length);
    for (let i = 0; i < info.inputs.length; i++) {
      const [port, spec] = info.inputs[i];
      let inline = own && port in own ? own[port] : node.inputs[port];
      if (inline === undefined) inline = spec.default;
      bindings[i] = { port, spec, sources: NO_SOURCES, inline };
    }
    // Every field a node that runs will set is there from the start, so a state keeps one shape and its
    // fields stay inside the object (added later, each would extend a separate property store).
    const state: NodeState = { status: 'pending', nodeId: node.id, nodeType: node.type, attempts: 0, key: undefined, outputs: undefined, startedAt: undefined, endedAt: undefined };
    const p: Planned = { node, def, path, ports: info.ports, bindings, dependents: NO_DEPENDENTS, waiting: 0, outputs: undefined, state };
    byId.set(node.id, p);
    planned.push(p);
    if (info.hasSeed) (seeded ??= []).push(p);
    run.nodes[path] = state;
  }
  for (const edge of doc.edges) {
    const from = byId.get(edge.from.node);
    const to = byId.get(edge.to.node);
    if (!from || !to) continue;
    const out = from.ports.outputs[edge.from.port];
    let binding: Binding | undefined;
    for (const b of to.bindings) if (b.port === edge.to.port) binding = b;
    if (!binding || !out) continue;
    const source: Source = { from, port: edge.from.port, type: outputType(from.node, out) };
    if (binding.sources === NO_SOURCES) binding.sources = [source];
    else binding.sources.push(source);
    if (from.dependents === NO_DEPENDENTS) from.dependents = [to];
    else from.dependents.push(to);
    to.waiting++;
  }
  for (const p of seeded ?? []) {
    for (const b of p.bindings) {
      // A seed left at -1 (or unset) is drawn once per run and recorded, so the run can be replayed.
      if (b.spec.type === 'seed' && b.sources.length === 0 && (b.inline === -1 || b.inline === undefined)) b.inline = run.seed(`${p.path}.${b.port}`);
    }
  }
  return planned;
}

function ancestorsOf(doc: GraphDocument, targets: readonly string[]): Set<string> {
  const incoming = new Map<string, string[]>();
  for (const e of doc.edges) {
    const list = incoming.get(e.to.node);
    if (list) list.push(e.from.node);
    else incoming.set(e.to.node, [e.from.node]);
  }
  const seen = new Set<string>(targets);
  const stack = [...targets];
  while (stack.length) {
    for (const up of incoming.get(stack.pop()!) ?? []) {
      if (!seen.has(up)) {
        seen.add(up);
        stack.push(up);
      }
    }
  }
  return seen;
}

/**
 * Runs planned nodes until all settle, or until the run stops (a failure or a cancel), in which case
 * it resolves once the nodes already running have settled; nodes never started stay `pending`.
 * Ready nodes go through a work list, so a long chain of synchronous nodes neither recurses nor
 * allocates a promise per node.
 */
export function runScope(run: Run, planned: readonly Planned[], execute: (run: Run, p: Planned) => void | Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let remaining = planned.length;
    let running = 0;
    const ready: Planned[] = [];
    let head = 0;
    let draining = false;
    const settle = (p: Planned) => {
      running--;
      remaining--;
      if (!run.stopped) for (const d of p.dependents) if (--d.waiting === 0) ready.push(d);
      if (remaining === 0 || (run.stopped && running === 0)) resolve();
    };
    const crashed = (p: Planned, err: unknown) => {
      // execute() reports node failures itself; reaching here is an engine bug, still reported on the node
      p.state.status = 'failed';
      p.state.error = { message: err instanceof Error ? err.message : String(err), errorClass: 'internal', retryable: false };
      run.failure ??= { error: p.state.error, nodePath: p.path };
      settle(p);
    };
    const drain = () => {
      if (draining) return;
      draining = true;
      while (head < ready.length && !run.stopped) {
        const p = ready[head++];
        running++;
        let pending: void | Promise<void>;
        try {
          pending = execute(run, p);
        } catch (err) {
          crashed(p, err);
          continue;
        }
        if (pending) {
          pending.then(
            () => {
              settle(p);
              drain();
            },
            (err: unknown) => {
              crashed(p, err);
              drain();
            },
          );
        } else settle(p);
      }
      draining = false;
    };
    if (remaining === 0) return resolve();
    for (const p of planned) if (p.waiting === 0) ready.push(p);
    drain();
  });
}

/**
 * Gathers a node's input values from upstream outputs and inline values, applying widenings.
 * Returns a string instead when a needed input is empty: the reason the node is skipped.
 */
export function resolveInputs(p: Planned): Record<string, unknown> | string {
  const values: Record<string, unknown> = {};
  for (const b of p.bindings) {
    const { sources } = b;
    if (sources.length === 0) {
      if (b.inline !== undefined) values[b.port] = b.inline;
      continue;
    }
    if (b.spec.multi) {
      const itemType = listItemType(b.spec.type) ?? 'any';
      const items: unknown[] = [];
      for (const s of sources) {
        const v = s.from.outputs?.[s.port];
        if (v === undefined) continue;
        if (listItemType(s.type) !== undefined && Array.isArray(v)) items.push(...v);
        else items.push(widenValue(v, s.type, itemType));
      }
      if (items.length === 0 && !b.spec.optional) return emptyReason(b.port, sources[0]);
      values[b.port] = items;
      continue;
    }
    const s = sources[0];
    const v = s.from.outputs?.[s.port];
    if (v === undefined) {
      if (b.spec.optional) continue;
      return emptyReason(b.port, s);
    }
    values[b.port] = p.node.map?.includes(b.port) ? v : widenValue(v, s.type, b.spec.type);
  }
  return values;
}

function emptyReason(port: string, s: Source): string {
  const up = s.from.state;
  const why =
    up.status === 'muted' ? 'is muted'
    : up.status === 'skipped' ? `was skipped (${up.reason})`
    : up.status === 'failed' ? 'failed'
    : `left \`${s.port}\` empty`;
  return `input \`${port}\` has no value: ${s.from.path} ${why}`;
}
