/**
 * The ports of one node *instance*. Most nodes have their definition's ports; control nodes
 * (`flow.subgraph`, `flow.loop`) take theirs from their body graph, and a node that maps over an
 * input emits one value per item, so each of its outputs carries `list<T>`.
 */
import type { GraphDocument, GraphNode } from './document.ts';
import { portsOf, type InputSpec, type NodeDefinition, type NodePorts, type OutputSpec } from './node-definition.ts';
import { listOf, type PortType } from './port-types.ts';
import type { NodeRegistry } from './registry.ts';
import { parseTemplate, placeholderNames } from './template.ts';

/** A loop body reports completion through this exposed bool output. */
export const LOOP_DONE_OUTPUT = 'done';
/** Every loop needs this bound, even where its definition gives a default. */
export const LOOP_MAX_ITERATIONS = 'maxIterations';
/** An exposed loop-body input of this name receives the 0-based iteration number from the engine. */
export const LOOP_ITERATION_INPUT = 'iteration';

/**
 * The ports a nested body exposes: each exposed input becomes an input with the type (and default,
 * range, enum values, optionality) of the body port it feeds, or a list of it where that node maps
 * over the port; each exposed output becomes an output with the type the body port carries. A port that points at a missing node or an unknown type
 * is typed `any` here; validating the body reports the real error, and `any` keeps the parent's
 * edges from echoing it.
 */
export function bodyPorts(graph: GraphDocument | undefined, registry: NodeRegistry): NodePorts {
  const ports: NodePorts = { inputs: {}, outputs: {} };
  if (!graph) return ports;
  const byId = new Map<string, GraphNode>();
  for (const node of graph.nodes) if (!byId.has(node.id)) byId.set(node.id, node);
  for (const exposed of graph.inputs) {
    if (exposed.name in ports.inputs) continue;
    const target = resolve(byId, exposed.node, registry);
    const spec: InputSpec | undefined = target?.ports.inputs[exposed.port];
    const input: InputSpec = spec ? { ...spec } : { type: 'any' };
    // A body node mapping over the port wants a whole list from outside; an item default is no list.
    if (spec && target?.node.map?.includes(exposed.port)) {
      input.type = listOf(spec.type);
      delete input.default;
    }
    if (exposed.description !== undefined) input.description = exposed.description;
    ports.inputs[exposed.name] = input;
  }
  for (const exposed of graph.outputs) {
    if (exposed.name in ports.outputs) continue;
    const source = resolve(byId, exposed.node, registry);
    const spec = source?.ports.outputs[exposed.port];
    const output: OutputSpec = { type: spec && source ? outputType(source.node, spec) : 'any' };
    const description = exposed.description ?? spec?.description;
    if (description !== undefined) output.description = description;
    ports.outputs[exposed.name] = output;
  }
  return ports;
}

function resolve(byId: Map<string, GraphNode>, id: string, registry: NodeRegistry) {
  const node = byId.get(id);
  const def = node && registry.get(node.type);
  return node && def ? { node, ports: nodePorts(def, node, registry) } : undefined;
}

/** Whether a definition's ports differ per node: its own `ports`, a control body, or template placeholders. */
export function hasDynamicPorts(def: NodeDefinition): boolean {
  return def.ports !== undefined || def.control !== undefined || templateInputs(def).length > 0;
}

/**
 * The ports of one instance. A definition's own `ports(node)` wins; a control node without one
 * gets its static ports (e.g. a loop's `maxIterations`) plus those its body exposes; a template
 * input adds one input per placeholder of its inline value.
 */
export function nodePorts(def: NodeDefinition, node: GraphNode, registry: NodeRegistry): NodePorts {
  if (def.ports) return portsOf(def, node, registry);
  if (!def.control) {
    const ports = portsOf(def, node);
    const templates = templateInputs(def);
    return templates.length ? withPlaceholders(ports, templates, node) : ports;
  }
  const body = bodyPorts(node.graph, registry);
  const iteration = body.inputs[LOOP_ITERATION_INPUT];
  if (def.control === 'loop' && iteration) body.inputs[LOOP_ITERATION_INPUT] = { ...iteration, optional: true };
  return { inputs: { ...body.inputs, ...def.inputs }, outputs: { ...body.outputs, ...def.outputs } };
}

const templatesOf = new WeakMap<NodeDefinition, string[]>();

/** The names of a definition's inputs that declare `placeholders` (computed once per definition). */
function templateInputs(def: NodeDefinition): string[] {
  let names = templatesOf.get(def);
  if (!names) templatesOf.set(def, (names = Object.keys(def.inputs).filter((k) => def.inputs[k]!.placeholders)));
  return names;
}

function withPlaceholders(ports: NodePorts, templates: string[], node: GraphNode): NodePorts {
  const extra: Record<string, InputSpec> = {};
  for (const name of templates) {
    const template = node.inputs[name];
    if (typeof template !== 'string') continue; // a wired template can only read `values`-like inputs
    let names: string[];
    try {
      names = placeholderNames(parseTemplate(template, name));
    } catch {
      continue; // a malformed template adds no ports; running the node reports the syntax error with its position
    }
    for (const n of names) if (!(n in ports.inputs) && !(n in extra)) extra[n] = { ...ports.inputs[name]!.placeholders! };
  }
  return Object.keys(extra).length ? { inputs: { ...ports.inputs, ...extra }, outputs: ports.outputs } : ports;
}

/** The type an output carries on its wires: `list<T>` when the node maps over an input. */
export function outputType(node: GraphNode, spec: OutputSpec): PortType {
  return node.map?.length ? listOf(spec.type) : spec.type;
}
