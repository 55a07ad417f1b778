/**
 * The checks shown on nodes before a run, computed off the main thread (see validate.worker.ts).
 * Everything here is the graph model's own code (schema, `validateGraph`): the editor never keeps
 * a second copy of the rules the server enforces.
 */
import { GraphDocument, formatPath } from '../../../runtime/graph/document.ts';
import { validateGraph, type ValidationIssue } from '../../../runtime/graph/validate.ts';
import { NodeTypes, type NodeTypeInfo } from '../model/node-types.ts';

export type Issue = ValidationIssue | { path: string; message: string; code: 'schema'; nodeId?: string };

export function validateDocument(json: unknown, types: NodeTypes): Issue[] {
  const parsed = GraphDocument.safeParse(json);
  if (parsed.success) return validateGraph(parsed.data, types.registry);
  const nodes = (json as { nodes?: { id?: unknown }[] }).nodes;
  return parsed.error.issues.map((i) => {
    const id = i.path[0] === 'nodes' && typeof i.path[1] === 'number' ? nodes?.[i.path[1]]?.id : undefined;
    return { path: formatPath(i.path), message: `${formatPath(i.path)}: ${i.message}`, code: 'schema' as const, nodeId: typeof id === 'string' ? id : undefined };
  });
}

/** Issues by the top-level node they concern (`loop/score` is shown on `loop`). */
export function issuesByNode(issues: readonly Issue[]): Map<string, Issue[]> {
  const out = new Map<string, Issue[]>();
  for (const issue of issues) {
    if (!issue.nodeId) continue;
    const key = issue.nodeId.split('/')[0]!;
    const list = out.get(key);
    if (list) list.push(issue);
    else out.set(key, [issue]);
  }
  return out;
}

/** Worker-side state: node types are sent once, documents on every edit. */
export function createValidator() {
  let types = new NodeTypes([]);
  return {
    setTypes(list: NodeTypeInfo[]): void {
      types = new NodeTypes(list);
    },
    validate(doc: unknown): Issue[] {
      return validateDocument(doc, types);
    },
  };
}
export type Validator = ReturnType<typeof createValidator>;
