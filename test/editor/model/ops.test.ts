import { test } from 'node:test';
import assert from 'node:assert/strict';
import { produce } from 'immer';
import { emptyDocument, GraphDocument } from '../../../runtime/graph/document.ts';
import { copySelection, parseFragment, pasteFragment } from '../../../editor/src/model/clipboard.ts';
import { addNode, connect, graphAt, removeNodes, setMode } from '../../../editor/src/model/ops.ts';
import { checkConnection } from '../../../editor/src/model/connection.ts';
import { NodeTypes, type NodeTypeInfo } from '../../../editor/src/model/node-types.ts';
import { layeredLayout } from '../../../editor/src/model/layout.ts';

const info = (type: string, inputs: NodeTypeInfo['inputs'], outputs: NodeTypeInfo['outputs']): NodeTypeInfo =>
  ({ type, version: 1, title: type, category: type.split('.')[0]!, description: '', inputs, outputs });
const TYPES = new NodeTypes([
  info('image.create', { width: { type: 'int', default: 512 } }, { image: { type: 'image' } }),
  info('image.resize', { image: { type: 'image' }, width: { type: 'int', default: 256 } }, { image: { type: 'image' } }),
  info('text.template', { template: { type: 'text', default: '' } }, { text: { type: 'text' } }),
]);

function sample() {
  return produce(emptyDocument('g', 'G'), (g) => {
    addNode(g, TYPES.get('image.create')!, { x: 0, y: 0 });
    addNode(g, TYPES.get('image.resize')!, { x: 300, y: 0 });
    addNode(g, TYPES.get('text.template')!, { x: 0, y: 300 });
    connect(g, { node: 'create', port: 'image' }, { node: 'resize', port: 'image' });
  });
}

test('addNode picks fresh ids from the type name and fills declared defaults', () => {
  const doc = produce(sample(), (g) => { addNode(g, TYPES.get('image.resize')!, { x: 1.6, y: 2.2 }); });
  const node = doc.nodes.at(-1)!;
  assert.equal(node.id, 'resize_2');
  assert.deepEqual(node.inputs, { width: 256 });
  assert.deepEqual(node.position, { x: 782, y: 2 }, 'rounded, then moved right until no node starts within a node-sized slot');
  assert.ok(GraphDocument.safeParse(doc).success);
});

test('connection checks come from the graph model and carry a reason', () => {
  const doc = sample();
  const bad = checkConnection(doc, TYPES, { node: 'template', port: 'text' }, { node: 'resize', port: 'image' });
  assert.equal(bad.ok, false);
  assert.match((bad as { reason: string }).reason, /resize\.image: .*`text` cannot feed `image`/);
  const cycle = checkConnection(doc, TYPES, { node: 'resize', port: 'image' }, { node: 'create', port: 'width' });
  assert.equal(cycle.ok, false);
  // An occupied single input accepts a new wire: connect replaces the old one.
  const doc2 = produce(doc, (g) => { addNode(g, TYPES.get('image.create')!, { x: 0, y: 0 }); });
  assert.equal(checkConnection(doc2, TYPES, { node: 'create_2', port: 'image' }, { node: 'resize', port: 'image' }).ok, true);
  const doc3 = produce(doc2, (g) => { connect(g, { node: 'create_2', port: 'image' }, { node: 'resize', port: 'image' }); });
  assert.deepEqual(doc3.edges.map((e) => e.from.node), ['create_2']);
});

test('copy then paste regenerates ids, keeps internal wires, and optionally incoming ones', () => {
  const doc = sample();
  const text = JSON.stringify(copySelection(doc, new Set(['resize'])));
  const fragment = parseFragment(text);
  assert.equal(fragment.format, 'castgraph.graph');
  let ids: string[] = [];
  const plain = produce(doc, (g) => { ids = pasteFragment(g, fragment, { x: 40, y: 40 }); });
  assert.deepEqual(ids, ['resize_2']);
  assert.equal(plain.edges.length, 1, 'no incoming wire without keepIncoming');
  assert.deepEqual(plain.nodes.at(-1)!.position, { x: 340, y: 40 });
  const linked = produce(doc, (g) => { pasteFragment(g, fragment, { x: 40, y: 40 }, true); });
  assert.deepEqual(linked.edges.at(-1)!.from, { node: 'create', port: 'image' });
  assert.deepEqual(linked.edges.at(-1)!.to, { node: 'resize_2', port: 'image' });
  const both = produce(doc, (g) => { pasteFragment(g, copySelection(doc, new Set(['create', 'resize'])), { x: 0, y: 0 }); });
  assert.equal(both.edges.length, 2);
  assert.deepEqual(both.edges[1]!.from.node, 'create_2');
  assert.throws(() => parseFragment('{"format":"castgraph.graph","version":1,"id":"x","name":"x","nodes":[{"id":"a"}]}'), /clipboard graph: nodes\[0\]\.type/);
  assert.throws(() => parseFragment('not json'), /does not hold graph JSON/);
});

