/**
 * The Castgraph server: one HTTP port for the API, the live event WebSocket and the editor, running
 * graphs on an in-process engine (embedded mode: no Redis, no GPU, no keys).
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { Engine } from '../runtime/engine/index.ts';
import type { NodeRegistry } from '../runtime/graph/registry.ts';
import { ArtifactStore } from '../runtime/store/artifact-store.ts';
import { ArtifactService } from './artifacts.ts';
import { isLoopback, type ServerConfig } from './config.ts';
import { notBuiltPage, type EditorState } from './editor-build.ts';
import { ApiError, errorHandler } from './http/errors.ts';
import { checkRequest, cors, guard, originAllowed, requireJson, securityHeaders, type SecurityOptions } from './http/security.ts';
import { UrlSigner } from './http/signed-urls.ts';
import { GraphLibrary } from './library/store.ts';
import { TemplateCatalog } from './library/templates.ts';
import { describeRegistry } from '../runtime/api/node-types.ts';
import { buildOpenApi } from './openapi.ts';
import { artifactRoutes } from './routes/artifacts.ts';
import { libraryRoutes } from './routes/library.ts';
import { runRoutes } from './routes/runs.ts';
import { runOutputRoutes } from './routes/run-outputs.ts';
import { modelRoutes } from './routes/models.ts';
import { ModelManager } from '../runtime/models/index.ts';
import { RunManager } from './runs/manager.ts';
import { RunRecords } from './runs/records.ts';
import { secretMasker } from './secrets.ts';
import { WebhookSender } from './webhooks.ts';
import { EventHub } from './ws-hub.ts';

export const REPO_ROOT = join(import.meta.dirname, '..');

export interface ServerOptions {
  config: ServerConfig;
  registry: NodeRegistry;
  /** Where the built editor is, or why there is none. */
  editor?: EditorState;
  templatesDir?: string;
  /** Server log (stderr by default); secrets are masked before it sees a line. */
  log?: (line: string) => void;
}

export interface CastgraphServer {
  readonly url: string;
  readonly http: Server;
  readonly runs: RunManager;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<CastgraphServer> {
  const { config } = options;
  const mask = secretMasker(config.secrets);
  const write = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const log = (msg: string, err?: unknown) => write(mask(`[castgraph] ${msg}${err ? `: ${(err as Error)?.stack ?? String(err)}` : ''}`));

  const store = new ArtifactStore(join(config.dataDir, 'artifacts'));
  const engine = new Engine({
    registry: options.registry,
    store,
    cacheDir: join(config.dataDir, 'cache'),
    // Nodes read both from ctx.config; only the secrets are masked in what runs report.
    secrets: config.secrets,
    config: config.modelsDir ? { modelsDir: config.modelsDir } : {},
    workRoot: join(config.dataDir, 'work'),
    // A listener that throws is the record writer or the event fan-out: say so in the server log.
    onListenerError: (err, event) => log(`run ${event.runId}: recording or publishing ${event.type} failed`, err),
  });
  const library = await GraphLibrary.open(config.dataDir);
  const templates = new TemplateCatalog(options.templatesDir ?? join(REPO_ROOT, 'graphs'));
  const artifacts = new ArtifactService(store, config.dataDir, { thumbnailMaxPixels: config.thumbnailMaxPixels });
  const records = new RunRecords(config.dataDir, mask, { maxResident: config.maxRunsInMemory });
  const webhooks = config.webhookSecret
    ? new WebhookSender({
        secret: config.webhookSecret,
        attempts: config.webhookAttempts,
        backoffMs: config.webhookBackoffMs,
        timeoutMs: config.webhookTimeoutMs,
        allowPrivate: config.webhookAllowPrivate,
      })
    : undefined;

  const signer = new UrlSigner(config.token, config.signedUrlTtlS);
  const security: SecurityOptions = { token: config.token, corsOrigins: config.corsOrigins, loopback: isLoopback(config.host), signer };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const http = createHttpServer(app);
  const hub = new EventHub(records, http, (req) => checkRequest(req, security, true) ?? (originAllowed(req, security) ? undefined : new ApiError('forbidden', 'this origin may not open event streams')));
  const runs = new RunManager({
    engine,
    records,
    library,
    artifacts,
    webhooks,
    concurrency: config.runConcurrency,
    maxQueued: config.maxQueuedRuns,
    idempotencyTtlMs: config.idempotencyTtlMs,
    queueStateFile: join(config.dataDir, 'queue.json'),
    publish: (runId, item) => hub.publish(runId, item),
    log,
  });
  const recovered = runs.recover();
  if (recovered.interrupted || recovered.requeued) log(`recovered run history: ${recovered.interrupted} interrupted, ${recovered.requeued} requeued`);

  const nodeTypes = { items: describeRegistry(options.registry) };
  const openapi = buildOpenApi(process.env.npm_package_version ?? '0.1.0');

  app.use(securityHeaders(), cors(security));
  app.use('/api', guard(security));
  app.use('/api', (req, res, next) => (req.method === 'POST' && req.path === '/artifacts' ? next() : requireJson(req, res, next)));
  app.use('/api', express.json({ limit: config.maxBodyBytes }));
  app.get('/api/openapi.json', (_req, res) => void res.json(openapi));
  app.get('/api/node-types', (_req, res) => void res.json(nodeTypes));
  app.get('/api/health', (_req, res) => void res.json({ ok: true, queue: runs.queueState() }));
  app.get('/api/url-key', (_req, res) => void res.set('Cache-Control', 'no-store').json(signer.issueKey()));
  const models = new ModelManager(config.modelsDir);
  app.use('/api', libraryRoutes(library, templates), runRoutes(runs, records), runOutputRoutes(runs, records, artifacts), artifactRoutes(artifacts, config.maxUploadBytes, signer), modelRoutes(models));
  app.use('/api', (req, _res, next) => next(new ApiError('not_found', `no API route ${req.method} ${req.path}`)));

  const editor = options.editor ?? { missing: 'the editor is disabled in this configuration' };
  // Hashed assets are immutable; index.html must be revalidated so a rebuilt editor is picked up.
  const noCacheHtml = (res: express.Response, path: string) => path.endsWith('.html') && res.set('Cache-Control', 'no-cache');
  if ('dir' in editor) app.use(express.static(editor.dir, { index: 'index.html', maxAge: '1y', immutable: true, setHeaders: noCacheHtml }));
  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next(new ApiError('not_found', `no route ${req.method} ${req.path}`));
    if ('dir' in editor) res.set('Cache-Control', 'no-cache').sendFile(join(editor.dir, 'index.html'));
    else res.type('html').send(notBuiltPage(editor.missing));
  });
  app.use(errorHandler(log));

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const host = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    http,
    runs,
    close: () =>
      (closing ??= (async () => {
        hub.close();
        await runs.close();
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
      })()),
  };
}
