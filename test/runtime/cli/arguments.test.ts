/** The flag parsers behind `run`: --set, --input, --seed targets and values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applySets, parseFlagValue, splitAssignment } from '../../../runtime/cli/graph-file.ts';
import { parseInputs } from '../../../runtime/cli/run/inputs.ts';
import { UsageError } from '../../../runtime/cli/command.ts';
import { dataPaths } from '../../../runtime/paths.ts';

test('flag values are JSON when they parse, else text', () => {
  assert.equal(parseFlagValue('3'), 3);
  assert.equal(parseFlagValue('true'), true);
  assert.deepEqual(parseFlagValue('[1,"a"]'), [1, 'a']);
  assert.equal(parseFlagValue('"7"'), '7');
  assert.equal(parseFlagValue('a photo of Ada'), 'a photo of Ada');
  assert.equal(parseFlagValue('#ff0000'), '#ff0000');
});

test('node.port=value splits on the last dot, since node ids may hold dots and ports may not', () => {
  assert.deepEqual(splitAssignment('--set', 'face.v2.threshold=0.5=x'), { node: 'face.v2', port: 'threshold', value: '0.5=x' });
  for (const bad of ['nodot=1', 'node.=1', '.port=1', 'node.port']) assert.throws(() => splitAssignment('--set', bad), UsageError, bad);
});

test('--set edits the raw document and names a node that does not exist', () => {
  const doc = { nodes: [{ id: 'a', inputs: { keep: 1 } }, { id: 'b' }] };
  applySets(doc, ['a.width=512', 'b.name=hello']);
  assert.deepEqual(doc.nodes, [{ id: 'a', inputs: { keep: 1, width: 512 } }, { id: 'b', inputs: { name: 'hello' } }]);
  assert.throws(() => applySets(doc, ['zz.width=1']), /--set zz\.width=1: the graph has no node "zz"/);
  assert.throws(() => applySets({}, ['a.b=1']), /no `nodes` list/);
});

test('--input uploads existing files with a mime type, parses other values, and refuses a missing file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-args-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'face.JPG'), 'x');
  const inputs = parseInputs(['photo=face.JPG', 'size=320', 'prompt=a portrait', 'tags=["a"]'], dir);
  assert.deepEqual(inputs, {
    photo: { file: join(dir, 'face.JPG'), mime: 'image/jpeg', name: 'face.JPG' },
    size: { value: 320 },
    prompt: { value: 'a portrait' },
    tags: { value: ['a'] },
  });
  assert.throws(() => parseInputs(['photo=missing.jpg'], dir), /--input photo=missing\.jpg: no such file missing\.jpg/);
  assert.throws(() => parseInputs(['a=1', 'a=2'], dir), /--input a is given twice/);
  assert.throws(() => parseInputs(['=1'], dir), /expected name=value/);
});

test('the data folder is $CASTGRAPH_DATA, else .castgraph in the working folder', () => {
  assert.deepEqual(dataPaths({}, '/srv/app'), { root: '/srv/app/.castgraph', artifacts: '/srv/app/.castgraph/artifacts', cache: '/srv/app/.castgraph/cache' });
  assert.equal(dataPaths({ CASTGRAPH_DATA: 'data' }, '/srv/app').root, '/srv/app/data');
  assert.equal(dataPaths({ CASTGRAPH_DATA: '/var/cg' }, '/srv/app').cache, '/var/cg/cache');
});
