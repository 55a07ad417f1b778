/** Test-only node: throws from a timer after it returned (a buggy plugin), with a secret in the message, to prove the server survives and masks it. */
import { defineNode } from '../../../../runtime/graph/node-definition.ts';

export default defineNode({
  type: 'test.stray_throw',
  version: 1,
  title: 'Stray throw',
  category: 'test',
  description: 'Returns normally, then throws from a timer an error naming the configured secret `name`.',
  cache: 'volatile',
  inputs: { name: { type: 'text', default: '' } },
  outputs: { ok: { type: 'bool' } },
  run(ctx, { name }: { name: string }) {
    const secret = String(ctx.config[name] ?? '');
    setTimeout(() => {
      throw new Error(`a stray throw from a buggy node (key ${secret})`);
    }, 1);
    return { ok: true };
  },
});
