/**
 * Migrations. Two chains upgrade an older document so that nothing a user saved goes stale:
 * - the document chain (`DOCUMENT_MIGRATIONS`) rewrites the raw JSON of one graph level from
 *   version `from` to `to` before the schema sees it; nested bodies are separate levels, each
 *   upgraded on its own (a step never needs to recurse);
 * - each node type's chain (`NodeDefinition.migrations`, keyed by the typeVersion it upgrades
 *   from) rewrites a parsed node's inputs. Its renames are applied first, and to everything that
 *   names the port: the node's inputs and `map`, edges, and the graph's exposed inputs/outputs;
 *   then `migrate` receives the renamed inputs.
 * Every step that ran is reported as a sentence; a step that is missing or throws leaves the node
 * (or level) as it was and becomes an error.
 */
import { GRAPH_VERSION, type Edge, type GraphDocument, type GraphNode } from './document.ts';
import type { NodeDefinition, NodeMigration } from './node-definition.ts';
import type { NodeRegistry } from './registry.ts';
import type { ValidationIssue } from './validate.ts';
import { cap, describe } from './values.ts';

export interface DocumentMigration {
  from: number;
  to: number;
  description: string;
  /** Pure: receives a private copy of one graph level and returns the upgraded level. */
  migrate(doc: Record<string, unknown>): Record<string, unknown>;
}

/** v1 is the first released format, so the chain is empty; a v2 adds `{from: 1, to: 2, …}` here. */
export const DOCUMENT_MIGRATIONS: readonly DocumentMigration[] = [];

export interface MigrationReport {
  changes: string[];
  errors: ValidationIssue[];
}

type Raw = Record<string, unknown>;

/**
 * Upgrades a raw document (and its nested bodies) to `current`. Returns the input itself when
 * nothing is old, else an upgraded deep copy: the caller's object is never changed.
 */
export function migrateDocument(
  raw: Raw,
  report: MigrationReport,
  chain: readonly DocumentMigration[] = DOCUMENT_MIGRATIONS,
  current: number = GRAPH_VERSION,
): Raw {
  if (!needsUpgrade(raw, current)) return raw;
  return upgradeLevel(structuredClone(raw), '', chain, current, report);
}

/** Every level's version is checked, so a newer nested body is refused like a newer document. */
function needsUpgrade(level: Raw, current: number): boolean {
  if (level.version !== current) return true;
  if (!Array.isArray(level.nodes)) return false;
  for (const node of level.nodes) {
    const graph = (node as Raw | null)?.graph;
    if (typeof graph === 'object' && graph !== null && needsUpgrade(graph as Raw, current)) return true;
  }
  return false;
}

function upgradeLevel(level: Raw, at: string, chain: readonly DocumentMigration[], current: number, report: MigrationReport): Raw {
  const versionPath = `${at}version`;
  const where = at ? `the body at ${at.slice(0, -1)}` : 'the document';
  let version = level.version;
  if (!Number.isSafeInteger(version) || (version as number) < 0) {
    report.errors.push({ path: versionPath, code: 'schema', message: `\`${versionPath}\` must be the document format version, a whole number (this Castgraph reads up to ${current}); got ${describe(version)}.` });
    return level;
  }
  if ((version as number) > current) {
    report.errors.push({ path: versionPath, code: 'unsupported_version', message: `${cap(where)} is format version ${version as number}, newer than this Castgraph supports (${current}): update Castgraph to open it.` });
    return level;
  }
  while ((version as number) < current) {
    const from = version as number;
    const step = chain.find((s) => s.from === from);
    if (!step || step.to <= from) {
      report.errors.push({ path: versionPath, code: 'migration_missing', message: `No migration upgrades ${where} from format version ${from} (this Castgraph reads version ${current}).` });
      return level;
    }
    try {
      level = { ...step.migrate(level), version: step.to };
    } catch (err) {
      report.errors.push({ path: versionPath, code: 'migration_failed', message: `Upgrading ${where} from format version ${from} to ${step.to} failed: ${errorText(err)}.` });
      return level;
    }
    report.changes.push(`${cap(where)} upgraded from format version ${from} to ${step.to}: ${step.description}`);
    version = step.to;
  }
  if (Array.isArray(level.nodes)) {
    level.nodes.forEach((node: unknown, i: number) => {
      const n = node as Raw | null;
      if (typeof n?.graph === 'object' && n.graph !== null) n.graph = upgradeLevel(n.graph as Raw, `${at}nodes[${i}].graph.`, chain, current, report);
    });
  }
  return level;
}

