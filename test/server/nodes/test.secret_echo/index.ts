/** Test-only node: reads a provider secret from ctx.config and (wrongly) logs and outputs it, to prove the server masks it. */
import { defineNode } from '../../../../runtime/graph/node-definition.ts';

export default defineNode({
  type: 'test.secret_echo',
  version: 1,
  title: 'Leak a secret',
  category: 'test',
  description: 'Outputs and logs the configured secret named `name`.',
  cache: 'volatile',
  inputs: { name: { type: 'text' } },
  outputs: { leaked: { type: 'text' } },
  run(ctx, { name }: { name: string }) {
    const secret = String(ctx.config[name] ?? '');
    ctx.log.info(`the key is ${secret}`);
    return { leaked: `key=${secret}` };
  },
});
