import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyPorts, nodePorts } from '../../../runtime/graph/index.ts';
import { graph, loop, registry, subgraph } from './node-types.ts';

const types = registry();

function body() {
  return graph(
    [
      { id: 'p', type: 't.params' },
      { id: 'each', type: 't.number', map: ['value'] },
      { id: 'img', type: 't.image' },
      { id: 'ghost', type: 'acme.ghost' },
    ],
    [],
    {
      inputs: [
        { name: 'threshold', node: 'p', port: 'threshold', description: 'How strict.' },
        { name: 'numbers', node: 'each', port: 'value' },
        { name: 'mystery', node: 'ghost', port: 'x' },
        { name: 'threshold', node: 'img', port: 'path' },
      ],
      outputs: [
        { name: 'picture', node: 'img', port: 'image' },
        { name: 'numbers', node: 'each', port: 'value' },
        { name: 'nowhere', node: 'missing', port: 'x' },
      ],
    },
  );
}

test('exposed inputs take the type, default, range and optionality of the port they feed', () => {
  const ports = bodyPorts(body(), types);
  assert.deepEqual(ports.inputs.threshold, { type: 'float', min: 0, max: 1, default: 0.5, description: 'How strict.' }, 'the first of two same-named inputs wins');
  assert.deepEqual(ports.inputs.numbers, { type: 'list<int>' }, 'a mapped port is fed a whole list, so no item default');
  assert.deepEqual(ports.inputs.mystery, { type: 'any' }, 'unknown targets are `any`, reported by body validation instead');
});

test('exposed outputs carry the type on the wire, lists from mapped nodes', () => {
  const ports = bodyPorts(body(), types);
  assert.deepEqual(ports.outputs, { picture: { type: 'image' }, numbers: { type: 'list<int>' }, nowhere: { type: 'any' } });
  assert.deepEqual(bodyPorts(undefined, types), { inputs: {}, outputs: {} });
});

test('control nodes combine their own ports with their body\'s; a loop\'s `iteration` is supplied', () => {
  const inner = graph([{ id: 'it', type: 't.add' }, { id: 'p', type: 't.params' }], [], {
    inputs: [{ name: 'iteration', node: 'it', port: 'a' }],
    outputs: [{ name: 'done', node: 'p', port: 'out' }],
  });
  const asLoop = nodePorts(loop, { id: 'l', type: 'flow.loop', typeVersion: 1, inputs: {}, position: { x: 0, y: 0 }, graph: inner }, types);
  assert.deepEqual(Object.keys(asLoop.inputs).sort(), ['iteration', 'maxIterations']);
  assert.equal(asLoop.inputs.iteration!.optional, true);
  assert.deepEqual(asLoop.outputs, { done: { type: 'json' } });
  const asSubgraph = nodePorts(subgraph, { id: 's', type: 'flow.subgraph', typeVersion: 1, inputs: {}, position: { x: 0, y: 0 }, graph: inner }, types);
  assert.equal(asSubgraph.inputs.iteration!.optional, undefined, 'only loops fill `iteration`');
});
