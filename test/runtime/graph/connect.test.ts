import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canConnect } from '../../../runtime/graph/index.ts';
import { graph, registry } from './node-types.ts';

const types = registry();
const port = (node: string, p: string) => ({ node, port: p });

const doc = graph(
  [
    { id: 'n', type: 't.number' },
    { id: 'a', type: 't.add' },
    { id: 'b', type: 't.add' },
    { id: 'c', type: 't.add' },
    { id: 'i', type: 't.image', inputs: { path: 'x' } },
    { id: 'v', type: 't.video' },
    { id: 'col', type: 't.collect' },
    { id: 'l', type: 't.lora' },
    { id: 'st', type: 't.stack' },
    { id: 'r', type: 't.resize', typeVersion: 3, map: ['image'] },
    { id: 'ghost', type: 'acme.ghost' },
  ],
  [['a', 'sum', 'b', 'a'], ['b', 'sum', 'c', 'a'], ['n', 'value', 'col', 'items']],
  { inputs: [{ name: 'w', node: 'r', port: 'width' }] },
);

test('allowed connections report their widening', () => {
  assert.deepEqual(canConnect(doc, types, port('n', 'value'), port('a', 'a')), { ok: true, widening: 'int→float' });
  assert.deepEqual(canConnect(doc, types, port('l', 'lora'), port('st', 'stack')), { ok: true, widening: 'lora→lora_stack' });
  assert.deepEqual(canConnect(doc, types, port('a', 'sum'), port('col', 'items')), { ok: true, widening: 'T→list<T>' }, 'a multi input takes another wire');
  assert.deepEqual(canConnect(doc, types, port('i', 'images'), port('r', 'image')), { ok: true }, 'a mapped input takes a list of its type');
});

test('type refusals carry the rule', () => {
  assert.deepEqual(canConnect(doc, types, port('i', 'image'), port('v', 'video')), { ok: false, code: 'type', reason: '`image` cannot feed `video`' });
  const mapped = canConnect(doc, types, port('i', 'image'), port('r', 'image'));
  assert.equal(mapped.ok, false);
  assert.match((mapped as { reason: string }).reason, /`r` maps over `image`, so it needs a list, and `image` is not one/);
});

test('cycles are refused, including a self-loop', () => {
  assert.deepEqual(canConnect(doc, types, port('b', 'sum'), port('a', 'b')), { ok: false, code: 'cycle', reason: 'would create a cycle' });
  assert.deepEqual(canConnect(doc, types, port('c', 'sum'), port('a', 'b')), { ok: false, code: 'cycle', reason: 'would create a cycle' });
  assert.deepEqual(canConnect(doc, types, port('a', 'sum'), port('a', 'b')), { ok: false, code: 'cycle', reason: 'would create a cycle' });
  assert.deepEqual(canConnect(doc, types, port('a', 'sum'), port('c', 'b')), { ok: true }, 'a diamond is not a cycle');
});

test('a single-value input takes one connection; an existing wire is a duplicate', () => {
  assert.deepEqual(canConnect(doc, types, port('n', 'value'), port('b', 'a')), { ok: false, code: 'occupied', reason: 'input takes one connection' });
  assert.deepEqual(canConnect(doc, types, port('a', 'sum'), port('b', 'a')), { ok: false, code: 'duplicate', reason: 'already connected' });
  assert.deepEqual(canConnect(doc, types, port('n', 'value'), port('col', 'items')), { ok: false, code: 'duplicate', reason: 'already connected' });
  const exposed = canConnect(doc, types, port('n', 'value'), port('r', 'width'));
  assert.deepEqual(exposed, { ok: false, code: 'occupied', reason: 'input takes one connection (it is exposed as a graph input)' });
});

test('unknown nodes, types and ports are refused by name', () => {
  assert.deepEqual(canConnect(doc, types, port('zz', 'x'), port('a', 'a')), { ok: false, code: 'unknown_node', reason: 'node `zz` does not exist' });
  assert.deepEqual(canConnect(doc, types, port('ghost', 'x'), port('a', 'a')), { ok: false, code: 'unknown_node', reason: 'node `ghost` has unknown type `acme.ghost`' });
  assert.deepEqual(canConnect(doc, types, port('n', 'nope'), port('a', 'a')), { ok: false, code: 'unknown_port', reason: '`n` (t.number) has no output `nope`' });
  assert.deepEqual(canConnect(doc, types, port('n', 'value'), port('a', 'nope')), { ok: false, code: 'unknown_port', reason: '`a` (t.add) has no input `nope`' });
});

test('the cycle check stays linear on a 20,000-node chain', () => {
  const n = 20_000;
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 't.add' }));
  const edges = Array.from({ length: n - 1 }, (_, i) => [`n${i}`, 'sum', `n${i + 1}`, 'a'] as [string, string, string, string]);
  const chain = graph(nodes, edges);
  assert.deepEqual(canConnect(chain, types, port(`n${n - 1}`, 'sum'), port('n0', 'b')), { ok: false, code: 'cycle', reason: 'would create a cycle' });
  assert.deepEqual(canConnect(chain, types, port('n0', 'sum'), port(`n${n - 1}`, 'b')), { ok: true });
});
