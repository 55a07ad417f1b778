import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNodeContext } from '../support/node-context.ts';
import text from '../../nodes/value.text/index.ts';
import int from '../../nodes/value.int/index.ts';
import float from '../../nodes/value.float/index.ts';
import bool from '../../nodes/value.bool/index.ts';
import seed from '../../nodes/value.seed/index.ts';
import json from '../../nodes/value.json/index.ts';
import { NodeError } from '../../runtime/graph/node-definition.ts';

const { ctx, cleanup } = makeNodeContext();
test.after(cleanup);

test('constants pass good values through unchanged', async () => {
  assert.deepEqual(await text.run(ctx, { value: 'line 1\nline 2 ' }), { value: 'line 1\nline 2 ' });
  assert.deepEqual(await int.run(ctx, { value: -42 }), { value: -42 });
  assert.deepEqual(await float.run(ctx, { value: 0.25 }), { value: 0.25 });
  assert.deepEqual(await bool.run(ctx, { value: false }), { value: false });
  assert.deepEqual(await seed.run(ctx, { value: 123456789 }), { value: 123456789 });
  assert.deepEqual(await json.run(ctx, { value: { a: [1, null] } }), { value: { a: [1, null] } });
  assert.deepEqual(await json.run(ctx, { value: null }), { value: null });
});

test('constants refuse values of the wrong kind, naming the input and what was expected', async () => {
  const cases: [typeof text, unknown, RegExp][] = [
    [text, 3, /inputs\.value: expected text, got number 3/],
    [int, 1.5, /inputs\.value: expected a whole number/],
    [int, '7', /got text "7"/],
    [float, Number.NaN, /expected a finite number/],
    [bool, 'true', /expected true or false/],
    [seed, -1, /engine resolves -1/],
    [json, undefined, /expected a JSON value, got nothing/],
  ];
  for (const [def, value, message] of cases) {
    await assert.rejects(async () => def.run(ctx, { value }), (err: unknown) => err instanceof NodeError && message.test(err.message), `${def.type} with ${String(value)}`);
  }
});

test('the seed constant lets -1 through validation (random) and defaults to it', () => {
  assert.equal(seed.inputs.value!.default, -1);
  assert.equal(seed.inputs.value!.min, -1);
  assert.equal(seed.inputs.value!.type, 'seed');
});
