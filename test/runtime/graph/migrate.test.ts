import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeRegistry, loadDocument, migrateDocument, type DocumentMigration } from '../../../runtime/graph/index.ts';
import { graph, loadImage, registry, resize } from './node-types.ts';

/** A version-0 document stored edges as `links: [[from, fromPort, to, toPort]]`. */
const v0ToV1: DocumentMigration = {
  from: 0,
  to: 1,
  description: 'links became edges with named ends',
  migrate(doc) {
    const { links, ...rest } = doc as { links: [string, string, string, string][] };
    return { ...rest, edges: links.map(([a, p, b, q], i) => ({ id: `l${i}`, from: { node: a, port: p }, to: { node: b, port: q } })) };
  },
};

function v0() {
  return {
    format: 'castgraph.graph', version: 0, id: 'old', name: 'old', keep: 'me',
    nodes: [
      { id: 'n', type: 't.number', typeVersion: 1, inputs: { value: 2 } },
      { id: 's', type: 't.add', typeVersion: 1, inputs: {} },
      {
        id: 'sub', type: 'flow.subgraph', typeVersion: 1,
        graph: { format: 'castgraph.graph', version: 0, id: 'b', name: 'b', nodes: [{ id: 'x', type: 't.add', typeVersion: 1, inputs: { a: 1 } }], links: [] },
      },
    ],
    links: [['n', 'value', 's', 'a']],
  };
}

test('the document chain upgrades every level, reports each step and keeps unknown fields', () => {
  const input = v0();
  const { doc, changes, errors } = loadDocument(input, registry(), { documentMigrations: [v0ToV1] });
  assert.deepEqual(errors, []);
  assert.equal(doc!.version, 1);
  assert.deepEqual(doc!.edges, [{ id: 'l0', from: { node: 'n', port: 'value' }, to: { node: 's', port: 'a' } }]);
  assert.equal(doc!.nodes[2]!.graph!.version, 1);
  assert.equal(doc!.keep, 'me');
  assert.deepEqual(changes, [
    'The document upgraded from format version 0 to 1: links became edges with named ends',
    'The body at nodes[2].graph upgraded from format version 0 to 1: links became edges with named ends',
  ]);
  assert.deepEqual(input, v0(), 'the caller\'s object is not modified');
});

test('migrateDocument returns a current document itself, untouched and uncopied', () => {
  const current = graph([{ id: 'n', type: 't.number' }]);
  const report = { changes: [], errors: [] };
  assert.equal(migrateDocument(current, report, [v0ToV1]), current);
  assert.deepEqual(report, { changes: [], errors: [] });
});

test('steps chain in order up to the current version', () => {
  const v1ToV3: DocumentMigration = { from: 1, to: 3, description: 'meta became settings', migrate: ({ meta, ...rest }) => ({ ...rest, settings: meta }) };
  const report = { changes: [] as string[], errors: [] };
  const out = migrateDocument({ ...v0(), meta: { a: 1 } }, report, [v1ToV3, v0ToV1], 3);
  assert.equal(out.version, 3);
  assert.deepEqual(out.settings, { a: 1 });
  assert.ok(Array.isArray(out.edges) && !('links' in out));
  assert.deepEqual(report.changes.slice(0, 2), [
    'The document upgraded from format version 0 to 1: links became edges with named ends',
    'The document upgraded from format version 1 to 3: meta became settings',
  ]);
  assert.deepEqual(report.errors, []);
});

test('a newer document, a missing step and a failing step are clear errors', () => {
  const newer = loadDocument({ ...graph([]), version: 2 }, registry());
  assert.equal(newer.doc, undefined);
  assert.equal(newer.errors[0]!.code, 'unsupported_version');
  assert.equal(newer.errors[0]!.path, 'version');
  assert.match(newer.errors[0]!.message, /format version 2, newer than this Castgraph supports \(1\): update Castgraph/);

  const nestedNewer = graph([{ id: 'sub', type: 'flow.subgraph', graph: { ...graph([]), version: 5 } }]);
  assert.equal(loadDocument(nestedNewer, registry()).errors[0]!.path, 'nodes[0].graph.version');

  const missing = loadDocument(v0(), registry());
  assert.equal(missing.errors[0]!.code, 'migration_missing');
  assert.match(missing.errors[0]!.message, /No migration upgrades the document from format version 0/);

  const broken: DocumentMigration = { ...v0ToV1, migrate: () => { throw new Error('links are not a list'); } };
  const failed = loadDocument(v0(), registry(), { documentMigrations: [broken] });
  assert.equal(failed.errors[0]!.code, 'migration_failed');
  assert.match(failed.errors[0]!.message, /from format version 0 to 1 failed: links are not a list/);

  assert.match(loadDocument({ ...graph([]), version: 'one' }, registry()).errors[0]!.message, /`version` must be the document format version, a whole number/);
});

