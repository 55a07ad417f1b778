import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentHistory } from '../../../editor/src/model/history.ts';

interface Doc { nodes: { id: string; x: number }[]; title: string }

function setup() {
  let now = 0;
  const h = new DocumentHistory<Doc>({ nodes: [{ id: 'a', x: 0 }, { id: 'b', x: 0 }], title: '' }, { now: () => now, burstMs: 1000 });
  return { h, tick: (ms: number) => (now += ms) };
}

test('a drag merges into one undo step and unchanged nodes keep their identity', () => {
  const { h, tick } = setup();
  const b = h.get().nodes[1];
  for (let i = 1; i <= 30; i++) {
    tick(16);
    h.update((d) => { d.nodes[0]!.x = i; }, { merge: 'drag' });
  }
  h.endBurst();
  assert.equal(h.get().nodes[0]!.x, 30);
  assert.equal(h.get().nodes[1], b, 'structural sharing: the untouched node is the same object');
  assert.ok(h.undo());
  assert.equal(h.get().nodes[0]!.x, 0);
  assert.equal(h.canUndo, false, 'the whole drag was one step');
  assert.ok(h.redo());
  assert.equal(h.get().nodes[0]!.x, 30);
});

test('a typing burst is one step; a pause or endBurst starts a new one', () => {
  const { h, tick } = setup();
  for (const text of ['h', 'he', 'hel', 'hello']) {
    tick(100);
    h.update((d) => { d.title = text; }, { merge: 'title' });
  }
  tick(5000);
  h.update((d) => { d.title = 'hello world'; }, { merge: 'title' });
  h.undo();
  assert.equal(h.get().title, 'hello');
  h.undo();
  assert.equal(h.get().title, '');
  assert.equal(h.canUndo, false);
});

test('different merge keys never merge, a new edit clears redo, no-op edits are not steps', () => {
  const { h } = setup();
  h.update((d) => { d.title = 'x'; }, { merge: 'a' });
  h.update((d) => { d.nodes[0]!.x = 5; }, { merge: 'b' });
  h.update(() => {});
  h.undo();
  assert.equal(h.get().nodes[0]!.x, 0);
  assert.equal(h.get().title, 'x');
  assert.equal(h.canRedo, true);
  h.update((d) => { d.title = 'y'; });
  assert.equal(h.canRedo, false);
});

test('reset starts a new history and notifies subscribers', () => {
  const { h } = setup();
  let calls = 0;
  h.subscribe(() => calls++);
  h.update((d) => { d.title = 'x'; });
  h.reset({ nodes: [], title: 'new' });
  assert.equal(calls, 2);
  assert.equal(h.canUndo, false);
  assert.equal(h.get().title, 'new');
});
