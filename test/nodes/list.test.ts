import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNodeContext } from '../support/node-context.ts';
import make from '../../nodes/list.make/index.ts';
import get from '../../nodes/list.get/index.ts';
import length from '../../nodes/list.length/index.ts';
import slice from '../../nodes/list.slice/index.ts';
import concat from '../../nodes/list.concat/index.ts';
import range from '../../nodes/list.range/index.ts';

const { ctx, cleanup } = makeNodeContext();
test.after(cleanup);

test('list.make copies the collected items in order', async () => {
  const items = ['a', 2, { c: 3 }];
  const out = await make.run(ctx, { items });
  assert.deepEqual(out, { list: ['a', 2, { c: 3 }] });
  assert.notEqual(out.list, items, 'a new array, so a later node cannot mutate the upstream value');
  assert.equal(make.inputs.items!.multi, true);
});

test('list.get reads by position, negative from the end, and names index when out of range', async () => {
  assert.deepEqual(await get.run(ctx, { list: [10, 20, 30], index: 1 }), { item: 20 });
  assert.deepEqual(await get.run(ctx, { list: [10, 20, 30], index: -1 }), { item: 30 });
  await assert.rejects(async () => get.run(ctx, { list: [10, 20, 30], index: 3 }), /inputs\.index: 3 is outside the list, which has 3 items \(valid: -3\.\.2\)/);
  await assert.rejects(async () => get.run(ctx, { list: [], index: 0 }), /has 0 items \(valid: none\)/);
  await assert.rejects(async () => get.run(ctx, { list: 'abc', index: 0 }), /inputs\.list: expected a list, got text "abc"/);
});

test('list.length counts items', async () => {
  assert.deepEqual(await length.run(ctx, { list: [] }), { length: 0 });
  assert.deepEqual(await length.run(ctx, { list: [1, [2, 3]] }), { length: 2 });
});

test('list.slice follows Array.slice, with end optional', async () => {
  const list = [0, 1, 2, 3, 4];
  assert.deepEqual(await slice.run(ctx, { list, start: 1, end: 3 }), { list: [1, 2] });
  assert.deepEqual(await slice.run(ctx, { list, start: -2 }), { list: [3, 4] });
  assert.deepEqual(await slice.run(ctx, { list, start: 9 }), { list: [] });
  await assert.rejects(async () => slice.run(ctx, { list, start: 0.5 }), /inputs\.start: expected a whole number/);
});

test('list.concat flattens exactly one level and keeps single values', async () => {
  assert.deepEqual(await concat.run(ctx, { lists: [[1, 2], [], [[3]], 'x'] }), { list: [1, 2, [3], 'x'] });
});

test('list.range counts up and down, and refuses a zero step or a huge range', async () => {
  assert.deepEqual(await range.run(ctx, { start: 0, stop: 5, step: 2 }), { list: [0, 2, 4] });
  assert.deepEqual(await range.run(ctx, { start: 3, stop: 0, step: -1 }), { list: [3, 2, 1] });
  assert.deepEqual(await range.run(ctx, { start: 5, stop: 0, step: 1 }), { list: [] });
  await assert.rejects(async () => range.run(ctx, { start: 0, stop: 5, step: 0 }), /inputs\.step: must not be 0/);
  await assert.rejects(async () => range.run(ctx, { start: 0, stop: 1e9, step: 1 }), /inputs\.stop: the range would have 1000000000 items/);
});
