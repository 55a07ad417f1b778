/** The server's node registry: every type in `nodes/`, plus those in configured extra folders. */
import { loadRegistry, loadRegistryFrom } from '../runtime/node-loader.ts';
import { NodeRegistry } from '../runtime/graph/registry.ts';

export async function serverRegistry(extraDirs: string[]): Promise<NodeRegistry> {
  const base = await loadRegistry();
  if (extraDirs.length === 0) return base;
  const extra = await Promise.all(extraDirs.map((d) => loadRegistryFrom(d)));
  return new NodeRegistry([...base.list(), ...extra.flatMap((r) => r.list())]);
}
