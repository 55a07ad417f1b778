/**
 * Parsing a document against the v1 schema. The zod schema in document.ts is the definition and
 * the source of every error message, but it costs several times a sha256 per node, and the engine
 * parses on every run. So a hand-written check of the same schema runs first and builds the same
 * output (shape keys in schema order, then unknown keys, defaults filled); only when it rejects the
 * input does zod run, to say why. test/runtime/graph/document.test.ts holds the two to equality.
 */
import { GRAPH_FORMAT, GRAPH_VERSION, GraphDocument, NODE_ID_PATTERN, PORT_NAME_PATTERN, formatPath, type GraphDocumentT } from './document.ts';
import { describe } from './values.ts';
import type { ValidationIssue } from './validate.ts';

type Obj = Record<string, unknown>;

export type ParseResult = { ok: true; doc: GraphDocumentT } | { ok: false; issues: ValidationIssue[] };

export function parseDocument(input: unknown): ParseResult {
  const fast = parseFast(input);
  if (fast) return { ok: true, doc: fast };
  const result = GraphDocument.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, doc: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => {
      const nodeId = nodePathAt(input, issue.path);
      return { path: formatPath(issue.path), code: 'schema', message: schemaMessage(issue), ...(nodeId ? { nodeId } : {}) };
    }),
  };
}

/** The node path (`sub/inner`) of the deepest node a JSON path goes through, if its ids are valid. */
function nodePathAt(input: unknown, path: readonly PropertyKey[]): string | undefined {
  const ids: string[] = [];
  let at: unknown = input;
  for (let i = 0; i < path.length && typeof at === 'object' && at !== null; i++) {
    at = (at as Obj)[path[i] as string];
    if (path[i - 1] === 'nodes' && typeof path[i] === 'number') {
      const id = (at as Obj | null)?.id;
      if (typeof id !== 'string' || !NODE_ID_PATTERN.test(id)) return undefined;
      ids.push(id);
    }
  }
  return ids.length ? ids.join('/') : undefined;
}

const EXPECTED: Record<string, string> = {
  string: 'text (a string)',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'a list',
};

/** zod's terse messages made into sentences that name the field and what was expected. */
function schemaMessage(issue: { code: string; path: PropertyKey[]; message: string; input?: unknown; expected?: string; values?: unknown[] }): string {
  const field = `\`${formatPath(issue.path)}\``;
  const got = issue.input === undefined ? 'nothing' : describe(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `${field} is missing: expected ${EXPECTED[issue.expected ?? ''] ?? issue.expected}.`;
      return `${field} must be ${EXPECTED[issue.expected ?? ''] ?? issue.expected}, got ${got}.`;
    case 'invalid_value':
      return `${field} must be ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(' or ')}, got ${got}.`;
    case 'invalid_format':
      return `${field} must be ${issue.message}, got ${got}.`;
    default:
      return `${field} is invalid: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}.`;
  }
}

// ---- the fast path: returns undefined at the first doubt and lets zod decide ----

const TYPE_ID = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;
const MODES: ReadonlySet<unknown> = new Set(['active', 'bypass', 'mute']);

const DOC_KEYS = ['format', 'version', 'id', 'name', 'description', 'nodes', 'edges', 'inputs', 'outputs', 'groups', 'notes', 'meta'];
const NODE_KEYS = ['id', 'type', 'typeVersion', 'inputs', 'position', 'label', 'mode', 'map', 'retry', 'graph'];
const EDGE_KEYS = ['id', 'from', 'to'];
const PORT_REF_KEYS = ['node', 'port'];
const EXPOSED_KEYS = ['name', 'node', 'port', 'description'];
const GROUP_KEYS = ['id', 'title', 'nodes', 'color'];
const NOTE_KEYS = ['id', 'text', 'position'];
const POSITION_KEYS = ['x', 'y'];
const RETRY_KEYS = ['attempts', 'backoffMs'];

class Reject extends Error {}
const reject = (): never => {
  throw new Reject();
};

/** The schema's output for input it accepts; undefined where the full schema must look. */
export function parseFast(input: unknown): GraphDocumentT | undefined {
  try {
    return doc(input);
  } catch (err) {
    if (err instanceof Reject) return undefined;
    throw err;
  }
}

function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : reject();
}

/** Unknown keys after the schema's own, in input order, as zod's loose objects copy them. */
function rest(src: Obj, known: readonly string[], out: Obj): Obj {
  for (const key in src) {
    if (known.includes(key) || !Object.hasOwn(src, key)) continue;
    if (key === '__proto__') reject();
    out[key] = src[key];
  }
  return out;
}

