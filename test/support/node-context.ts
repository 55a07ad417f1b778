/**
 * A real RunContext for calling a node definition's `run` directly in unit tests: a real
 * ArtifactStore in a fresh temp folder, a live AbortController, and recorded progress and logs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactStore } from '../../runtime/store/artifact-store.ts';
import type { ArtifactRef, RunContext } from '../../runtime/graph/node-definition.ts';

export interface TestContext {
  ctx: RunContext;
  store: ArtifactStore;
  controller: AbortController;
  progress: { fraction: number; message?: string }[];
  logs: { level: string; message: string }[];
  previews: ArtifactRef[];
  dir: string;
  /** Removes the temp folder; call it from `after`/`t.after`. */
  cleanup(): void;
}

export function makeNodeContext(opts: { config?: Record<string, unknown>; nodePath?: string } = {}): TestContext {
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-node-'));
  const store = new ArtifactStore(join(dir, 'artifacts'));
  const controller = new AbortController();
  const progress: TestContext['progress'] = [];
  const logs: TestContext['logs'] = [];
  const previews: ArtifactRef[] = [];
  const logAt = (level: string) => (message: string) => void logs.push({ level, message });
  const ctx: RunContext = {
    signal: controller.signal,
    progress: (fraction, message) => void progress.push({ fraction, message }),
    log: { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') },
    artifacts: store,
    preview: (image) => void previews.push(image),
    runId: 'test-run',
    nodePath: opts.nodePath ?? 'node',
    attempt: 1,
    workDir: join(dir, 'work'),
    config: opts.config ?? {},
  };
  return { ctx, store, controller, progress, logs, previews, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
