import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphDocument } from '../../../runtime/graph/document.ts';
import { loadDocument } from '../../../runtime/graph/index.ts';
import { parseFast } from '../../../runtime/graph/parse.ts';
import { registry } from './node-types.ts';

/** A valid document carrying fields this version does not know at every level. */
function withUnknownFields() {
  return {
    format: 'castgraph.graph', version: 1, id: 'doc', name: 'Round trip', description: 'd',
    editor: { zoom: 1.5, viewport: [0, 0] },
    nodes: [
      { id: 'a', type: 't.number', typeVersion: 1, inputs: { value: 3 }, position: { x: 1, y: 2, pinned: true }, label: 'A', mode: 'active', retry: { attempts: 2, backoffMs: 5 }, color: '#f00', plugin: { data: [1, 2] } },
      { id: 'mystery', type: 'acme.thing', typeVersion: 7, inputs: { secretSauce: { deep: [1, { x: null }] } }, position: { x: 0, y: 0 }, map: ['secretSauce'], acme: 'kept' },
      {
        id: 'sub', type: 'flow.subgraph', typeVersion: 1, inputs: {}, position: { x: 5, y: 5 }, collapsed: true,
        graph: {
          format: 'castgraph.graph', version: 1, id: 'body', name: 'body', bodyExtra: 42,
          nodes: [{ id: 'inner', type: 't.add', typeVersion: 1, inputs: { b: 2 }, position: { x: 0, y: 0 }, innerExtra: 'yes' }],
          edges: [], inputs: [{ name: 'a', node: 'inner', port: 'a', widget: 'slider' }], outputs: [{ name: 'sum', node: 'inner', port: 'sum', description: 'a + b' }],
          groups: [], notes: [], meta: {},
        },
      },
    ],
    edges: [{ id: 'e1', from: { node: 'a', port: 'value', handle: 'h1' }, to: { node: 'sub', port: 'a' }, style: 'dashed' }],
    inputs: [], outputs: [{ name: 'sum', node: 'sub', port: 'sum', order: 1 }],
    groups: [{ id: 'g1', title: 'G', nodes: ['a'], color: 'red', collapsed: false }],
    notes: [{ id: 'n1', text: 'hi', position: { x: 0, y: 0 }, fontSize: 12 }],
    meta: { author: 'me' },
  };
}

test('unknown fields on the document, nodes, edges, ports, groups, notes and nested bodies survive load and save', () => {
  const input = withUnknownFields();
  const { doc, errors } = loadDocument(input, registry());
  assert.ok(doc);
  const saved = JSON.parse(JSON.stringify(doc));
  assert.deepEqual(saved.editor, { zoom: 1.5, viewport: [0, 0] });
  assert.equal(saved.nodes[0].color, '#f00');
  assert.deepEqual(saved.nodes[0].plugin, { data: [1, 2] });
  assert.equal(saved.nodes[0].position.pinned, true);
  assert.equal(saved.nodes[2].collapsed, true);
  assert.equal(saved.nodes[2].graph.bodyExtra, 42);
  assert.equal(saved.nodes[2].graph.nodes[0].innerExtra, 'yes');
  assert.equal(saved.nodes[2].graph.inputs[0].widget, 'slider');
  assert.equal(saved.edges[0].style, 'dashed');
  assert.equal(saved.edges[0].from.handle, 'h1');
  assert.equal(saved.outputs[0].order, 1);
  assert.equal(saved.groups[0].collapsed, false);
  assert.equal(saved.notes[0].fontSize, 12);
  // The placeholder node is kept verbatim, values untouched.
  assert.deepEqual(saved.nodes[1], input.nodes[1]);
  // Saving and loading again changes nothing.
  const again = loadDocument(saved, registry());
  assert.deepEqual(JSON.parse(JSON.stringify(again.doc)), saved);
  // The only error is the unknown type; the caller's object was not touched.
  assert.deepEqual(errors.map((e) => e.code), ['unknown_node_type']);
  assert.deepEqual(input, withUnknownFields());
});

test('JSON text loads like the value it encodes, and unreadable text says why', () => {
  const fromText = loadDocument(JSON.stringify(withUnknownFields()), registry());
  assert.deepEqual(fromText.doc, loadDocument(withUnknownFields(), registry()).doc);
  const bad = loadDocument('{"format": ', registry());
  assert.equal(bad.doc, undefined);
  assert.match(bad.errors[0]!.message, /not valid JSON/);
  assert.match(loadDocument([1], registry()).errors[0]!.message, /must be a JSON object, got a list/);
  assert.match(loadDocument({ format: 'comfy' }, registry()).errors[0]!.message, /`format` must be "castgraph.graph"/);
});

test('missing optional arrays and objects get their defaults', () => {
  const { doc, errors } = loadDocument({ format: 'castgraph.graph', version: 1, id: 'x', name: '', nodes: [{ id: 'n', type: 't.number', typeVersion: 1 }] }, registry());
  assert.deepEqual(errors, []);
  assert.deepEqual(doc!.nodes[0]!.inputs, {});
  assert.deepEqual(doc!.nodes[0]!.position, { x: 0, y: 0 });
  assert.deepEqual([doc!.edges, doc!.inputs, doc!.outputs, doc!.groups, doc!.notes, doc!.meta], [[], [], [], [], [], {}]);
});

