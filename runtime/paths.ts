/**
 * Where Castgraph keeps its data on this machine: `$CASTGRAPH_DATA`, else `.castgraph/` in the working
 * folder. The CLI and the server resolve it here so both share one artifact store and one cache.
 */
import { join, resolve } from 'node:path';

export interface DataPaths {
  /** The data folder itself. */
  root: string;
  /** The content-addressed artifact store (ArtifactStore root). */
  artifacts: string;
  /** The persistent cache index (Engine `cacheDir`). */
  cache: string;
}

export function dataPaths(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): DataPaths {
  const root = resolve(cwd, env.CASTGRAPH_DATA || '.castgraph');
  return { root, artifacts: join(root, 'artifacts'), cache: join(root, 'cache') };
}