test('a node type chain renames inputs and outputs everywhere, then migrates values, one step at a time', () => {
  const body = graph(
    [
      { id: 'img', type: 't.image', inputs: { path: 'a.png' } },
      { id: 'r', type: 't.resize', typeVersion: 1, inputs: { w: 64, scale: 50 }, map: ['w'] },
    ],
    [['img', 'image', 'r', 'image']],
    { inputs: [{ name: 'height', node: 'r', port: 'h' }], outputs: [{ name: 'out', node: 'r', port: 'img' }] },
  );
  const doc0 = graph([{ id: 'sub', type: 'flow.subgraph', graph: body }]);
  const { doc, changes } = loadDocument(doc0, registry());
  const r = doc!.nodes[0]!.graph!.nodes[1]!;
  assert.equal(r.typeVersion, 3);
  assert.deepEqual(r.inputs, { width: 64, scale: 0.5 });
  assert.deepEqual(r.map, ['width']);
  const inner = doc!.nodes[0]!.graph!;
  assert.deepEqual(inner.inputs[0], { name: 'height', node: 'r', port: 'height' });
  assert.deepEqual(inner.outputs[0], { name: 'out', node: 'r', port: 'image' });
  assert.deepEqual(changes, [
    'nodes[0].graph.nodes[1] (t.resize) upgraded from v1 to v2: renamed input w → width; renamed input h → height; renamed output img → image; inputs and output renamed',
    'nodes[0].graph.nodes[1] (t.resize) upgraded from v2 to v3: scale is now a factor, not a percentage',
  ]);
});

test('edges into and out of a migrated node follow the renames', () => {
  const old = graph(
    [
      { id: 'img', type: 't.image', inputs: { path: 'a.png' } },
      { id: 'r', type: 't.resize', typeVersion: 1, inputs: { w: 8, h: 8 } },
      { id: 'r2', type: 't.resize', typeVersion: 3, inputs: { width: 4, height: 4 } },
    ],
    [['img', 'image', 'r', 'image'], ['r', 'img', 'r2', 'image']],
  );
  const { doc, errors } = loadDocument(old, registry());
  assert.deepEqual(errors, []);
  assert.deepEqual(doc!.edges[1]!.from, { node: 'r', port: 'image' });
  assert.deepEqual(doc!.edges[0]!.to, { node: 'r', port: 'image' });
});

test('unknown types load as placeholders, untouched; a missing or failing node step leaves the node whole', () => {
  const def = registry();
  const { doc, placeholders, errors } = loadDocument(graph([
    { id: 'ghost', type: 'acme.ghost', typeVersion: 9, inputs: { anything: [1, 2] } },
    { id: 'sub', type: 'flow.subgraph', graph: graph([{ id: 'inner', type: 'acme.other' }]) },
  ]), def);
  assert.deepEqual(placeholders, ['ghost', 'sub/inner']);
  assert.deepEqual(doc!.nodes[0]!.inputs, { anything: [1, 2] });
  assert.equal(doc!.nodes[0]!.typeVersion, 9);
  assert.deepEqual(errors.filter((e) => e.code === 'unknown_node_type').map((e) => e.path), ['nodes[0].type', 'nodes[1].graph.nodes[0].type']);

  const tooNew = loadDocument(graph([{ id: 'r', type: 't.resize', typeVersion: 4, inputs: { width: 1, height: 1 } }]), def);
  assert.equal(tooNew.errors[0]!.code, 'node_version_too_new');
  assert.match(tooNew.errors[0]!.message, /version 4, newer than the installed t\.resize \(version 3\)/);

  const throwing = { from: 2, description: 'x', migrate: () => { throw new Error('scale is corrupt'); } };
  const failing = new NodeRegistry([loadImage, { ...resize, migrations: [resize.migrations[0]!, throwing] }]);
  const half = loadDocument(graph([{ id: 'r', type: 't.resize', typeVersion: 1, inputs: { w: 5, h: 6 } }]), failing);
  assert.equal(half.doc!.nodes[0]!.typeVersion, 2, 'the first step is kept');
  assert.deepEqual(half.doc!.nodes[0]!.inputs, { width: 5, height: 6 });
  assert.match(half.errors.find((e) => e.code === 'migration_failed')!.message, /nodes\[0\] \(t\.resize\) from version 2 to 3 failed: scale is corrupt/);

  const gappy = new NodeRegistry([{ ...resize, migrations: [resize.migrations[0]!] }]);
  const gap = loadDocument(graph([{ id: 'r', type: 't.resize', typeVersion: 2, inputs: { width: 5, height: 6 } }]), gappy);
  assert.match(gap.errors.find((e) => e.code === 'migration_missing')!.message, /has no migration from version 2/);
});
