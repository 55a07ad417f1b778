import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compatible, isPortType, listItemType, widenValue } from '../../../runtime/graph/port-types.ts';

test('identical types connect without a widening', () => {
  for (const t of ['text', 'image', 'list<image>', 'list<list<int>>', 'lora_stack']) assert.deepEqual(compatible(t, t), { ok: true });
});

test('safe widenings are named', () => {
  assert.deepEqual(compatible('int', 'float'), { ok: true, widening: 'int→float' });
  assert.deepEqual(compatible('lora', 'lora_stack'), { ok: true, widening: 'lora→lora_stack' });
  assert.deepEqual(compatible('image', 'list<image>'), { ok: true, widening: 'T→list<T>' });
  assert.deepEqual(compatible('int', 'list<float>'), { ok: true, widening: 'T→list<T>' });
  assert.deepEqual(compatible('list<int>', 'list<float>'), { ok: true, widening: 'int→float' });
  assert.deepEqual(compatible('video', 'any'), { ok: true, widening: 'any' });
  assert.deepEqual(compatible('list<any>', 'list<image>'), { ok: true, widening: 'any' });
  assert.deepEqual(compatible('seed', 'int'), { ok: true });
  assert.deepEqual(compatible('enum', 'text'), { ok: true });
});

test('refusals say which types and why', () => {
  assert.deepEqual(compatible('image', 'video'), { ok: false, reason: '`image` cannot feed `video`' });
  assert.deepEqual(compatible('float', 'int'), { ok: false, reason: '`float` cannot feed `int`' }, 'narrowing loses data');
  assert.deepEqual(compatible('lora_stack', 'lora'), { ok: false, reason: '`lora_stack` cannot feed `lora`' });
  assert.deepEqual(compatible('list<image>', 'image'), { ok: false, reason: '`list<image>` cannot feed `image`' }, 'a list is not an item: use map');
  assert.deepEqual(compatible('list<image>', 'list<video>'), { ok: false, reason: '`list<image>` cannot feed `list<video>`: `image` cannot feed `video`' });
  assert.deepEqual(compatible('text', 'enum'), { ok: false, reason: '`text` cannot feed `enum`' });
});

test('type strings parse, and widenings convert values at run time', () => {
  assert.ok(isPortType('list<list<identity>>'));
  assert.ok(!isPortType('list<picture>'));
  assert.ok(!isPortType('Image'));
  assert.equal(listItemType('list<list<int>>'), 'list<int>');
  assert.equal(listItemType('image'), undefined);
  assert.deepEqual(widenValue('x', 'image', 'list<image>'), ['x']);
  assert.deepEqual(widenValue({ file: 'a' }, 'lora', 'lora_stack'), { loras: [{ lora: { file: 'a' }, weight: 1 }] });
  assert.equal(widenValue(3, 'int', 'float'), 3);
  assert.deepEqual(widenValue(['x'], 'list<image>', 'list<image>'), ['x']);
});
