/** Reading a graph file named on the command line, and the `node.port=value` flags that edit it. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from './command.ts';

/** The file's text; a missing or unreadable file is a usage error (exit 2), bad JSON is the validator's to report. */
export async function readGraphFile(file: string | undefined, cwd: string): Promise<string> {
  if (!file) throw new UsageError('name a graph file, e.g. graphs/hello-image.json');
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** A flag value: JSON when it parses (`3`, `true`, `[1,2]`, `"quoted"`), else the text itself. */
export function parseFlagValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Splits `node.port=value`. Node ids may contain dots but port names cannot, so the port is
 * everything after the last dot before `=`.
 */
export function splitAssignment(flag: string, raw: string): { node: string; port: string; value: string } {
  const eq = raw.indexOf('=');
  const target = eq < 0 ? raw : raw.slice(0, eq);
  const dot = target.lastIndexOf('.');
  if (eq < 0 || dot <= 0 || dot === target.length - 1) throw new UsageError(`${flag} ${raw}: expected node.port=value`);
  return { node: target.slice(0, dot), port: target.slice(dot + 1), value: raw.slice(eq + 1) };
}

/** Splits `name=value` (graph inputs). */
export function splitNamed(flag: string, raw: string): { name: string; value: string } {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag} ${raw}: expected name=value`);
  return { name: raw.slice(0, eq), value: raw.slice(eq + 1) };
}

/**
 * Applies `--set node.input=value` flags to the raw document before it is loaded, so the values go
 * through the same validation as values saved in the file.
 */
export function applySets(json: unknown, sets: string[]): unknown {
  if (sets.length === 0) return json;
  const nodes = (json as { nodes?: unknown })?.nodes;
  if (!Array.isArray(nodes)) throw new UsageError('--set: the document has no `nodes` list to set values on');
  for (const raw of sets) {
    const { node, port, value } = splitAssignment('--set', raw);
    const target = nodes.find((n): n is { id: string; inputs?: Record<string, unknown> } => (n as { id?: unknown })?.id === node);
    if (!target) throw new UsageError(`--set ${raw}: the graph has no node "${node}"`);
    target.inputs = { ...(target.inputs ?? {}), [port]: parseFlagValue(value) };
  }
  return json;
}
