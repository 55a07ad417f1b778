import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Slots } from '../../../runtime/engine/slots.ts';

test('slots are handed out up to the limit, then first come first served', async () => {
  const slots = new Slots(2);
  assert.equal(slots.acquire(), undefined);
  assert.equal(slots.acquire(), undefined);
  assert.equal(slots.inUse, 2);
  const order: number[] = [];
  const third = slots.acquire()!.then(() => order.push(3));
  const fourth = slots.acquire()!.then(() => order.push(4));
  slots.release();
  slots.release();
  await Promise.all([third, fourth]);
  assert.deepEqual(order, [3, 4]);
  assert.equal(slots.inUse, 2);
  assert.throws(() => new Slots(0), /at least 1/);
});