/** An optional key: copied when present, even as undefined, like zod. */
function opt(src: Obj, key: string, out: Obj, check: (v: unknown) => unknown): void {
  if (!(key in src)) return;
  const v = src[key];
  out[key] = v === undefined ? undefined : check(v);
}

const str = (min: number, max: number) => (v: unknown) => (typeof v === 'string' && v.length >= min && v.length <= max ? v : reject());
const match = (re: RegExp) => (v: unknown) => (typeof v === 'string' && re.test(v) ? v : reject());
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : reject());
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => (v: unknown) => (Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max ? v : reject());
const record = (v: unknown) => ({ ...obj(v) });
const arr = <T>(v: unknown, each: (item: unknown) => T): T[] => (Array.isArray(v) ? v.map(each) : reject());
/** Arrays with a default of [] in the schema. */
const arrOr = <T>(v: unknown, each: (item: unknown) => T): T[] => (v === undefined ? [] : arr(v, each));

// The schema's field checks, built once.
const nodeId = match(NODE_ID_PATTERN);
const portName = match(PORT_NAME_PATTERN);
const typeId = match(TYPE_ID);
const itemId = str(1, 128);
const shortText = str(0, 200);
const longText = str(0, 20_000);
const anyText = str(0, Infinity);
const typeVersion = int(1);
const attempts = int(1, 20);

function doc(input: unknown): GraphDocumentT {
  const src = obj(input);
  if (src.format !== GRAPH_FORMAT || src.version !== GRAPH_VERSION) reject();
  const out: Obj = { format: GRAPH_FORMAT, version: GRAPH_VERSION, id: itemId(src.id), name: shortText(src.name) };
  opt(src, 'description', out, longText);
  out.nodes = arr(src.nodes, node);
  out.edges = arrOr(src.edges, edge);
  out.inputs = arrOr(src.inputs, exposed);
  out.outputs = arrOr(src.outputs, exposed);
  out.groups = arrOr(src.groups, group);
  out.notes = arrOr(src.notes, note);
  out.meta = src.meta === undefined ? {} : record(src.meta);
  return rest(src, DOC_KEYS, out) as GraphDocumentT;
}


function node(input: unknown): Obj {
  const src = obj(input);
  const out: Obj = { id: nodeId(src.id), type: typeId(src.type), typeVersion: typeVersion(src.typeVersion) };
  out.inputs = src.inputs === undefined ? {} : record(src.inputs);
  out.position = src.position === undefined ? { x: 0, y: 0 } : position(src.position);
  opt(src, 'label', out, shortText);
  opt(src, 'mode', out, (v) => (MODES.has(v) ? v : reject()));
  opt(src, 'map', out, (v) => {
    const names = arr(v, portName);
    return names.length ? names : reject();
  });
  opt(src, 'retry', out, retry);
  opt(src, 'graph', out, doc);
  return rest(src, NODE_KEYS, out);
}

function position(input: unknown): Obj {
  const src = obj(input);
  return rest(src, POSITION_KEYS, { x: num(src.x), y: num(src.y) });
}

function retry(input: unknown): Obj {
  const src = obj(input);
  const out: Obj = { attempts: attempts(src.attempts) };
  opt(src, 'backoffMs', out, (v) => (num(v) >= 0 && (v as number) <= 600_000 ? v : reject()));
  return rest(src, RETRY_KEYS, out);
}

function portRef(input: unknown): Obj {
  const src = obj(input);
  return rest(src, PORT_REF_KEYS, { node: nodeId(src.node), port: portName(src.port) });
}

function edge(input: unknown): Obj {
  const src = obj(input);
  return rest(src, EDGE_KEYS, { id: itemId(src.id), from: portRef(src.from), to: portRef(src.to) });
}

function exposed(input: unknown): Obj {
  const src = obj(input);
  const out: Obj = { name: portName(src.name), node: nodeId(src.node), port: portName(src.port) };
  opt(src, 'description', out, anyText);
  return rest(src, EXPOSED_KEYS, out);
}

function group(input: unknown): Obj {
  const src = obj(input);
  const out: Obj = { id: itemId(src.id), title: anyText(src.title), nodes: arr(src.nodes, nodeId) };
  opt(src, 'color', out, anyText);
  return rest(src, GROUP_KEYS, out);
}

function note(input: unknown): Obj {
  const src = obj(input);
  return rest(src, NOTE_KEYS, { id: itemId(src.id), text: anyText(src.text), position: position(src.position) });
}
