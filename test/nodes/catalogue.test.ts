/** Metadata rules every core node keeps, checked on the registry built from nodes/ (what users and the editor see). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRegistry } from '../../runtime/node-loader.ts';
import { isPortType } from '../../runtime/graph/index.ts';

const CORE = [
  'value.text', 'value.int', 'value.float', 'value.bool', 'value.seed', 'value.json',
  'list.make', 'list.get', 'list.length', 'list.slice', 'list.concat', 'list.range',
  'text.template', 'image.load', 'image.create', 'image.resize', 'image.crop', 'image.save', 'flow.gate',
];

test('every core node is registered, documented, and its defaults satisfy its own limits', async () => {
  const registry = await loadRegistry();
  for (const type of CORE) {
    const def = registry.get(type);
    assert.ok(def, `${type} is registered`);
    assert.equal(def.category, type.split('.')[0] === 'value' ? 'values' : type.split('.')[0] === 'list' ? 'lists' : type.split('.')[0]);
    assert.ok(def.description.length > 20 && def.docs && def.docs.length > 20, `${type} has a description and docs`);
    for (const [name, spec] of Object.entries({ ...def.inputs, ...def.outputs })) {
      assert.ok(isPortType(spec.type), `${type}.${name}: ${spec.type} is a port type`);
      assert.ok(spec.description, `${type}.${name} is described`);
    }
    for (const [name, spec] of Object.entries(def.inputs)) {
      const d = spec.default;
      if (typeof d === 'number') {
        if (spec.min !== undefined) assert.ok(d >= spec.min, `${type}.${name} default ${d} >= min ${spec.min}`);
        if (spec.max !== undefined) assert.ok(d <= spec.max, `${type}.${name} default ${d} <= max ${spec.max}`);
        if (spec.type === 'int' || spec.type === 'seed') assert.ok(Number.isInteger(d), `${type}.${name} default is whole`);
      }
      if (spec.type === 'enum') assert.ok(spec.values!.includes(d as string), `${type}.${name} default ${String(d)} is one of its values`);
    }
  }
});

test('media nodes declare cpu work and deterministic caching; nothing here needs a GPU', async () => {
  const registry = await loadRegistry();
  for (const type of CORE) {
    const def = registry.get(type)!;
    assert.equal(def.resource, 'cpu', type);
    assert.equal(def.cache, 'deterministic', type);
  }
});