test('schema errors name the field with a JSON path and what was expected', () => {
  const input = withUnknownFields() as any;
  input.nodes[0].id = 'has/slash';
  input.nodes[0].typeVersion = 1.5;
  input.edges[0].from.node = 3;
  input.nodes[2].graph.nodes[0].position = { x: 'left', y: 0 };
  delete input.name;
  const { doc, errors } = loadDocument(input, registry());
  assert.equal(doc, undefined);
  const byPath = Object.fromEntries(errors.map((e) => [e.path, e]));
  assert.match(byPath['nodes[0].id']!.message, /`nodes\[0\]\.id` must be a node id.*got text "has\/slash"/);
  assert.match(byPath['nodes[0].typeVersion']!.message, /must be an integer, got number 1.5/);
  assert.match(byPath['edges[0].from.node']!.message, /must be text \(a string\), got number 3/);
  assert.match(byPath['nodes[2].graph.nodes[0].position.x']!.message, /must be a number, got text "left"/);
  assert.match(byPath.name!.message, /`name` is missing: expected text/);
  assert.equal(byPath['nodes[0].typeVersion']!.nodeId, undefined, 'an invalid id is no node path');
  assert.equal(byPath['nodes[2].graph.nodes[0].position.x']!.nodeId, 'sub/inner', 'schema issues carry the node path');
  assert.equal(byPath.name!.nodeId, undefined);
  assert.ok(errors.every((e) => e.code === 'schema'));
});

/** Valid variations the fast parser must reproduce exactly as zod does. */
function variants(): unknown[] {
  const base = withUnknownFields();
  const minimal = { format: 'castgraph.graph', version: 1, id: 'm', name: 'm', nodes: [] };
  const optionalUndefined = { ...minimal, description: undefined, nodes: [{ id: 'n', type: 'a.b', typeVersion: 2, label: undefined, mode: 'mute', map: ['x'], retry: { attempts: 3, backoffMs: 10, jitter: true } }] };
  return [base, minimal, optionalUndefined, { ...minimal, meta: { a: 1 }, edges: undefined }];
}

test('the fast parser builds exactly what the zod schema builds', () => {
  for (const input of variants()) {
    const expected = GraphDocument.safeParse(input);
    assert.ok(expected.success, JSON.stringify(expected.error?.issues));
    const fast = parseFast(input);
    assert.deepStrictEqual(fast, expected.data);
    assert.deepEqual(Object.keys(fast!), Object.keys(expected.data!));
  }
});

/** Every [path to an object, key] in a value, depth first. */
function slots(value: unknown, path: (string | number)[] = [], out: [(string | number)[], string][] = []) {
  if (typeof value !== 'object' || value === null) return out;
  for (const key of Object.keys(value)) {
    out.push([path, key]);
    slots((value as Record<string, unknown>)[key], [...path, Array.isArray(value) ? Number(key) : key], out);
  }
  return out;
}

test('the fast parser never accepts what zod rejects (every field set to every kind of junk)', () => {
  const junk: unknown[] = [undefined, null, 0, -1, 1.5, 25, 700_000, '', 'x', 'a/b', 'Bad.Type', '.dot', 'a.b', true, [], [1], {}, { x: 1 }, 'active', 'x'.repeat(300)];
  let rejected = 0;
  for (const [path, key] of slots(withUnknownFields())) {
    for (const value of junk) {
      const doc = withUnknownFields();
      let target: any = doc;
      for (const step of path) target = target[step];
      target[key] = value;
      const expected = GraphDocument.safeParse(doc);
      const fast = parseFast(doc);
      if (!expected.success) {
        rejected++;
        assert.equal(fast, undefined, `fast parser accepted ${[...path, key].join('.')} = ${JSON.stringify(value)}, which zod rejects`);
      } else {
        assert.deepStrictEqual(fast, expected.data, `${[...path, key].join('.')} = ${JSON.stringify(value)}`);
      }
    }
  }
  assert.ok(rejected > 500, `the junk should break the schema often, broke it ${rejected} times`);
});

test('bodies nested past the limit are refused with a path, not a stack overflow', () => {
  // Built as text: JSON.stringify itself recurses.
  const head = '{"format":"castgraph.graph","version":1,"id":"l","name":"","nodes":[{"id":"s","type":"flow.subgraph","typeVersion":1,"graph":';
  const leaf = '{"format":"castgraph.graph","version":1,"id":"leaf","name":"","nodes":[]}';
  const depth = 5000;
  const { doc, errors } = loadDocument(head.repeat(depth) + leaf + '}]}'.repeat(depth), registry());
  assert.equal(doc, undefined);
  assert.equal(errors[0]!.code, 'schema');
  assert.match(errors[0]!.message, /nests graph bodies more than 32 levels deep/);
  assert.ok(errors[0]!.path.startsWith('nodes[0].graph.nodes[0].graph.'));
});
