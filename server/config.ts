/**
 * Server configuration: defaults, then an optional JSON file (`CASTGRAPH_CONFIG`), then environment
 * variables. Validated with zod so a typo names the field. Secrets live only here: they reach nodes as
 * engine `config` and are never returned, stored or logged.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { formatPath } from '../runtime/graph/document.ts';
import { dataPaths } from '../runtime/paths.ts';
import { MIN_SECRET_LENGTH } from './secrets.ts';

export const DEFAULT_PORT = 5177;

export const ServerConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  /** 0 picks a free port (tests). */
  port: z.int().min(0).max(65535).default(DEFAULT_PORT),
  dataDir: z.string().min(1),
  /** Bearer token every API call must carry; required when `host` is not a loopback address. */
  token: z.string().min(16, 'a token of at least 16 characters').optional(),
  maxBodyBytes: z.int().min(1024).default(5 * 1024 * 1024),
  maxUploadBytes: z.int().min(1024).default(1024 * 1024 * 1024),
  /** Thumbnails of images larger than this (width × height) are refused (413) rather than decoded. */
  thumbnailMaxPixels: z.int().min(1).default(64_000_000),
  /** Lifetime of the URL keys browsers sign artifact and model URLs with (GET /api/url-key). */
  signedUrlTtlS: z.int().min(60).max(7 * 24 * 3600).default(3600),
  /** Origins allowed by CORS (exact matches, e.g. `https://studio.example.com`); empty = closed. */
  corsOrigins: z.array(z.string().url()).default([]),
  /** Runs executing at the same time; the rest wait in the queue. */
  runConcurrency: z.int().min(1).max(64).default(4),
  /** Queued runs beyond this are refused with 429, so a flood cannot exhaust memory. */
  maxQueuedRuns: z.int().min(1).default(10_000),
  /** Finished runs kept whole in memory (most recently used); older ones are read from disk when asked for. */
  maxRunsInMemory: z.int().min(1).default(1000),
  /** How long an idempotency key answers with its first run. */
  idempotencyTtlMs: z.int().min(1000).default(24 * 60 * 60 * 1000),
  webhookSecret: z.string().min(16, 'a webhook secret of at least 16 characters').optional(),
  webhookAttempts: z.int().min(1).max(20).default(6),
  webhookBackoffMs: z.int().min(1).default(1000),
  webhookTimeoutMs: z.int().min(100).default(10_000),
  /** Let webhooks reach loopback, private, link-local and ULA addresses (a receiver on this machine or LAN). Off: no SSRF into the server's network. */
  webhookAllowPrivate: z.boolean().default(false),
  /** Provider keys and other secrets, handed to nodes as `ctx.config`. */
  secrets: z.record(z.string(), z.string().min(MIN_SECRET_LENGTH, `a secret of at least ${MIN_SECRET_LENGTH} characters (shorter ones cannot be masked in logs and records)`)).default({}),
  /** Face models: what nodes load and what the editor's in-browser preview downloads (the CLI's `castgraph models` folder). */
  modelsDir: z.string().min(1).optional(),
  /** Extra folders of node types (`<dir>/<family.name>/index.ts`), loaded beside `nodes/`. */
  nodeDirs: z.array(z.string()).default([]),
  /** Serve (and build when stale) the editor. */
  editor: z.boolean().default(true),
});

export type ServerConfig = z.output<typeof ServerConfigSchema>;
export type ServerConfigInput = z.input<typeof ServerConfigSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const list = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const int = (s: string): number => (/^-?\d+$/.test(s.trim()) ? Number(s) : Number.NaN);
const bool = (s: string): boolean | string => (/^(1|true|yes|on)$/i.test(s) ? true : /^(0|false|no|off)$/i.test(s) ? false : s);

