import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacheIndex, artifactHashes } from '../../../runtime/store/cache-index.ts';

const HASH = 'a'.repeat(64);

function withDir(f: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-cache-'));
  try {
    f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('entries survive a reload; a torn last line from a crash is ignored', () => {
  withDir((dir) => {
    const a = new CacheIndex(dir);
    a.set('k1', { value: 1 });
    a.set('k2', { file: { $artifact: HASH, mime: 'image/png', size: 3 } });
    a.flush();
    appendFileSync(a.file, '{"k":"k3","o":{"val'); // the process died mid-append
    const b = new CacheIndex(dir);
    assert.deepEqual(b.get('k1')?.outputs, { value: 1 });
    assert.deepEqual(b.get('k2')?.artifacts, [HASH]);
    assert.equal(b.get('k3'), undefined);
    assert.equal(b.size, 2);
  });
});

test('deletes persist, and an overwritten key keeps its newest outputs', () => {
  withDir((dir) => {
    const a = new CacheIndex(dir);
    a.set('k', { value: 1 });
    a.set('k', { value: 2 });
    a.set('gone', { value: 3 });
    a.delete('gone');
    a.flush();
    const b = new CacheIndex(dir);
    assert.deepEqual(b.get('k')?.outputs, { value: 2 });
    assert.equal(b.get('gone'), undefined);
  });
});

test('past maxEntries the least recently written entries go, and the log is rewritten', () => {
  withDir((dir) => {
    const a = new CacheIndex(dir, { maxEntries: 3 });
    for (let i = 0; i < 5; i++) a.set(`k${i}`, { i });
    a.flush();
    assert.equal(a.size, 3);
    assert.equal(a.get('k0'), undefined);
    assert.equal(readFileSync(a.file, 'utf8').trim().split('\n').length, 3);
    assert.deepEqual(new CacheIndex(dir, { maxEntries: 3 }).get('k4')?.outputs, { i: 4 });
  });
});

test('artifactHashes finds references at any depth', () => {
  const ref = (c: string) => ({ $artifact: c.repeat(64), mime: 'image/png', size: 1 });
  assert.deepEqual(artifactHashes({ a: ref('1'), list: [ref('2'), { deep: ref('3') }], n: 4 }), ['1'.repeat(64), '2'.repeat(64), '3'.repeat(64)]);
  assert.deepEqual(artifactHashes({ value: 1 }), []);
});

test('a failed write keeps the entries in memory and throws nowhere', () => {
  withDir((dir) => {
    const index = new CacheIndex(join(dir, 'cache'));
    index.set('k', { value: 1 });
    rmSync(join(dir, 'cache'), { recursive: true });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      assert.doesNotThrow(() => index.flush());
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(index.get('k')?.outputs, { value: 1 });
    assert.match(index.lastWriteError!.message, /ENOENT/);
  });
});
