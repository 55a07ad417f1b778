import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJson, readJsonSync, writeAtomically, writeFileAtomicSync, writeJsonAtomic } from '../../../runtime/store/atomic-file.ts';

function withDir(f: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-atomic-'));
  return Promise.resolve(f(dir)).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('a write lands whole under its name, creating the folder, with no temporary file left', () =>
  withDir(async (dir) => {
    const file = join(dir, 'deep', 'a.json');
    await writeJsonAtomic(file, { a: 1 });
    assert.deepEqual(await readJson(file), { a: 1 });
    writeFileAtomicSync(file, '{"a":2}');
    assert.deepEqual(readJsonSync(file), { a: 2 });
    assert.deepEqual(readdirSync(join(dir, 'deep')), ['a.json']);
    assert.equal(readJsonSync(join(dir, 'missing.json')), undefined);
  }));

test('a failed write keeps the old file intact and removes the temporary one', () =>
  withDir(async (dir) => {
    const file = join(dir, 'keep.txt');
    writeFileSync(file, 'old');
    await assert.rejects(
      writeAtomically(file, async (tmp) => {
        writeFileSync(tmp, 'half');
        throw new Error('disk full');
      }),
      /disk full/,
    );
    assert.equal(readFileSync(file, 'utf8'), 'old');
    assert.deepEqual(readdirSync(dir), ['keep.txt']);
  }));