/** Environment variable → config field, with how its text becomes a value. */
const ENV: Record<string, [keyof ServerConfig, (s: string) => unknown]> = {
  CASTGRAPH_HOST: ['host', (s) => s],
  CASTGRAPH_PORT: ['port', int],
  CASTGRAPH_DATA: ['dataDir', (s) => s],
  CASTGRAPH_TOKEN: ['token', (s) => s],
  CASTGRAPH_MAX_BODY_BYTES: ['maxBodyBytes', int],
  CASTGRAPH_MAX_UPLOAD_BYTES: ['maxUploadBytes', int],
  CASTGRAPH_THUMBNAIL_MAX_PIXELS: ['thumbnailMaxPixels', int],
  CASTGRAPH_CORS_ORIGINS: ['corsOrigins', list],
  CASTGRAPH_RUN_CONCURRENCY: ['runConcurrency', int],
  CASTGRAPH_MAX_QUEUED_RUNS: ['maxQueuedRuns', int],
  CASTGRAPH_MAX_RUNS_IN_MEMORY: ['maxRunsInMemory', int],
  CASTGRAPH_IDEMPOTENCY_TTL_MS: ['idempotencyTtlMs', int],
  CASTGRAPH_WEBHOOK_SECRET: ['webhookSecret', (s) => s],
  CASTGRAPH_WEBHOOK_ATTEMPTS: ['webhookAttempts', int],
  CASTGRAPH_WEBHOOK_BACKOFF_MS: ['webhookBackoffMs', int],
  CASTGRAPH_WEBHOOK_TIMEOUT_MS: ['webhookTimeoutMs', int],
  CASTGRAPH_WEBHOOK_ALLOW_PRIVATE: ['webhookAllowPrivate', bool],
  CASTGRAPH_NODE_DIRS: ['nodeDirs', list],
  CASTGRAPH_MODELS_DIR: ['modelsDir', (s) => s],
  CASTGRAPH_EDITOR: ['editor', bool],
};
const SECRET_PREFIX = 'CASTGRAPH_SECRET_';

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Builds the configuration from a file and the environment; throws ConfigError naming the bad field. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  let fromFile: Record<string, unknown> = {};
  if (env.CASTGRAPH_CONFIG) {
    const file = resolve(cwd, env.CASTGRAPH_CONFIG);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read the config file ${file} (CASTGRAPH_CONFIG): ${(err as Error).message}`);
    }
    try {
      fromFile = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`the config file ${file} is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) throw new ConfigError(`the config file ${file} must hold a JSON object`);
  }
  const merged: Record<string, unknown> = { ...fromFile };
  for (const [name, [field, convert]] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== '') merged[field] = convert(v);
  }
  const secrets = { ...((merged.secrets as Record<string, string> | undefined) ?? {}) };
  for (const [name, v] of Object.entries(env)) if (name.startsWith(SECRET_PREFIX) && v) secrets[name.slice(SECRET_PREFIX.length)] = v;
  merged.secrets = secrets;
  // The CLI's rule (runtime/paths.ts), so `castgraph run` and the server share one artifact store and cache.
  merged.dataDir = merged.dataDir === undefined ? dataPaths({}, cwd).root : resolve(cwd, String(merged.dataDir));
  return parseConfig(merged, cwd);
}

export function parseConfig(input: unknown, cwd = process.cwd()): ServerConfig {
  const r = ServerConfigSchema.safeParse(input);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${formatPath(i.path)}: ${i.message}`);
    throw new ConfigError(`invalid server configuration:\n${lines.join('\n')}`);
  }
  const config = r.data;
  if (!isAbsolute(config.dataDir)) config.dataDir = resolve(cwd, config.dataDir);
  config.nodeDirs = config.nodeDirs.map((d) => resolve(cwd, d));
  if (config.modelsDir) config.modelsDir = resolve(cwd, config.modelsDir);
  if (!isLoopback(config.host) && !config.token)
    throw new ConfigError(`host ${config.host} is not a loopback address, so a token is required: set CASTGRAPH_TOKEN (at least 16 characters)`);
  return config;
}
