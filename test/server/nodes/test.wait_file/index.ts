/**
 * Test-only node: waits until a file exists, then outputs `value`. Tests hold a run mid-flight (to
 * cancel it, kill the server under it, or watch the queue) and release it by creating the file.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineNode } from '../../../../runtime/graph/node-definition.ts';

export default defineNode({
  type: 'test.wait_file',
  version: 1,
  title: 'Wait for a file',
  category: 'test',
  description: 'Waits until `path` exists, then outputs `value`.',
  inputs: { path: { type: 'text' }, value: { type: 'text', default: 'done' } },
  outputs: { value: { type: 'text' } },
  async run(ctx, { path, value }: { path: string; value: string }) {
    while (!existsSync(path)) await sleep(15, undefined, { signal: ctx.signal });
    return { value };
  },
});
