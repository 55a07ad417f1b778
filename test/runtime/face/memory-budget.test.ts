import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBudget, budgetLimit, MEMORY_ENV, type Release } from '../../../runtime/face/memory-budget.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Lets every already settled promise run its callbacks, so `granted` shows what the budget has handed out. */
const settle = () => new Promise((r) => setImmediate(r));

function track(budget: MemoryBudget, granted: string[], name: string, bytes: number): Promise<Release> {
  return budget.acquire(bytes).then((release) => {
    granted.push(name);
    return release;
  });
}

test('requests that fit are granted at once, and the rest wait until bytes come back', async () => {
  const budget = new MemoryBudget(100);
  const granted: string[] = [];
  const a = track(budget, granted, 'a', 60);
  const b = track(budget, granted, 'b', 40);
  const c = track(budget, granted, 'c', 10);
  await settle();
  assert.deepEqual(granted, ['a', 'b']);
  assert.equal(budget.inUse, 100);
  (await a)();
  await settle();
  assert.deepEqual(granted, ['a', 'b', 'c']);
  assert.equal(budget.inUse, 50);
  (await b)();
  (await c)();
  assert.equal(budget.inUse, 0);
  assert.equal(budget.peak, 100);
});

test('waiters are granted in arrival order: small requests do not overtake a big one', async () => {
  const budget = new MemoryBudget(100);
  const granted: string[] = [];
  const first = track(budget, granted, 'first', 50);
  const big = track(budget, granted, 'big', 80);
  const small = track(budget, granted, 'small', 10); // would fit now, but arrived after big
  await settle();
  assert.deepEqual(granted, ['first']);
  (await first)();
  await settle();
  assert.deepEqual(granted, ['first', 'big', 'small']);
  assert.equal(budget.inUse, 90);
  (await big)();
  (await small)();
});

test('a request over the whole limit runs alone once nothing is held, and nothing joins it', async () => {
  const budget = new MemoryBudget(100);
  const granted: string[] = [];
  const small = track(budget, granted, 'small', 10);
  const huge = track(budget, granted, 'huge', 500);
  const after = track(budget, granted, 'after', 1);
  await settle();
  assert.deepEqual(granted, ['small']);
  (await small)();
  await settle();
  assert.deepEqual(granted, ['small', 'huge']);
  assert.equal(budget.inUse, 500);
  (await huge)();
  await settle();
  assert.deepEqual(granted, ['small', 'huge', 'after']);
  (await after)();
  assert.equal(budget.peak, 500);
  assert.equal(budget.inUse, 0);
});

test('releasing twice gives the bytes back once', async () => {
  const budget = new MemoryBudget(100);
  const a = await budget.acquire(70);
  const b = await budget.acquire(30);
  a();
  a();
  assert.equal(budget.inUse, 30);
  const granted: string[] = [];
  const c = track(budget, granted, 'c', 80); // fits only if a's 70 came back exactly once
  await settle();
  assert.deepEqual(granted, []);
  b();
  await settle();
  assert.deepEqual(granted, ['c']);
  (await c)();
  assert.equal(budget.inUse, 0);
});

test('bad limits and request sizes are refused', async () => {
  assert.throws(() => new MemoryBudget(0), RangeError);
  assert.throws(() => new MemoryBudget(Number.NaN), RangeError);
  const budget = new MemoryBudget(100);
  await assert.rejects(budget.acquire(-1), RangeError);
  await assert.rejects(budget.acquire(Number.NaN), RangeError);
  assert.equal(budget.inUse, 0);
});

test('the limit is a quarter of memory within 512 MiB..4 GiB unless CASTGRAPH_FACE_MEMORY_MB says otherwise', () => {
  assert.equal(budgetLimit({}, 8 * GiB), 2 * GiB);
  assert.equal(budgetLimit({}, 1 * GiB), 512 * MiB);
  assert.equal(budgetLimit({}, 64 * GiB), 4 * GiB);
  assert.equal(budgetLimit({ [MEMORY_ENV]: '300' }, 64 * GiB), 300 * MiB);
  assert.equal(budgetLimit({ [MEMORY_ENV]: '1.5' }, 64 * GiB), 1.5 * MiB);
});

test('a CASTGRAPH_FACE_MEMORY_MB that is not a positive number is an error naming the variable and the value', () => {
  for (const value of ['', 'lots', '0', '-100', 'Infinity', '12MB']) {
    assert.throws(
      () => budgetLimit({ [MEMORY_ENV]: value }),
      (err: Error) => err.message.includes(MEMORY_ENV) && err.message.includes(JSON.stringify(value)),
      `value ${JSON.stringify(value)}`,
    );
  }
});
