/**
 * `npm start` serves the built editor. It is (re)built with Vite's programmatic `build()` when `dist/`
 * is missing or older than any file under `editor/`, `vite.config.ts` or the Vite root's `index.html`.
 * Without a Vite config, or when the build fails, the API still starts and `/` says why.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type EditorState = { dir: string } | { missing: string };

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const d of readdirSync(path, { withFileTypes: true })) {
    if (d.name === 'node_modules' || d.name.startsWith('.')) continue;
    max = Math.max(max, newest(join(path, d.name)));
  }
  return max;
}

export async function prepareEditor(root: string, log: (msg: string) => void): Promise<EditorState> {
  const configFile = join(root, 'vite.config.ts');
  if (!existsSync(configFile)) return { missing: 'there is no vite.config.ts, so there is no editor to build yet' };
  const vite = await import('vite');
  // Vite resolves `root` (and a config's relative paths) against the working folder: build from the repository.
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const resolved = await vite.resolveConfig({ configFile, logLevel: 'warn' }, 'build', 'production', 'production');
    const outDir = resolve(resolved.root, resolved.build.outDir);
    const built = join(outDir, 'index.html');
    const sources = Math.max(newest(join(root, 'editor')), newest(configFile), newest(join(resolved.root, 'index.html')));
    if (!existsSync(built) || statSync(built).mtimeMs < sources) {
      log(`building the editor into ${outDir} …`);
      const t0 = Date.now();
      await vite.build({ configFile, logLevel: 'warn' });
      log(`editor built in ${Date.now() - t0} ms`);
    }
    if (!existsSync(built)) return { missing: `the editor build produced no ${built}` };
    return { dir: outDir };
  } catch (err) {
    const message = (err as Error).message.replace(/\x1b\[[0-9;]*m/g, '').trim();
    log(`the editor failed to build: ${message}`);
    return { missing: `the editor failed to build: ${message}` };
  } finally {
    process.chdir(cwd);
  }
}

export function notBuiltPage(reason: string): string {
  const esc = reason.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><meta charset="utf-8"><title>Castgraph</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>Castgraph</h1><p>The editor is not built: ${esc}.</p>
<p>The API is running: see <a href="/api/openapi.json">/api/openapi.json</a> and <a href="/api/node-types">/api/node-types</a>.</p>`;
}
