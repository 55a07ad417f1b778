/**
 * `npm start`: reads the configuration (env and `CASTGRAPH_CONFIG`), builds the editor if it is stale,
 * and serves the studio and the API on one port. SIGINT/SIGTERM stop it cleanly: runs in flight are
 * recorded as interrupted and can be resumed after the next start.
 */
import { ConfigError, loadConfig, type ServerConfig } from './config.ts';
import { startServer, REPO_ROOT } from './app.ts';
import { prepareEditor } from './editor-build.ts';
import { serverRegistry } from './registry.ts';
import { secretMasker } from './secrets.ts';

const say = (line: string) => process.stderr.write(`[castgraph] ${line}\n`);

let config: ServerConfig;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  say(err.message);
  process.exit(2);
}

const registry = await serverRegistry(config.nodeDirs);
const editor = config.editor ? await prepareEditor(REPO_ROOT, say) : undefined;
const server = await startServer({ config, registry, editor }).catch((err: NodeJS.ErrnoException) => {
  if (err.code === 'EADDRINUSE') say(`port ${config.port} on ${config.host} is already in use: stop what holds it or set CASTGRAPH_PORT`);
  else if (err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') say(`cannot listen on ${config.host}:${config.port} (${err.code}): check CASTGRAPH_HOST and CASTGRAPH_PORT`);
  else throw err;
  process.exit(2);
});
if (editor && 'missing' in editor) say(`editor not served: ${editor.missing}`);
say(`data in ${config.dataDir}; ${registry.list().length} node types; ${config.token ? 'token required' : 'no token (loopback only)'}`);
// The one line on stdout: scripts and tests read the URL from it.
process.stdout.write(`Castgraph is running at ${server.url}/\n`);

// Node code runs in this process: a plugin's forgotten promise or a throw from its timer must not take
// every other run down with it. Last resort only: log (secrets masked, an error may echo a provider key) and keep serving.
const mask = secretMasker(config.secrets);
const stray = (what: string) => (reason: unknown) => say(mask(`${what} (ignored): ${reason instanceof Error ? reason.message : String(reason)}`));
process.on('unhandledRejection', stray('unhandled rejection'));
process.on('uncaughtException', stray('uncaught exception'));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    say(`${signal}: stopping (runs in flight are recorded as interrupted)`);
    void server.close().then(() => process.exit(0));
  });
}
