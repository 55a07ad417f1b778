/**
 * SafeZip's entry reader: stored and deflated entries come back byte for byte, and entries whose bytes
 * disagree with the directory (size, CRC-32, a cap) are refused with a reason instead of being returned.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SafeZip } from '../../../nodes/dataset.ingest_zip/zip.ts';
import { buildZip, type RawEntry } from './zip-writer.ts';

const LIMITS = { maxEntries: 100, maxTotalBytes: 1 << 30, maxRatio: 1000, maxEntryBytes: 1 << 26 };

async function withZip(bytes: Buffer, fn: (zip: SafeZip) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'castgraph-zip-'));
  const path = join(dir, 'a.zip');
  writeFileSync(path, bytes);
  const zip = await SafeZip.open(path, bytes.length, LIMITS);
  try {
    await fn(zip);
  } finally {
    await zip.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const entryNamed = (zip: SafeZip, name: string) => zip.entries.find((e) => e.verdict.name === name)!.entry;

test('stored and deflated entries are read whole, in any order and in parallel', async () => {
  const photos: RawEntry[] = [
    { name: 'a.jpg', data: randomBytes(3 * 1024 * 1024 + 17), method: 0 },
    { name: 'b.jpg', data: Buffer.alloc(200_000, 'castgraph '), method: 8 },
    { name: 'c.png', data: randomBytes(70_000), method: 8 },
    { name: 'empty.webp', data: Buffer.alloc(0), method: 0 },
  ];
  await withZip(buildZip(photos), async (zip) => {
    const read = await Promise.all([...photos].reverse().map((p) => zip.read(entryNamed(zip, p.name), LIMITS.maxEntryBytes)));
    read.reverse().forEach((bytes, i) => assert.ok(bytes.equals(photos[i].data), photos[i].name));
  });
});

test('an entry over the byte cap is refused, whatever its header claims', async () => {
  const data = Buffer.alloc(2 * 1024 * 1024, 1);
  const zip = buildZip([{ name: 'a.jpg', data, method: 8 }]);
  // The directory claims 1 KB uncompressed; the deflated body holds 2 MB.
  const cd = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt32LE(1024, cd + 24);
  await withZip(zip, async (z) => {
    await assert.rejects(() => z.read(entryNamed(z, 'a.jpg'), 1024 * 1024), /entry is larger than 1048576 bytes/);
    await assert.rejects(() => z.read(entryNamed(z, 'a.jpg'), 4 * 1024 * 1024), /entry holds 2097152 bytes, its header says 1024/);
  });
  await withZip(buildZip([{ name: 'a.jpg', data, method: 0 }]), async (z) => {
    await assert.rejects(() => z.read(entryNamed(z, 'a.jpg'), 1024 * 1024), /entry is larger than 1048576 bytes/);
  });
});

test('damaged entries are refused with the reason: CRC-32, broken deflate data, bad local header, unknown method', async () => {
  const data = randomBytes(50_000);
  const crc = buildZip([{ name: 'a.jpg', data, method: 0 }]);
  crc[30 + 'a.jpg'.length + 1000] ^= 0xff;
  await withZip(crc, async (z) => assert.rejects(() => z.read(entryNamed(z, 'a.jpg'), 1 << 20), /CRC-32 mismatch/));

  const deflate = buildZip([{ name: 'a.jpg', data: Buffer.alloc(50_000, 7), method: 8 }]);
  deflate.fill(0xff, 30 + 5, 30 + 5 + 8);
  await withZip(deflate, async (z) => assert.rejects(() => z.read(entryNamed(z, 'a.jpg'), 1 << 20), /cannot inflate the entry/));

  const local = buildZip([{ name: 'a.jpg', data, method: 0 }]);
  local.writeUInt32LE(0xdeadbeef, 0);
  await withZip(local, async (z) => assert.rejects(() => z.read(entryNamed(z, 'a.jpg'), 1 << 20), /invalid local file header/));

  const method = buildZip([{ name: 'a.jpg', data, method: 0 }]);
  method.writeUInt16LE(12, method.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10); // bzip2
  await withZip(method, async (z) => assert.rejects(() => z.read(entryNamed(z, 'a.jpg'), 1 << 20), /unsupported compression method 12/));
});

test('content keys are equal exactly when the bytes are, hashing only entries whose CRC-32 and size collide', async () => {
  const a = randomBytes(40_000);
  const b = randomBytes(40_000);
  const zip = buildZip([
    { name: 'a.jpg', data: a },
    { name: 'a-again.jpg', data: a, method: 0 },
    { name: 'b.jpg', data: b },
    { name: 'forged.jpg', data: randomBytes(40_000) },
  ]);
  // forged.jpg's directory entry claims b.jpg's CRC-32: the pair collides, so only SHA-256 can tell them apart.
  const centrals = [...zip.toString('latin1').matchAll(/PK\x01\x02/g)].map((m) => m.index!);
  zip.writeUInt32LE(zip.readUInt32LE(centrals[2] + 16), centrals[3] + 16);
  await withZip(zip, async (z) => {
    const key = async (name: string, bytes?: Buffer) => {
      const entry = entryNamed(z, name);
      return z.contentKey(entry, bytes ?? (await z.read(entry, 1 << 20)));
    };
    const [ka, kaa, kb] = await Promise.all([key('a.jpg'), key('a-again.jpg'), key('b.jpg')]);
    assert.equal(ka, kaa);
    assert.match(ka, /^sha256:[0-9a-f]{64}$/);
    assert.notEqual(kb, await key('forged.jpg', randomBytes(40_000)));
    assert.match(kb, /^sha256:/);
  });
  await withZip(buildZip([{ name: 'a.jpg', data: a }, { name: 'b.jpg', data: b }]), async (z) => {
    assert.match(z.contentKey(entryNamed(z, 'a.jpg'), a), /^crc32:[0-9a-f]+:40000$/, 'a unique entry is not hashed');
  });
});
