import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNodeContext } from '../support/node-context.ts';
import template from '../../nodes/text.template/index.ts';
import { nodePorts } from '../../runtime/graph/body-ports.ts';
import { NodeRegistry } from '../../runtime/graph/registry.ts';
import type { GraphNode } from '../../runtime/graph/document.ts';

const { ctx, cleanup } = makeNodeContext();
test.after(cleanup);
const run = async (inputs: Record<string, unknown>) => template.run(ctx, inputs);

test('fills placeholders from named inputs and values, named inputs winning', async () => {
  const out = await run({ template: 'A photo of {subject} in {style}, {count} shots', subject: 'Ada', style: null, values: { style: 'oil', subject: 'ignored', count: 3 } });
  assert.deepEqual(out, { text: 'A photo of Ada in oil, 3 shots' });
});

test('dotted paths read nested keys and array items; non-text values are JSON', async () => {
  const out = await run({ template: '{user.name}/{tags.1}/{user.meta}', values: { user: { name: 'Lin', meta: { a: 1 } }, tags: ['x', 'y'] } });
  assert.equal(out.text, 'Lin/y/{"a":1}');
});

test('doubled braces are literal', async () => {
  assert.equal((await run({ template: '{{not}} {x}}}', x: 'ok' })).text, '{not} ok}');
});

test('an unknown placeholder fails with its name and how to fill it', async () => {
  await assert.rejects(run({ template: 'Hi {name}, {missing.deep}', name: 'A', values: {} }), /placeholder \{missing\.deep\} has no value: connect or set input "missing"/);
});

test('syntax errors name the template and the character position', async () => {
  await assert.rejects(run({ template: 'a {b' }), /inputs\.template: "\{" at character 3 is never closed/);
  await assert.rejects(run({ template: 'a } b' }), /inputs\.template: "\}" at character 3 has no matching/);
  await assert.rejects(run({ template: '{ b }' }), /"\{ b \}" at character 1 is not a placeholder name/);
  await assert.rejects(run({ template: 'x', values: 5 }), /inputs\.values: expected a JSON object or array, got number 5/);
});

test('an inline template declares one input per placeholder', () => {
  const node = { id: 't', type: 'text.template', typeVersion: 1, position: { x: 0, y: 0 }, inputs: { template: '{subject} by {artist.name}, {subject}' } } as GraphNode;
  const ports = nodePorts(template, node, new NodeRegistry([template]));
  assert.deepEqual(Object.keys(ports.inputs), ['template', 'values', 'subject', 'artist']);
  assert.equal(ports.inputs.subject!.optional, undefined, 'needed: a closed gate upstream skips the node');
  assert.equal(ports.inputs.subject!.default, null, 'unwired it defers to `values`');
  const broken = { ...node, inputs: { template: '{oops' } } as GraphNode;
  assert.deepEqual(Object.keys(nodePorts(template, broken, new NodeRegistry([template])).inputs), ['template', 'values']);
});
