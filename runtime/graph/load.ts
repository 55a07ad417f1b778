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

  const upgraded = migrateDocument(raw, report, options.documentMigrations ?? DOCUMENT_MIGRATIONS);
  if (report.errors.length) return { changes: report.changes, errors: report.errors, placeholders };
  const parsed = parseDocument(upgraded);
  if (!parsed.ok) return { changes: report.changes, errors: parsed.issues, placeholders };

  const doc = parsed.doc;
  migrateNodes(doc, registry, report, placeholders);
  return { doc, changes: report.changes, errors: [...report.errors, ...validateGraph(doc, registry)], placeholders };
}
