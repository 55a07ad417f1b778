import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ArtifactStore, ArtifactTooLargeError } from '../../../runtime/store/artifact-store.ts';

async function withStore(f: (store: ArtifactStore, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-store-'));
  try {
    await f(new ArtifactStore(join(dir, 'store')), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('files are named by the sha256 of their bytes; the same bytes are stored once', () =>
  withStore(async (store) => {
    const bytes = new TextEncoder().encode('castgraph');
    const ref = await store.put(bytes, { mime: 'text/plain', name: 'a.txt' });
    assert.equal(ref.$artifact, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(ref.size, bytes.length);
    assert.deepEqual(Buffer.from(await store.get(ref)), Buffer.from(bytes));
    assert.deepEqual(await store.put(bytes, { mime: 'text/plain', name: 'a.txt' }), ref);
    assert.equal((await store.meta(ref.$artifact))?.mime, 'text/plain');
  }));

test('putFile and putStream hash while copying; the stream limit refuses and leaves nothing behind', () =>
  withStore(async (store, dir) => {
    const file = join(dir, 'in.bin');
    writeFileSync(file, Buffer.alloc(1000, 7));
    const fromFile = await store.putFile(file, { mime: 'application/octet-stream' });
    const fromStream = await store.putStream(Readable.from([Buffer.alloc(1000, 7)]), { mime: 'application/octet-stream' });
    assert.equal(fromFile.$artifact, fromStream.$artifact);
    await assert.rejects(store.putStream(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { mime: 'x/y' }, 1000), ArtifactTooLargeError);
    assert.deepEqual(readdirSync(join(store.root, 'tmp')), [], 'no partial file is left in the store');
  }));

test('only sha256 hashes name artifacts: no path can reach outside the store', () =>
  withStore(async (store) => {
    for (const bad of ['../../etc/passwd', 'a'.repeat(63), 'A'.repeat(64), '']) assert.throws(() => store.path(bad), /not an artifact hash/);
    assert.equal(await store.has('b'.repeat(64)), false);
  }));
