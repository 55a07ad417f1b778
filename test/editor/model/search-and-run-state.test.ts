import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchNodeTypes, fuzzyScore } from '../../../editor/src/model/search.ts';
import { RunState } from '../../../editor/src/model/run-state.ts';
import type { NodeTypeInfo } from '../../../editor/src/model/node-types.ts';

const info = (type: string, title: string, inputs: NodeTypeInfo['inputs'], outputs: NodeTypeInfo['outputs']): NodeTypeInfo =>
  ({ type, version: 1, title, category: type.split('.')[0]!, description: '', inputs, outputs });
const LIST = [
  info('image.resize', 'Resize image', { image: { type: 'image' }, width: { type: 'int' } }, { image: { type: 'image' } }),
  info('image.create', 'New image', { width: { type: 'int' } }, { image: { type: 'image' } }),
  info('text.template', 'Text template', { template: { type: 'text' } }, { text: { type: 'text' } }),
  info('list.make', 'Make list', { items: { type: 'list<any>', multi: true } }, { list: { type: 'list<any>' } }),
];

test('fuzzy search ranks prefix and word hits, matches categories and port types', () => {
  assert.equal(searchNodeTypes(LIST, 'resize')[0]!.info.type, 'image.resize');
  assert.equal(searchNodeTypes(LIST, 'rsz')[0]!.info.type, 'image.resize', 'subsequence');
  assert.deepEqual(searchNodeTypes(LIST, 'image').slice(0, 2).map((h) => h.info.category), ['image', 'image']);
  assert.equal(searchNodeTypes(LIST, 'text')[0]!.info.type, 'text.template');
  assert.equal(searchNodeTypes(LIST, 'zzz').length, 0);
  assert.ok(fuzzyScore('new', 'New image') > fuzzyScore('new', 'renew'));
});

test('a pending wire limits hits to node types with a compatible port, and names it', () => {
  const fromImage = searchNodeTypes(LIST, '', { side: 'input', type: 'image' });
  assert.deepEqual(fromImage.map((h) => `${h.info.type}:${h.port}`).sort(), ['image.resize:image', 'list.make:items']);
  const intoText = searchNodeTypes(LIST, '', { side: 'output', type: 'text' });
  assert.deepEqual(intoText.map((h) => h.info.type), ['text.template']);
});

test('run events reach only the node they concern, and stale runs are ignored', () => {
  const state = new RunState();
  const seen: string[] = [];
  state.nodes.subscribe('a', () => seen.push('a'));
  state.nodes.subscribe('b', () => seen.push('b'));
  const base = { runId: 'r1', ts: 0, nodeType: 't.t' };
  state.apply({ ...base, type: 'node.started', nodeId: 'a', nodePath: 'a', attempt: 1, key: 'k' }, 'r1');
  state.apply({ ...base, type: 'node.progress', nodeId: 'a', nodePath: 'a', fraction: 0.5, etaMs: 1000 }, 'r1');
  state.apply({ ...base, runId: 'old', type: 'node.progress', nodeId: 'b', nodePath: 'b', fraction: 0.5 }, 'r1');
  assert.deepEqual(seen, ['a', 'a']);
  assert.equal(state.nodes.get('a')!.fraction, 0.5);
  state.apply({ ...base, type: 'node.failed', nodeId: 'x', nodePath: 'loop/2/x', attempt: 1, error: { message: 'boom', errorClass: 'user', retryable: false } }, 'r1');
  assert.equal(state.nodes.get('loop')!.status, 'failed');
  assert.match(state.nodes.get('loop')!.error!.message, /loop\/2\/x: boom/);
  state.apply({ runId: 'r1', ts: 1, type: 'run.succeeded', outputs: {}, durationMs: 12 }, 'r1');
  assert.equal(state.summary.get('current')!.status, 'succeeded');
});
