import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNodeContext } from '../support/node-context.ts';
import gate from '../../nodes/flow.gate/index.ts';

const { ctx, cleanup } = makeNodeContext();
test.after(cleanup);

test('an open gate fills only `pass`, a closed one only `fail`; the other output is absent (empty)', async () => {
  const open = await gate.run(ctx, { value: { score: 0.9 }, open: true });
  assert.deepEqual(open, { pass: { score: 0.9 } });
  assert.equal('fail' in open, false);
  const closed = await gate.run(ctx, { value: 'x', open: false });
  assert.deepEqual(closed, { fail: 'x' });
  assert.equal('pass' in closed, false);
});

test('`open` must be a boolean: a truthy string is a mistake, not an open gate', async () => {
  await assert.rejects(async () => gate.run(ctx, { value: 1, open: 'false' }), /inputs\.open: expected true or false, got text "false"/);
});
