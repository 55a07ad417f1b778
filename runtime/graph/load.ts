/**
 * Loading: JSON text or value in, a current, validated GraphDocument out, with a sentence for
 * every upgrade made on the way. Loading never fails on drift: unknown node types load as
 * placeholders (kept verbatim) and everything wrong is listed in `errors` at once. Only input the
 * schema cannot read (or a document too new) yields no `doc`.
 */
import type { GraphDocument } from './document.ts';
import { GRAPH_FORMAT } from './document.ts';
import { DOCUMENT_MIGRATIONS, migrateDocument, migrateNodes, type DocumentMigration, type MigrationReport } from './migrate.ts';
import { parseDocument } from './parse.ts';
import type { NodeRegistry } from './registry.ts';
import { validateGraph, type ValidationIssue } from './validate.ts';
import { describe } from './values.ts';

export interface LoadResult {
  /** The upgraded document; absent when it could not be read at all. Present even with errors. */
  doc?: GraphDocument;
  /** What the migrations changed, one sentence each. */
  changes: string[];
  /** Every problem: schema, migration and validation issues. Empty means the graph can run. */
  errors: ValidationIssue[];
  /** Node paths (`id`, or `loop/id` inside a body) of nodes whose type is not installed. */
  placeholders: string[];
}

export interface LoadOptions {
  /** The document-version chain; tests inject their own. */
  documentMigrations?: readonly DocumentMigration[];
}

/**
 * Bodies nest (a loop in a subgraph in a loop…); past this depth a document is refused before
 * anything recursive touches it, so a hostile file cannot exhaust the stack.
 */
export const MAX_BODY_DEPTH = 32;

export function loadDocument(json: unknown, registry: NodeRegistry, options: LoadOptions = {}): LoadResult {
  const report: MigrationReport = { changes: [], errors: [] };
  const placeholders: string[] = [];
  const fail = (issue: ValidationIssue): LoadResult => ({ changes: report.changes, errors: [...report.errors, issue], placeholders });

  let input = json;
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch (err) {
      return fail({ path: '(document)', code: 'schema', message: `The document is not valid JSON: ${(err as Error).message}.` });
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail({ path: '(document)', code: 'schema', message: `A graph document must be a JSON object, got ${describe(input)}.` });
  }
  const raw = input as Record<string, unknown>;
  if (raw.format !== GRAPH_FORMAT) {
    return fail({ path: 'format', code: 'schema', message: `\`format\` must be "${GRAPH_FORMAT}", got ${describe(raw.format)}: this is not a Castgraph graph document.` });
  }

  const tooDeep = findTooDeep(raw);
  if (tooDeep) {
    return fail({ path: tooDeep, code: 'schema', message: `\`${tooDeep}\` nests graph bodies more than ${MAX_BODY_DEPTH} levels deep; flatten some subgraphs.` });
  }
  const upgraded = migrateDocument(raw, report, options.documentMigrations ?? DOCUMENT_MIGRATIONS);
  if (report.errors.length) return { changes: report.changes, errors: report.errors, placeholders };
  const parsed = parseDocument(upgraded);
  if (!parsed.ok) return { changes: report.changes, errors: parsed.issues, placeholders };

  const doc = parsed.doc;
  migrateNodes(doc, registry, report, placeholders);
  return { doc, changes: report.changes, errors: [...report.errors, ...validateGraph(doc, registry)], placeholders };
}

/** The path of the first body nested deeper than MAX_BODY_DEPTH, found without recursion. */
function findTooDeep(root: Record<string, unknown>): string | undefined {
  const pending: { level: unknown; at: string; depth: number }[] = [{ level: root, at: '', depth: 0 }];
  while (pending.length) {
    const { level, at, depth } = pending.pop()!;
    const nodes = (level as { nodes?: unknown }).nodes;
    if (!Array.isArray(nodes)) continue;
    for (let i = 0; i < nodes.length; i++) {
      const graph = (nodes[i] as { graph?: unknown } | null)?.graph;
      if (typeof graph !== 'object' || graph === null) continue;
      const path = `${at}nodes[${i}].graph`;
      if (depth + 1 > MAX_BODY_DEPTH) return path;
      pending.push({ level: graph, at: `${path}.`, depth: depth + 1 });
    }
  }
  return undefined;
}