/**
 * Runs each node type's chain over a parsed document (in place: it is the loader's own copy) and
 * lists nodes of unknown types, by node path, in `placeholders`; they are left untouched.
 */
export function migrateNodes(doc: GraphDocument, registry: NodeRegistry, report: MigrationReport, placeholders: string[], at = '', scope = ''): void {
  let ports: PortIndex | undefined;
  doc.nodes.forEach((node, i) => {
    const def = registry.get(node.type);
    if (!def) placeholders.push(scope + node.id);
    else if (node.typeVersion > def.version) {
      const here = `${at}nodes[${i}]`;
      report.errors.push({ path: `${here}.typeVersion`, code: 'node_version_too_new', nodeId: scope + node.id, message: `${here} (${node.type}) is version ${node.typeVersion}, newer than the installed ${node.type} (version ${def.version}): update Castgraph or the node pack.` });
    } else if (node.typeVersion < def.version) {
      ports ??= indexPorts(doc);
      upgradeNode(node, def, ports, `${at}nodes[${i}]`, scope + node.id, report);
    }
    if (node.graph) migrateNodes(node.graph, registry, report, placeholders, `${at}nodes[${i}].graph.`, `${scope}${node.id}/`);
  });
}

/** Everything that names a port of a given node, so renames touch only what they must. */
interface PortIndex {
  into: Map<string, { port: string }[]>;
  outOf: Map<string, { port: string }[]>;
}

function indexPorts(doc: GraphDocument): PortIndex {
  const into = new Map<string, { port: string }[]>();
  const outOf = new Map<string, { port: string }[]>();
  const add = (map: Map<string, { port: string }[]>, node: string, ref: { port: string }) => {
    const refs = map.get(node);
    if (refs) refs.push(ref);
    else map.set(node, [ref]);
  };
  doc.edges.forEach((edge: Edge) => {
    add(outOf, edge.from.node, edge.from);
    add(into, edge.to.node, edge.to);
  });
  for (const exposed of doc.inputs) add(into, exposed.node, exposed);
  for (const exposed of doc.outputs) add(outOf, exposed.node, exposed);
  return { into, outOf };
}

function upgradeNode(node: GraphNode, def: NodeDefinition, ports: PortIndex, here: string, nodePath: string, report: MigrationReport): void {
  while (node.typeVersion < def.version) {
    const from = node.typeVersion;
    const step: NodeMigration | undefined = def.migrations.find((m) => m.from === from);
    if (!step) {
      report.errors.push({ path: `${here}.typeVersion`, code: 'migration_missing', nodeId: nodePath, message: `${here} (${node.type}) is version ${from}, but ${node.type} has no migration from version ${from} (it is now version ${def.version}).` });
      return;
    }
    let inputs: Record<string, unknown>;
    try {
      inputs = step.migrate(renameKeys(node.inputs, step.renameInputs));
    } catch (err) {
      report.errors.push({ path: `${here}.inputs`, code: 'migration_failed', nodeId: nodePath, message: `Upgrading ${here} (${node.type}) from version ${from} to ${from + 1} failed: ${errorText(err)}.` });
      return;
    }
    // Commit only once `migrate` succeeded, so a failed step leaves the node whole.
    const said: string[] = [];
    if (step.renameInputs) {
      renameRefs(ports.into.get(node.id), step.renameInputs);
      if (node.map) node.map = node.map.map((name) => step.renameInputs![name] ?? name);
      for (const [a, b] of Object.entries(step.renameInputs)) said.push(`renamed input ${a} → ${b}`);
    }
    if (step.renameOutputs) {
      renameRefs(ports.outOf.get(node.id), step.renameOutputs);
      for (const [a, b] of Object.entries(step.renameOutputs)) said.push(`renamed output ${a} → ${b}`);
    }
    if (step.description) said.push(step.description);
    node.inputs = inputs;
    node.typeVersion = from + 1;
    report.changes.push(`${here} (${node.type}) upgraded from v${from} to v${from + 1}${said.length ? `: ${said.join('; ')}` : ''}`);
  }
}

function renameKeys(values: Record<string, unknown>, renames: Record<string, string> | undefined): Record<string, unknown> {
  if (!renames) return { ...values };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) out[renames[key] ?? key] = value;
  return out;
}

function renameRefs(refs: { port: string }[] | undefined, renames: Record<string, string>): void {
  for (const ref of refs ?? []) ref.port = renames[ref.port] ?? ref.port;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
