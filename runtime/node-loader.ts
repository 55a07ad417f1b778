/**
 * Builds the node registry from `nodes/`: every folder named like a node type id (`image.resize`)
 * holds an `index.ts` whose default export is that type's definition. Adding a node type is adding a folder.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NodeRegistry } from './graph/registry.ts';
import type { NodeDefinition } from './graph/node-definition.ts';

export const NODES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'nodes');
const TYPE_FOLDER = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

let shared: Promise<NodeRegistry> | undefined;

/** The registry of every node type in `nodes/`, loaded once per process. */
export function loadRegistry(): Promise<NodeRegistry> {
  shared ??= loadRegistryFrom(NODES_DIR);
  return shared;
}

export async function loadRegistryFrom(dir: string): Promise<NodeRegistry> {
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && TYPE_FOLDER.test(d.name) && existsSync(join(dir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
  const defs = await Promise.all(
    folders.map(async (name) => {
      const mod = (await import(pathToFileURL(join(dir, name, 'index.ts')).href)) as { default?: NodeDefinition };
      const def = mod.default;
      if (!def || typeof def.run !== 'function') throw new Error(`nodes/${name}/index.ts must default-export a defineNode(...) definition`);
      if (def.type !== name) throw new Error(`nodes/${name}/index.ts defines type "${def.type}"; the folder must be named after the type`);
      return def;
    }),
  );
  return new NodeRegistry(defs);
}
