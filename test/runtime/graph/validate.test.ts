import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateGraph, type ValidationIssue } from '../../../runtime/graph/index.ts';
import type { GraphDocument } from '../../../runtime/graph/document.ts';
import { graph, registry } from './node-types.ts';

const types = registry();
const check = (doc: GraphDocument) => validateGraph(doc, types);

/** The one issue with `code`, asserting there is exactly one. */
function only(issues: ValidationIssue[], code: string): ValidationIssue {
  const found = issues.filter((i) => i.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(issues, null, 1)}`);
  return found[0]!;
}

const ARTIFACT = { $artifact: 'a'.repeat(64), mime: 'image/png', size: 10, width: 4, height: 4 };

test('a valid graph has no issues', () => {
  const doc = graph(
    [
      { id: 'n', type: 't.number', inputs: { value: 2 } },
      { id: 's', type: 't.add', inputs: { b: 1.5 } },
      { id: 'p', type: 't.params', inputs: { threshold: 0, count: 10, mode: 'slow', flag: true, name: 'x', seed: -1, data: { any: [null] }, ref: ARTIFACT, tags: ['a', 'b'] } },
    ],
    [['n', 'value', 's', 'a']],
  );
  assert.deepEqual(check(doc), []);
});

test('unknown node type, with path and node id', () => {
  const issue = only(check(graph([{ id: 'x', type: 'acme.nope' }])), 'unknown_node_type');
  assert.equal(issue.path, 'nodes[0].type');
  assert.equal(issue.nodeId, 'x');
  assert.match(issue.message, /Node `x` has unknown type `acme.nope`/);
});

test('unknown ports on edges and unknown inline inputs list what exists', () => {
  const issues = check(graph(
    [{ id: 'n', type: 't.number', inputs: { valu: 3 } }, { id: 's', type: 't.add', inputs: { b: 0, 'odd key': 1 } }],
    [['n', 'out', 's', 'a'], ['n', 'value', 's', 'c']],
  ));
  const out = only(issues, 'unknown_output');
  assert.equal(out.path, 'edges[0].from.port');
  assert.match(out.message, /Node `n` \(t.number\) has no output `out`; its outputs are `value`/);
  const inputs = issues.filter((i) => i.code === 'unknown_input');
  assert.deepEqual(inputs.map((i) => i.path), ['edges[1].to.port', 'nodes[0].inputs.valu', 'nodes[1].inputs["odd key"]']);
  assert.match(inputs[0]!.message, /has no input `c`; its inputs are `a`, `b`/);
  assert.match(inputs[1]!.message, /Node `n` \(t.number\) has no input `valu`; its inputs are `value`/);
});

test('missing required input: not connected, no value, no default, not optional', () => {
  const issue = only(check(graph([{ id: 's', type: 't.add' }])), 'missing_input');
  assert.equal(issue.path, 'nodes[0].inputs.a');
  assert.match(issue.message, /Input `a` of node `s` \(t.add\) \(`float`\) is required: connect it or set a value/);
  // Seeds are never missing (unset means random); defaults and optional inputs are fine.
  assert.deepEqual(check(graph([{ id: 'p', type: 't.params' }])), []);
});

test('type mismatch on an edge names both types', () => {
  const issue = only(check(graph(
    [{ id: 'i', type: 't.image', inputs: { path: 'a' } }, { id: 'v', type: 't.video' }],
    [['i', 'image', 'v', 'video']],
  )), 'type_mismatch');
  assert.equal(issue.path, 'edges[0]');
  assert.equal(issue.nodeId, 'v');
  assert.match(issue.message, /Edge `e0` from `i.image` to `v.video`: `image` cannot feed `video`/);
});

test('a cycle lists its node ids in order', () => {
  const issue = only(check(graph(
    [{ id: 'a', type: 't.add' }, { id: 'b', type: 't.add' }, { id: 'c', type: 't.add' }, { id: 'd', type: 't.add' }],
    [['d', 'sum', 'a', 'a'], ['a', 'sum', 'b', 'a'], ['b', 'sum', 'c', 'a'], ['c', 'sum', 'a', 'b']],
  )), 'cycle');
  assert.match(issue.message, /Cycle: `a` → `b` → `c` → `a` \(closed by edge `e3`\)/);
  assert.equal(issue.path, 'edges[3]');
  const self = only(check(graph([{ id: 'a', type: 't.add', inputs: { a: 1 } }], [['a', 'sum', 'a', 'b']])), 'cycle');
  assert.match(self.message, /Cycle: `a` → `a`/);
});

test('duplicate node ids and edge ids', () => {
  const doc = graph([{ id: 'n', type: 't.number' }, { id: 'n', type: 't.number' }, { id: 's', type: 't.add' }], [['n', 'value', 's', 'a']]);
  doc.edges.push({ ...doc.edges[0]!, to: { node: 's', port: 'b' } });
  const issues = check(doc);
  const node = only(issues, 'duplicate_node_id');
  assert.equal(node.path, 'nodes[1].id');
  assert.match(node.message, /Node id `n` is used twice \(first at nodes\[0\]\)/);
  const edge = only(issues, 'duplicate_edge_id');
  assert.equal(edge.path, 'edges[1].id');
  assert.match(edge.message, /Edge id `e0` is used twice/);
});

test('inline values: range, integers, primitive types, enums, media and domain types', () => {
  const issues = check(graph([{
    id: 'p', type: 't.params',
    inputs: { threshold: 1.5, count: 2.5, mode: 'medium', flag: 'yes', name: 7, seed: -2, ref: { path: '/etc/passwd' }, lora: 'my.safetensors', tags: ['ok', 3] },
  }, {
    id: 'q', type: 't.params', inputs: { count: 0, threshold: 'high', ref: { ...ARTIFACT, mime: 'video/mp4' } },
  }]));
  const at = (path: string) => {
    const issue = issues.find((i) => i.path === path);
    assert.ok(issue, `no issue at ${path} in ${JSON.stringify(issues, null, 1)}`);
    return issue;
  };
  assert.equal(issues.length, 12);
  assert.match(at('nodes[0].inputs.threshold').message, /Input `threshold` of node `p` \(t.params\) must be at most 1, got 1.5/);
  assert.equal(at('nodes[0].inputs.count').code, 'not_integer');
  assert.match(at('nodes[0].inputs.count').message, /must be an integer, got 2.5/);
  assert.equal(at('nodes[0].inputs.mode').code, 'not_in_enum');
  assert.match(at('nodes[0].inputs.mode').message, /must be one of `fast`, `slow`; got text "medium"/);
  assert.equal(at('nodes[0].inputs.flag').code, 'wrong_type');
  assert.match(at('nodes[0].inputs.flag').message, /must be true or false, got text "yes"/);
  assert.match(at('nodes[0].inputs.name').message, /must be text \(a string\), got number 7/);
  assert.equal(at('nodes[0].inputs.seed').code, 'out_of_range');
  assert.match(at('nodes[0].inputs.seed').message, /must be -1 \(random\) or a seed >= 0, got -2/);
  assert.equal(at('nodes[0].inputs.ref').code, 'not_inline');
  assert.match(at('nodes[0].inputs.ref').message, /has type `image`: set it by connecting a node or with an artifact reference/);
  assert.equal(at('nodes[0].inputs.lora').code, 'not_inline');
  assert.match(at('nodes[0].inputs.lora').message, /has type `lora`, which cannot be set inline/);
  assert.match(at('nodes[0].inputs.tags[1]').message, /Input `tags` of node `p` \(t.params\), item \[1\], must be text/);
  assert.match(at('nodes[1].inputs.count').message, /must be at least 1, got 0/);
  assert.match(at('nodes[1].inputs.threshold').message, /must be a number, got text "high"/);
  assert.match(at('nodes[1].inputs.ref').message, /needs an image artifact, got one of type `video\/mp4`/);
  assert.ok(issues.every((i) => i.nodeId === 'p' || i.nodeId === 'q'));
});

test('a connected input\'s leftover inline value is ignored', () => {
  assert.deepEqual(check(graph([{ id: 'n', type: 't.number' }, { id: 's', type: 't.add', inputs: { a: 'stale' } }], [['n', 'value', 's', 'a']])), []);
});

test('dangling edges name the missing node', () => {
  const issues = check(graph([{ id: 's', type: 't.add', inputs: { a: 1 } }], [['ghost', 'x', 's', 'b'], ['s', 'sum', 'nowhere', 'y']]));
  const dangling = issues.filter((i) => i.code === 'dangling_edge');
  assert.deepEqual(dangling.map((i) => i.path), ['edges[0].from.node', 'edges[1].to.node']);
  assert.match(dangling[0]!.message, /Edge `e0` comes from node `ghost`, which does not exist/);
  assert.match(dangling[1]!.message, /goes to node `nowhere`, which does not exist/);
  assert.equal(issues.length, 2);
});

test('two edges into a single-value input; multi inputs accept many', () => {
  const nodes = [{ id: 'a', type: 't.number' }, { id: 'b', type: 't.number' }, { id: 's', type: 't.add' }, { id: 'c', type: 't.collect' }];
  const issue = only(check(graph(nodes, [['a', 'value', 's', 'a'], ['b', 'value', 's', 'a'], ['a', 'value', 'c', 'items'], ['b', 'value', 'c', 'items']])), 'too_many_connections');
  assert.equal(issue.path, 'edges[1].to');
  assert.match(issue.message, /Input `a` of node `s` \(t.add\) takes one connection, but edges `e0` and `e1` both feed it/);
  const exposed = only(check(graph(nodes.slice(0, 3), [['a', 'value', 's', 'a']], { inputs: [{ name: 'x', node: 's', port: 'a' }] })), 'too_many_connections');
  assert.match(exposed.message, /both fed by edge `e0` and exposed as graph input `x`/);
});

test('exposed graph inputs and outputs: unknown nodes and ports, duplicate names; exposing satisfies a required input', () => {
  const nodes = [{ id: 's', type: 't.add' }];
  assert.deepEqual(check(graph(nodes, [], { inputs: [{ name: 'a', node: 's', port: 'a' }] })), []);
  const issues = check(graph(nodes, [], {
    inputs: [{ name: 'a', node: 's', port: 'a' }, { name: 'a', node: 's', port: 'b' }, { name: 'z', node: 'ghost', port: 'a' }],
    outputs: [{ name: 'sum', node: 's', port: 'total' }],
  }));
  assert.match(only(issues, 'duplicate_exposed_name').message, /Graph input `a` is declared twice/);
  assert.equal(only(issues, 'duplicate_exposed_name').path, 'inputs[1].name');
  assert.equal(only(issues, 'unknown_exposed_node').path, 'inputs[2].node');
  assert.match(only(issues, 'unknown_exposed_node').message, /refers to node `ghost`, which does not exist/);
  const port = only(issues, 'unknown_exposed_port');
  assert.equal(port.path, 'outputs[0].port');
  assert.match(port.message, /Graph output `sum` refers to `s.total`, but node `s` \(t.add\) has no output `total`; it has `sum`/);
});

test('map: inputs must exist and be fed lists; a mapped node\'s outputs are lists', () => {
  const img = { id: 'i', type: 't.image', inputs: { path: 'x' } };
  const ok = graph([img, { id: 'r', type: 't.resize', typeVersion: 3, map: ['image'], inputs: { width: 2, height: 2 } }, { id: 'c', type: 't.collect' }],
    [['i', 'images', 'r', 'image'], ['r', 'image', 'c', 'items']]);
  assert.deepEqual(check(ok), []);
  const notList = only(check(graph([img, { id: 'r', type: 't.resize', typeVersion: 3, map: ['image'], inputs: { width: 2, height: 2 } }], [['i', 'image', 'r', 'image']])), 'map_not_list');
  assert.equal(notList.path, 'edges[0]');
  assert.match(notList.message, /maps over input `image`, so it must be fed a list, but `i.image` gives `image`/);
  const issues = check(graph([{ id: 'a', type: 't.add', map: ['a', 'zz', 'b'], inputs: { b: 3 } }]));
  assert.equal(only(issues, 'map_unknown_input').path, 'nodes[0].map');
  assert.match(only(issues, 'map_unknown_input').message, /maps over `zz`, which is not one of its inputs/);
  const unfed = issues.filter((i) => i.code === 'map_not_list').map((i) => i.path);
  assert.deepEqual(unfed, ['nodes[0].inputs.a', 'nodes[0].inputs.b']);
  const inlineItems = only(check(graph([{ id: 'a', type: 't.add', map: ['a'], inputs: { a: [1, 'two'] } }])), 'wrong_type');
  assert.equal(inlineItems.path, 'nodes[0].inputs.a[1]');
  const listOut = only(check(graph([{ id: 'n', type: 't.number', map: ['value'], inputs: { value: [1, 2] } }, { id: 's', type: 't.add' }], [['n', 'value', 's', 'a']])), 'type_mismatch');
  assert.match(listOut.message, /`list<int>` cannot feed `float`/);
});

test('mute and bypass: no inputs required, unknown types and wires still checked', () => {
  assert.deepEqual(check(graph([{ id: 's', type: 't.add', mode: 'mute' }, { id: 't', type: 't.add', mode: 'bypass', inputs: { b: 'junk' } }])), []);
  assert.equal(only(check(graph([{ id: 'x', type: 'acme.nope', mode: 'mute' }])), 'unknown_node_type').path, 'nodes[0].type');
  // A node fed by a muted node is not an error: at run time it is skipped, as after an empty output.
  assert.deepEqual(check(graph([{ id: 'n', type: 't.number', mode: 'mute' }, { id: 's', type: 't.add' }], [['n', 'value', 's', 'a']])), []);
  assert.equal(only(check(graph([{ id: 'i', type: 't.image', mode: 'mute' }, { id: 'v', type: 't.video' }], [['i', 'image', 'v', 'video']])), 'type_mismatch').path, 'edges[0]');
});

function body() {
  return graph(
    [{ id: 'inner', type: 't.add' }, { id: 'img', type: 't.image', inputs: { path: 'x' } }],
    [],
    { inputs: [{ name: 'x', node: 'inner', port: 'a' }], outputs: [{ name: 'total', node: 'inner', port: 'sum' }, { name: 'pic', node: 'img', port: 'image' }] },
  );
}

test('nested bodies are validated with nested paths; subgraph ports come from the body', () => {
  const inner = body();
  inner.nodes.push({ id: 'bad', type: 't.params', typeVersion: 1, inputs: { count: 99 }, position: { x: 0, y: 0 } });
  const doc = graph(
    [{ id: 'n', type: 't.number' }, { id: 'sub', type: 'flow.subgraph', graph: inner }, { id: 'v', type: 't.video' }, { id: 's', type: 't.add' }],
    [['n', 'value', 'sub', 'x'], ['sub', 'pic', 'v', 'video'], ['sub', 'total', 's', 'a'], ['sub', 'nope', 's', 'b']],
  );
  const issues = check(doc);
  const range = only(issues, 'out_of_range');
  assert.equal(range.path, 'nodes[1].graph.nodes[2].inputs.count');
  assert.equal(range.nodeId, 'sub/bad');
  assert.match(only(issues, 'type_mismatch').message, /`image` cannot feed `video`/);
  assert.match(only(issues, 'unknown_output').message, /Node `sub` \(flow.subgraph\) has no output `nope`; its outputs are `total`, `pic`/);
  assert.equal(issues.length, 3);
  // The body's exposed input is required on the subgraph node when its target is.
  const unfed = only(check(graph([{ id: 'sub', type: 'flow.subgraph', graph: body() }])), 'missing_input');
  assert.equal(unfed.path, 'nodes[0].inputs.x');
  assert.equal(only(check(graph([{ id: 'sub', type: 'flow.subgraph' }])), 'missing_body').path, 'nodes[0].graph');
});

test('loops: the body must expose a bool `done`; maxIterations is required; `iteration` is supplied', () => {
  const loopBody = (done: [string, string] | undefined) => graph(
    [{ id: 'n', type: 't.number' }, { id: 'p', type: 't.params' }, { id: 'it', type: 't.add' }],
    [],
    { inputs: [{ name: 'iteration', node: 'it', port: 'a' }], outputs: done ? [{ name: 'done', node: done[0], port: done[1] }] : [] },
  );
  assert.deepEqual(check(graph([{ id: 'l', type: 'flow.loop', inputs: { maxIterations: 5 }, graph: loopBody(undefined) }])).map((i) => i.code), ['loop_done']);
  const notBool = only(check(graph([{ id: 'l', type: 'flow.loop', inputs: { maxIterations: 5 }, graph: loopBody(['n', 'value']) }])), 'loop_done');
  assert.equal(notBool.path, 'nodes[0].graph.outputs');
  assert.match(notBool.message, /is a loop, so its body must expose a bool output named `done`, not `int`/);
  const unbounded = only(check(graph([{ id: 'l', type: 'flow.loop', graph: loopBody(['n', 'value']) }])), 'missing_input');
  assert.equal(unbounded.path, 'nodes[0].inputs.maxIterations');
  const flag = graph([{ id: 'b', type: 't.params', inputs: { flag: true } }, { id: 'it', type: 't.add' }], [], {
    inputs: [{ name: 'iteration', node: 'it', port: 'a' }], outputs: [{ name: 'done', node: 'b', port: 'out' }],
  });
  assert.deepEqual(check(graph([{ id: 'l', type: 'flow.loop', inputs: { maxIterations: 3 }, graph: flag }])).map((i) => i.code), ['loop_done'], '`json` is not `bool`');
});

test('one document with a cycle, a type mismatch and a missing input reports all three', () => {
  const doc = graph(
    [{ id: 'a', type: 't.add' }, { id: 'b', type: 't.add' }, { id: 'i', type: 't.image', inputs: { path: 'p' } }, { id: 'v', type: 't.video' }, { id: 'lonely', type: 't.add' }],
    [['a', 'sum', 'b', 'a'], ['b', 'sum', 'a', 'a'], ['i', 'image', 'v', 'video']],
  );
  const issues = check(doc);
  assert.deepEqual(issues.map((i) => i.code).sort(), ['cycle', 'missing_input', 'type_mismatch']);
  assert.equal(only(issues, 'missing_input').path, 'nodes[4].inputs.a');
});

test('10,000-node chains and cycles validate without recursion', () => {
  const n = 10_000;
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 't.add', inputs: i === 0 ? { a: 1 } : {} }));
  const edges = Array.from({ length: n - 1 }, (_, i) => [`n${i}`, 'sum', `n${i + 1}`, 'a'] as [string, string, string, string]);
  assert.deepEqual(check(graph(nodes, edges)), []);
  edges.push([`n${n - 1}`, 'sum', 'n0', 'b']);
  const cycle = only(check(graph(nodes, edges)), 'cycle');
  assert.ok(cycle.message.startsWith('Cycle: `n0` → `n1` → `n2`'));
  assert.ok(cycle.message.includes(`\`n${n - 1}\` → \`n0\``));
});
