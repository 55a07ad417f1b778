/** The real `castgraph` bin as a child process, against a temp data folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { RunEvent } from '../../../runtime/engine/index.ts';
import { readGraphText } from '../../../runtime/graph/png-metadata.ts';
import { lavfiClip, mp4Graph, probe } from '../../support/media.ts';
import { startTestServer } from '../../support/server.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(root, 'bin/castgraph.js');
const example = join(root, 'graphs/hello-image.json');
const work = mkdtempSync(join(tmpdir(), 'castgraph-cli-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

function castgraph(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd: work, env: { ...process.env, CASTGRAPH_DATA: join(work, 'data') } }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const events = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as RunEvent);

test('validate reports a cycle, a type mismatch and a missing input, each with its path, and exits 1', async () => {
  const n = (id: string, type: string, inputs: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, inputs, position: { x: 0, y: 0 } });
  const e = (id: string, from: string, fromPort: string, to: string, toPort: string) => ({ id, from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
  const bad = {
    format: 'castgraph.graph',
    version: 1,
    id: 'bad',
    name: 'bad',
    nodes: [n('a', 'image.resize', { width: 64 }), n('b', 'image.crop'), n('label', 'value.text', { value: 'wide' }), n('save', 'image.save')],
    edges: [e('e0', 'a', 'image', 'b', 'image'), e('e1', 'b', 'image', 'a', 'image'), e('e2', 'label', 'value', 'a', 'height')],
  };
  writeFileSync(join(work, 'bad.json'), JSON.stringify(bad));
  const { code, stdout } = await castgraph('validate', 'bad.json');
  assert.equal(code, 1, stdout);
  const lines = stdout.trim().split('\n');
  assert.ok(lines.some((l) => /cycle/i.test(l) && /\ba\b/.test(l) && /\bb\b/.test(l)), `a cycle naming a and b:\n${stdout}`);
  assert.ok(lines.some((l) => l.startsWith('edges[2]') && /`text` cannot feed `int`/.test(l)), `a type mismatch on edges[2]:\n${stdout}`);
  assert.ok(lines.some((l) => l.startsWith('nodes[3].inputs.image:')), `a missing input at nodes[3].inputs.image:\n${stdout}`);
  assert.match(lines.at(-1)!, /bad\.json: \d+ errors/);
});

test('validate accepts the example graph and `--json` prints a machine-readable verdict', async () => {
  const plain = await castgraph('validate', example);
  assert.equal(plain.code, 0, plain.stdout + plain.stderr);
  assert.match(plain.stdout, /valid/);
  const json = await castgraph('validate', example, '--json');
  assert.deepEqual(JSON.parse(json.stdout), { valid: true, errors: [], changes: [] });
});

test('nodes lists every type with its ports, as text and as JSON', async () => {
  const text = await castgraph('nodes', 'image');
  assert.equal(text.code, 0);
  assert.match(text.stdout, /image\.resize v1 {2}Resize image/);
  assert.match(text.stdout, /in {3}fit: enum = "cover" \[cover\|contain\|fill\|inside\|outside\]/);
  assert.doesNotMatch(text.stdout, /^list\./m);
  const json = await castgraph('nodes', '--json');
  const types = JSON.parse(json.stdout) as { type: string; inputs: Record<string, { type: string }> }[];
  for (const t of ['value.seed', 'list.make', 'text.template', 'image.load', 'image.save', 'flow.gate']) assert.ok(types.some((d) => d.type === t), t);
  assert.equal(types.find((d) => d.type === 'list.make')!.inputs.items!.type, 'list<any>');
});

test('run --json --out streams events and writes the outputs; a second run is served from the cache', async () => {
  const first = await castgraph('run', example, '--json', '--out', 'out', '--input', 'size=240', '--set', 'save.name=thumb');
  assert.equal(first.code, 0, first.stderr);
  const stream = events(first.stdout);
  assert.equal(stream[0]!.type, 'run.started');
  assert.equal(stream.at(-1)!.type, 'run.succeeded');
  assert.equal(stream.filter((e) => e.type === 'node.succeeded').length, 8);
  const summary = JSON.parse(readFileSync(join(work, 'out/outputs.json'), 'utf8'));
  assert.equal(summary.caption, 'A 192×192 crop of a 240px gradient from #1e3a8a to #f59e0b.');
  assert.equal(summary.image.name, 'thumb.png');
  const meta = await sharp(join(work, 'out/image.png')).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 192, 192]);
  // The PNG carries the graph as it ran: the file's document with the --set value applied.
  const embedded = JSON.parse(readGraphText(readFileSync(join(work, 'out/image.png')))!) as { id: string; nodes: { id: string; inputs: Record<string, unknown> }[] };
  assert.equal(embedded.id, JSON.parse(readFileSync(example, 'utf8')).id);
  assert.equal(embedded.nodes.find((n) => n.id === 'save')!.inputs.name, 'thumb');
  assert.ok(readFileSync(join(work, 'out/image.png')).length > summary.image.size, 'the ref describes the stored bytes; the file is the tagged copy');

  const again = await castgraph('run', example, '--json', '--input', 'size=240', '--set', 'save.name=thumb');
  const cached = events(again.stdout);
  assert.equal(cached.filter((e) => e.type === 'node.cached').length, 8, 'every node reused across processes');
  assert.equal(cached.filter((e) => e.type === 'node.started').length, 0);
});

test('run --input uploads a local photo: image.load turns it upright and --out writes it back', async () => {
  const photo = join(work, 'phone.jpg');
  await sharp({ create: { width: 60, height: 30, channels: 3, background: '#336699' } }).jpeg().withMetadata({ orientation: 6 }).toFile(photo);
  const graph = {
    format: 'castgraph.graph',
    version: 1,
    id: 'upright',
    name: 'upright',
    nodes: [{ id: 'load', type: 'image.load', typeVersion: 1, inputs: {}, position: { x: 0, y: 0 } }],
    edges: [],
    inputs: [{ name: 'photo', node: 'load', port: 'file' }],
    outputs: [
      { name: 'upright', node: 'load', port: 'image' },
      { name: 'width', node: 'load', port: 'width' },
    ],
  };
  writeFileSync(join(work, 'upright.json'), JSON.stringify(graph));
  const { code, stdout, stderr } = await castgraph('run', 'upright.json', '--input', 'photo=phone.jpg', '--out', 'upright-out');
  assert.equal(code, 0, stdout + stderr);
  const meta = await sharp(join(work, 'upright-out/upright.png')).metadata();
  assert.deepEqual([meta.width, meta.height, meta.orientation], [30, 60, undefined]);
  assert.equal(JSON.parse(readFileSync(join(work, 'upright-out/outputs.json'), 'utf8')).width, 30);
});

test('run --out writes an MP4 output carrying the graph as it ran in its metadata', async () => {
  await lavfiClip(join(work, 'clip.mp4'));
  // A graph input passed straight to a graph output: the clip comes back out as a run output.
  const port = { node: 'clip', port: 'value' };
  const graph = { format: 'castgraph.graph', version: 1, id: 'clip-pass', name: 'Clip pass', inputs: [{ name: 'clip', ...port }], outputs: [{ name: 'clip', ...port }],
    nodes: [{ id: 'clip', type: 'value.json', typeVersion: 1, inputs: {}, position: { x: 0, y: 0 } }] };
  writeFileSync(join(work, 'clip.json'), JSON.stringify(graph));
  const { code, stdout, stderr } = await castgraph('run', 'clip.json', '--input', 'clip=clip.mp4', '--out', 'clip-out');
  assert.equal(code, 0, stdout + stderr);
  assert.deepEqual(JSON.parse((await mp4Graph(readFileSync(join(work, 'clip-out/clip.mp4'))))!), graph);
  const probed = await probe(join(work, 'clip-out/clip.mp4'));
  assert.deepEqual(JSON.parse(probed.tags['castgraph.graph']!), graph, 'ffprobe reads it too');
  assert.deepEqual([probed.codec, probed.frames], ['h264', 10]);
});

test('a random seed (-1) is recorded in run.started and --seed replays it', async () => {
  const graph = {
    format: 'castgraph.graph',
    version: 1,
    id: 'seeded',
    name: 'seeded',
    nodes: [{ id: 'seed', type: 'value.seed', typeVersion: 1, inputs: { value: -1 }, position: { x: 0, y: 0 } }],
    outputs: [{ name: 'seed', node: 'seed', port: 'value' }],
  };
  writeFileSync(join(work, 'seeded.json'), JSON.stringify(graph));
  const first = events((await castgraph('run', 'seeded.json', '--json')).stdout);
  const started = first[0] as Extract<RunEvent, { type: 'run.started' }>;
  const drawn = started.seeds['seed.value']!;
  assert.ok(Number.isInteger(drawn) && drawn >= 0);
  assert.equal((first.at(-1) as Extract<RunEvent, { type: 'run.succeeded' }>).outputs.seed, drawn);
  const replay = events((await castgraph('run', 'seeded.json', '--json', '--seed', `seed.value=${drawn === 7 ? 8 : 7}`)).stdout);
  assert.equal((replay.at(-1) as Extract<RunEvent, { type: 'run.succeeded' }>).outputs.seed, drawn === 7 ? 8 : 7);
});

test('run without a TTY prints plain lines; --target runs only what the target needs', async () => {
  const { code, stdout } = await castgraph('run', example, '--target', 'caption', '--input', 'to=#000000');
  assert.equal(code, 0, stdout);
  assert.doesNotMatch(stdout, /\x1b\[/);
  assert.match(stdout, /✓ caption \(text\.template\)/);
  assert.match(stdout, /run succeeded/);
  assert.doesNotMatch(stdout, /image\.save/);
});

test('a failing node exits 3 with its message; a bad graph input exits 1', async () => {
  const failed = await castgraph('run', example, '--set', 'crop.left=100');
  assert.equal(failed.code, 3, failed.stdout);
  assert.match(failed.stdout, /✗ crop \(image\.crop\) {2}failed: inputs\.width: left 100 \+ width 192 = 292 reaches past the right edge/);
  const unknown = await castgraph('run', example, '--input', 'nope=1');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stdout, /inputs\.nope: the graph has no input named "nope"/);
});

test('usage errors exit 2 with the command usage: unknown flag, missing file, unknown node, bad seed', async () => {
  const cases = [
    [['run', example, '--bogus'], /Unknown option '--bogus'/],
    [['run', 'missing.json'], /cannot read missing\.json: ENOENT/],
    [['run', example, '--set', 'ghost.value=1'], /the graph has no node "ghost"/],
    [['run', example, '--seed', 'size.value=-3'], /the seed must be a whole number >= 0/],
    [['run', example, '--input', 'from=photo.jpg'], /no such file photo\.jpg/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ] as const;
  for (const [args, message] of cases) {
    const { code, stderr } = await castgraph(...args);
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr, message);
  }
  assert.ok(!existsSync(join(work, 'out-bad')));
});

test('run --server runs on a real server with the same events, display and --out files', async (t) => {
  const server = await startTestServer();
  t.after(() => server.close());
  const { code, stdout, stderr } = await castgraph('run', example, '--server', server.url, '--json', '--out', 'remote-out', '--input', 'size=220');
  assert.equal(code, 0, stderr);
  const stream = events(stdout);
  assert.equal(stream.at(-1)!.type, 'run.succeeded');
  assert.ok(stream.some((e) => e.type === 'node.succeeded' && e.nodeId === 'save'));
  const summary = JSON.parse(readFileSync(join(work, 'remote-out/outputs.json'), 'utf8'));
  assert.equal(summary.caption, 'A 192×192 crop of a 220px gradient from #1e3a8a to #f59e0b.');
  const meta = await sharp(join(work, 'remote-out/image.png')).metadata();
  assert.deepEqual([meta.format, meta.width], ['png', 192]);
});
