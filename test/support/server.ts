/**
 * Castgraph servers for tests, over real HTTP and WebSocket:
 * - `startTestServer`: in-process on a free port, with a fresh data folder and any node registry;
 * - `spawnServer`: a real `server/main.ts` process (as `npm start` runs it), stopped or killed by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { parseConfig, type ServerConfigInput } from '../../server/config.ts';
import { startServer, REPO_ROOT, type CastgraphServer } from '../../server/app.ts';
import { serverRegistry } from '../../server/registry.ts';
import type { NodeRegistry } from '../../runtime/graph/registry.ts';
import { CastgraphClient } from '../../runtime/client/index.ts';
import type { WebSocketConstructor } from '../../runtime/client/index.ts';

/** Node types only tests use (`test.wait_file`, `test.secret_echo`), beside everything in nodes/. */
export const TEST_NODES_DIR = join(REPO_ROOT, 'test', 'server', 'nodes');
export const NodeWebSocket = WebSocket as unknown as WebSocketConstructor;

const tempDirs: string[] = [];
process.once('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the system temp folder, removed when the test process exits. */
export function tempDir(prefix = 'castgraph-server-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

let sharedRegistry: Promise<NodeRegistry> | undefined;
export function testRegistry(): Promise<NodeRegistry> {
  sharedRegistry ??= serverRegistry([TEST_NODES_DIR]);
  return sharedRegistry;
}

export interface TestServer {
  server: CastgraphServer;
  url: string;
  client: CastgraphClient;
  dataDir: string;
  logs: string[];
  close(): Promise<void>;
}

export async function startTestServer(
  config: Partial<ServerConfigInput> = {},
  options: { registry?: NodeRegistry; templatesDir?: string; dataDir?: string } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const parsed = parseConfig({ port: 0, editor: false, ...config, dataDir });
  const logs: string[] = [];
  const server = await startServer({
    config: parsed,
    registry: options.registry ?? (await testRegistry()),
    templatesDir: options.templatesDir,
    log: (line) => logs.push(line),
  });
  return {
    server,
    url: server.url,
    client: new CastgraphClient({ baseUrl: server.url, token: parsed.token }),
    dataDir,
    logs,
    async close() {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SpawnedServer {
  url: string;
  pid: number;
  child: ChildProcess;
  output: () => string;
  /** SIGKILL: no chance to record anything more (a crash). */
  kill(): Promise<void>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
}

/** Starts `node --import tsx server/main.ts` and resolves with the URL it prints; rejects if it exits first. */
export function spawnServer(env: Record<string, string>, timeoutMs = 30_000): Promise<SpawnedServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'server', 'main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, CASTGRAPH_PORT: '0', CASTGRAPH_EDITOR: '0', CASTGRAPH_NODE_DIRS: TEST_NODES_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`the server exited with code ${code}:\n${out}`), { code, output: out }));
    });
    child.stdout!.on('data', () => {
      const m = /Castgraph is running at (http:\/\/\S+?)\/?\n/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1]!,
        pid: child.pid!,
        child,
        output: () => out,
        async kill() {
          process.kill(child.pid!, 'SIGKILL');
          await exited;
        },
        async stop() {
          process.kill(child.pid!, 'SIGTERM');
          return exited;
        },
      });
    });
  });
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function until<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type NodeSpec = { id: string; type: string; inputs?: Record<string, unknown>; typeVersion?: number };

/** A graph document from a few nodes and wires (`from: 'a.value'`), outputs named `name: 'node.port'`. */
export function graph(
  name: string,
  nodes: NodeSpec[],
  options: { edges?: Array<[string, string]>; outputs?: Record<string, string>; inputs?: Record<string, string>; tags?: string[] } = {},
): Record<string, unknown> & { name: string } {
  const ref = (s: string) => {
    const i = s.lastIndexOf('.');
    return { node: s.slice(0, i), port: s.slice(i + 1) };
  };
  return {
    format: 'castgraph.graph',
    version: 1,
    id: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    name,
    nodes: nodes.map((n, i) => ({ id: n.id, type: n.type, typeVersion: n.typeVersion ?? 1, inputs: n.inputs ?? {}, position: { x: i * 200, y: 0 } })),
    edges: (options.edges ?? []).map(([from, to], i) => ({ id: `e${i}`, from: ref(from), to: ref(to) })),
    inputs: Object.entries(options.inputs ?? {}).map(([n, to]) => ({ name: n, ...ref(to) })),
    outputs: Object.entries(options.outputs ?? {}).map(([n, from]) => ({ name: n, ...ref(from) })),
    groups: [],
    notes: [],
    meta: options.tags ? { tags: options.tags } : {},
  };
}

/** Raw HTTP for the error cases a typed client cannot produce (malformed JSON, wrong types, odd headers). */
export async function raw(url: string, method: string, path: string, init: { body?: string | Uint8Array; headers?: Record<string, string> } = {}) {
  const res = await fetch(url + path, { method, body: init.body as BodyInit | undefined, headers: init.headers, redirect: 'manual' });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
