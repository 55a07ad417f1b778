/**
 * Hostile archives built in code, each with its documented outcome; nothing is written outside the workspace.
 * Face detection is off here, so these run without the model fixtures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import ingest from '../../../nodes/dataset.ingest_zip/index.ts';
import { makeNodeContext } from '../../support/node-context.ts';
import { buildZip, pngHeaderOnly, type RawEntry } from './zip-writer.ts';

/** A synthetic photo with edges (so it is sharp) that differs per seed. */
async function picture(seed: number, width = 900, height = 700): Promise<Buffer> {
  const shapes = Array.from({ length: 12 }, (_, i) => {
    const x = (seed * 97 + i * 151) % width, y = (seed * 53 + i * 89) % height, r = 30 + ((seed + i * 7) % 60);
    return `<circle cx="${x}" cy="${y}" r="${r}" fill="rgb(${(seed * 40 + i * 20) % 255},${(i * 60) % 255},${(seed * 90) % 255})"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#ddd"/>${shapes}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toBuffer();
}

async function run(entries: RawEntry[], inputs: Record<string, unknown> = {}) {
  const t = makeNodeContext();
  const archive = await t.store.put(buildZip(entries), { mime: 'application/zip', name: 'photos.zip' });
  const before = readdirSync(t.dir);
  const cleanup = () => t.cleanup();
  try {
    const out = (await ingest.run(t.ctx, { archive, faces: 'off', resolution: '512', ...inputs })) as {
      dataset: { items: { image: { $artifact: string; width: number; height: number }; caption: string; source: string }[] };
      report: { summary: Record<string, number>; items: { name: string; status: string; reason?: string; width?: number; height?: number; thumbnail?: unknown }[] };
    };
    // Only the artifact store (and its tmp) may have changed; every stored file is named by its hash.
    assert.deepEqual(readdirSync(t.dir), before);
    for (const sub of readdirSync(t.store.root)) {
      if (sub === 'tmp') assert.deepEqual(readdirSync(join(t.store.root, sub)), []);
      else for (const f of readdirSync(join(t.store.root, sub))) assert.match(f, /^[0-9a-f]{64}(\.json)?$/);
    }
    return { out, byName: Object.fromEntries(out.report.items.map((r) => [r.name, r])), t, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

test('escaping, absolute, symlink and encrypted entries are refused; junk and non-images skipped; the good photo kept', async () => {
  const good = await picture(1);
  const { out, byName, t, cleanup } = await run([
    { name: 'good.jpg', data: good },
    { name: '../../evil.jpg', data: good },
    { name: '/tmp/castgraph-evil.jpg', data: good },
    { name: 'link.jpg', data: Buffer.from('/etc/passwd'), unixMode: 0o120777 },
    { name: 'secret.jpg', data: good, flags: 1 },
    { name: '__MACOSX/._good.jpg', data: Buffer.from('apple double') },
    { name: '.DS_Store', data: Buffer.from('x') },
    { name: 'notes.txt', data: Buffer.from('hello') },
    { name: 'folder/', data: Buffer.alloc(0), method: 0 },
  ]);
  try {
    assert.equal(byName['good.jpg'].status, 'kept');
    assert.match(byName['../../evil.jpg'].reason!, /escapes the archive folder/);
    assert.equal(byName['../../evil.jpg'].status, 'refused');
    assert.match(byName['/tmp/castgraph-evil.jpg'].reason!, /escapes the archive folder/);
    assert.equal(byName['link.jpg'].status, 'refused');
    assert.equal(byName['link.jpg'].reason, 'symbolic link');
    assert.equal(byName['secret.jpg'].reason, 'encrypted entry');
    assert.match(byName['__MACOSX/._good.jpg'].reason!, /archive junk/);
    assert.match(byName['.DS_Store'].reason!, /archive junk/);
    assert.match(byName['notes.txt'].reason!, /not an image/);
    assert.equal(byName['folder/'], undefined, 'folders are not photos');
    assert.deepEqual(out.report.summary, { entries: 8, kept: 1, dropped: 0, skipped: 3, refused: 4 });
    assert.equal(out.dataset.items.length, 1);
    assert.equal(out.dataset.items[0].image.width, 512);
    assert.ok(await t.store.has(out.dataset.items[0].image.$artifact));
    assert.ok(!existsSync(join(t.dir, '..', '..', 'evil.jpg')) && !existsSync('/tmp/castgraph-evil.jpg'));
  } finally {
    cleanup();
  }
});

test('corrupt JPEG and a 30000x30000 PNG header are reported, not decoded; the rest go on', async () => {
  const good = await picture(2);
  const corrupt = Buffer.concat([good.subarray(0, 600), Buffer.alloc(2000, 0x5a)]);
  const { byName, out, cleanup } = await run([
    { name: 'a.jpg', data: good },
    { name: 'broken.jpg', data: corrupt },
    { name: 'huge.png', data: pngHeaderOnly(30000, 30000) },
    { name: 'garbage.jpg', data: Buffer.from('this is not a jpeg at all') },
  ]);
  try {
    assert.equal(byName['a.jpg'].status, 'kept');
    assert.equal(byName['broken.jpg'].status, 'skipped');
    assert.match(byName['broken.jpg'].reason!, /^corrupt image/);
    assert.equal(byName['huge.png'].status, 'refused');
    assert.match(byName['huge.png'].reason!, /decompression bomb refused: 30000x30000 = 900\.0 MP.*not decoded/);
    assert.match(byName['garbage.jpg'].reason!, /^corrupt image/);
    assert.equal(out.dataset.items.length, 1);
  } finally {
    cleanup();
  }
});

test('exact duplicates, near duplicates and a blurry copy are dropped with the photo they repeat', async () => {
  const a = await picture(3);
  const b = await picture(4);
  const resized = await sharp(a).resize(700).jpeg({ quality: 70 }).toBuffer();
  const blurry = await sharp(b).blur(6).jpeg().toBuffer();
  const { byName, out, cleanup } = await run([
    { name: 'a.jpg', data: a },
    { name: 'b.jpg', data: b },
    { name: 'a-copy.jpg', data: a },
    { name: 'a-small.jpg', data: resized },
    { name: 'b-blurry.jpg', data: blurry },
  ]);
  try {
    assert.equal(byName['a.jpg'].status, 'kept');
    assert.equal(byName['b.jpg'].status, 'kept');
    assert.equal(byName['a-copy.jpg'].reason, 'exact duplicate of a.jpg');
    assert.match(byName['a-small.jpg'].reason!, /^near duplicate of a\.jpg \(hash distance \d\)$/);
    assert.match(byName['b-blurry.jpg'].reason!, /^blurry: sharpness [\d.]+ is under 40/);
    assert.ok(out.report.items.every((r) => r.thumbnail), 'every decoded photo has a thumbnail');
  } finally {
    cleanup();
  }
});

test('zip bombs and overfull archives fail the node before anything is extracted', async () => {
  const t = makeNodeContext();
  try {
    const bomb = await t.store.put(buildZip([{ name: 'zeros.png', data: Buffer.alloc(30 * 1024 * 1024) }]), { mime: 'application/zip' });
    await assert.rejects(async () => ingest.run(t.ctx, { archive: bomb, faces: 'off' }), /zip bomb refused: "zeros.png" expands \d+x \(limit 100x/);
    const many = await t.store.put(buildZip(Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x') }))), { mime: 'application/zip' });
    await assert.rejects(async () => ingest.run(t.ctx, { archive: many, faces: 'off', maxEntries: 10 }), /12 entries, over the limit of 10 \(inputs\.maxEntries\)/);
    const big = await t.store.put(buildZip([{ name: 'a.bin', data: Buffer.alloc(3 * 1024 * 1024, 7), method: 0 }]), { mime: 'application/zip' });
    await assert.rejects(async () => ingest.run(t.ctx, { archive: big, faces: 'off', maxTotalMB: 2 }), /uncompressed, over the limit of 2097152 \(inputs\.maxTotalMB\)/);
    await assert.rejects(async () => ingest.run(t.ctx, { archive: { nope: 1 }, faces: 'off' }), /inputs\.archive: expected an uploaded ZIP artifact/);
    const notZip = await t.store.put(Buffer.from('plain text'), { mime: 'application/zip' });
    await assert.rejects(async () => ingest.run(t.ctx, { archive: notZip, faces: 'off' }), /inputs\.archive: not a readable ZIP archive/);
    await assert.rejects(async () => ingest.run(t.ctx, { archive: notZip, resolution: '600' }), /inputs\.resolution: expected 512, 768 or 1024/);
  } finally {
    t.cleanup();
  }
});

test('EXIF orientation is applied before cropping', async () => {
  const rotated = await sharp(await picture(5, 800, 600)).withMetadata({ orientation: 6 }).jpeg().toBuffer();
  const { byName, cleanup } = await run([{ name: 'portrait.jpg', data: rotated }]);
  try {
    assert.equal(byName['portrait.jpg'].status, 'kept');
    assert.deepEqual([byName['portrait.jpg'].width, byName['portrait.jpg'].height], [600, 800]);
  } finally {
    cleanup();
  }
});
