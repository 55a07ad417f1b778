/**
 * Editor end-to-end harness: builds the editor with Vite, starts the real Castgraph server
 * in-process (temporary data dir, the repo's node types plus the test node types in
 * test/editor/fixtures/nodes, templates from test/editor/fixtures/templates) and opens headless
 * Debian Chromium on it. Screenshots go to a temp folder printed by each test.
 */
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { startServer, type CastgraphServer } from '../../../server/app.ts';
import { ServerConfigSchema } from '../../../server/config.ts';
import { serverRegistry } from '../../../server/registry.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
export const FIXTURES = resolve(import.meta.dirname, '../fixtures');
export const SHOTS = join(tmpdir(), 'castgraph-editor-shots');
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

let built: Promise<string> | undefined;

/** One Vite build per test process. */
export function buildEditor(): Promise<string> {
  built ??= build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' }).then(() => join(ROOT, 'dist'));
  return built;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface Studio {
  server: CastgraphServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  url: string;
  errors: string[];
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openStudio(options: { token?: string; path?: string } = {}): Promise<Studio> {
  const dist = await buildEditor();
  const dataDir = mkdtempSync(join(tmpdir(), 'castgraph-editor-'));
  const config = ServerConfigSchema.parse({ dataDir, port: 0, nodeDirs: [join(FIXTURES, 'nodes')], ...(options.token ? { token: options.token } : {}) });
  const registry = await serverRegistry(config.nodeDirs);
  const server = await startServer({ config, registry, editor: { dir: dist }, templatesDir: join(FIXTURES, 'templates'), log: () => {} });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(server.url + (options.path ?? '/'));
  await page.waitForSelector(options.path ? 'body' : '.react-flow');
  mkdirSync(SHOTS, { recursive: true });
  return {
    server, browser, context, page, url: server.url, errors,
    async shot(name) {
      const path = join(SHOTS, `${name}.png`);
      await page.screenshot({ path });
      console.log(`screenshot: ${path}`);
      return path;
    },
    async close() {
      await browser.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The editor's document, read through the handle main.tsx exposes for tests. */
export function doc(page: Page): Promise<{ nodes: { id: string; type: string; inputs: Record<string, unknown>; position: { x: number; y: number }; graph?: unknown }[]; edges: { from: { node: string; port: string }; to: { node: string; port: string } }[]; name: string; id: string }> {
  return page.evaluate(() => (globalThis as unknown as { castgraph: { editor: { doc: unknown } } }).castgraph.editor.doc) as never;
}

/** Waits until a JS condition over the editor's document `d` holds (edits like paste are async). */
export async function untilDoc(page: Page, condition: string, timeout = 5000): Promise<void> {
  await page.waitForFunction(`(() => { const d = globalThis.castgraph.editor.doc; return ${condition}; })()`, undefined, { timeout });
}

/** Waits until the canvas viewport stops moving (fit-view after opening a graph), so clicks land. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(`new Promise((resolve) => {
    const el = document.querySelector('.react-flow__viewport');
    const before = el && el.style.transform;
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(!!el && el.style.transform === before)));
  })`);
}

/** Opens the add-node search by double-clicking the canvas at (x, y) and picks the first hit for `query`. */
export async function addNodeBySearch(page: Page, query: string, at: { x: number; y: number }): Promise<void> {
  await page.mouse.dblclick(at.x, at.y);
  const input = page.getByLabel('Search node types');
  await input.fill(query);
  await input.press('Enter');
  await page.waitForSelector('.search-box', { state: 'detached' });
}

/**
 * Drags from one handle to another (or to a point) with real mouse events. The press waits for the canvas
 * to stop moving and re-rendering (a press on a handle that is being re-rendered or panned away starts no
 * wire: this made wire drops flaky right after an edit), and the wire must be seen following the pointer.
 */
export async function dragWire(page: Page, from: string, to: string | { x: number; y: number }, release = true): Promise<void> {
  await settled(page);
  const source = page.locator(from);
  await source.hover();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const a = await source.boundingBox();
  if (!a) throw new Error(`no handle ${from}`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  let target: { x: number; y: number };
  if (typeof to === 'string') {
    const b = await page.locator(to).boundingBox();
    if (!b) throw new Error(`no handle ${to}`);
    target = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  } else target = to;
  await page.mouse.move((a.x + target.x) / 2, (a.y + target.y) / 2, { steps: 5 });
  await page.locator('.react-flow__connectionline').waitFor({ timeout: 5000 });
  await page.mouse.move(target.x, target.y, { steps: 5 });
  if (release) await page.mouse.up();
}

export const handle = (node: string, port: string, side: 'source' | 'target') =>
  `.react-flow__node[data-id="${node}"] .react-flow__handle.${side}[data-handleid="${port}"]`;