test('removeNodes drops their wires, exposed ports and empty groups; setMode toggles', () => {
  const doc = produce(sample(), (g) => {
    g.groups.push({ id: 'grp', title: 'x', nodes: ['resize'] });
    g.outputs.push({ name: 'out', node: 'resize', port: 'image' });
  });
  const after = produce(doc, (g) => removeNodes(g, new Set(['resize'])));
  assert.deepEqual([after.nodes.length, after.edges.length, after.groups.length, after.outputs.length], [2, 0, 0, 0]);
  const bypassed = produce(doc, (g) => setMode(g, new Set(['resize']), 'bypass'));
  assert.equal(bypassed.nodes[1]!.mode, 'bypass');
  assert.equal(produce(bypassed, (g) => setMode(g, new Set(['resize']), 'bypass')).nodes[1]!.mode, undefined);
});

test('graphAt walks into subgraph bodies and names a missing one', () => {
  const doc = produce(sample(), (g) => { g.nodes[0]!.graph = emptyDocument('inner', 'inner'); });
  assert.equal(graphAt(doc, ['create']).id, 'inner');
  assert.throws(() => graphAt(doc, ['resize']), /no subgraph body at resize/);
});

test('layered layout puts consumers right of producers', () => {
  const pos = layeredLayout(sample());
  assert.ok(pos.get('resize')!.x > pos.get('create')!.x);
  assert.equal(pos.get('template')!.x, pos.get('create')!.x);
});

test('makeSubgraph moves the selection into a body and keeps every outer wire through exposed ports', async () => {
  const { makeSubgraph } = await import('../../../editor/src/model/subgraph.ts');
  const { validateGraph } = await import('../../../runtime/graph/validate.ts');
  const { nodePorts } = await import('../../../runtime/graph/body-ports.ts');
  const types = new NodeTypes([...TYPES.list, { ...info('flow.subgraph', {}, {}), control: 'subgraph' }]);
  const doc = produce(sample(), (g) => {
    addNode(g, types.get('image.resize')!, { x: 600, y: 0 });
    connect(g, { node: 'resize', port: 'image' }, { node: 'resize_2', port: 'image' });
  });
  let id: string | undefined;
  const after = produce(doc, (g) => { id = makeSubgraph(g, new Set(['resize'])); });
  assert.equal(id, 'subgraph');
  const sub = after.nodes.find((n) => n.id === 'subgraph')!;
  assert.deepEqual(sub.graph!.nodes.map((n) => n.id), ['resize']);
  assert.deepEqual(sub.graph!.nodes[0]!.position, { x: 0, y: 0 });
  assert.deepEqual(after.edges.map((e) => `${e.from.node}.${e.from.port}->${e.to.node}.${e.to.port}`).sort(),
    ['create.image->subgraph.resize_image', 'subgraph.resize_image->resize_2.image']);
  const ports = nodePorts(types.registry.get('flow.subgraph')!, sub, types.registry);
  assert.equal(ports.inputs.resize_image!.type, 'image');
  assert.equal(ports.outputs.resize_image!.type, 'image');
  assert.deepEqual(validateGraph(after, types.registry).filter((i) => i.code !== 'missing_input'), []);
});

test('a text.template node gets one port per placeholder, as on the server', () => {
  const template = { type: 'text', default: '', placeholders: { type: 'any', default: null } } as const;
  const types = new NodeTypes([{ ...info('text.template', { template, values: { type: 'json', optional: true } }, { text: { type: 'text' } }), dynamicPorts: true }]);
  const node = { id: 't', type: 'text.template', typeVersion: 1, inputs: { template: 'A photo of {subject} in {style}' }, position: { x: 0, y: 0 } };
  assert.deepEqual(Object.keys(types.ports(node)!.inputs).sort(), ['style', 'subject', 'template', 'values']);
});
