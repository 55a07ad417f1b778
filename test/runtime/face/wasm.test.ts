/** The committed WebAssembly modules are exactly what their WAT sources assemble to. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WASM_DIR, assemble, moduleSource, watSources } from '../../../runtime/face/wasm/build.ts';

test('every .wasm.ts module is current with its .wat source (npm run build:wasm rebuilds them)', async () => {
  const names = watSources();
  assert.ok(names.includes('letterbox'));
  for (const name of names) {
    const binary = await assemble(`${name}.wat`, readFileSync(join(WASM_DIR, `${name}.wat`), 'utf8'));
    assert.ok(WebAssembly.validate(binary), `${name}.wat does not assemble to a valid module`);
    const committed = readFileSync(join(WASM_DIR, `${name}.wasm.ts`), 'utf8');
    assert.equal(committed, moduleSource(name, binary), `${name}.wasm.ts is stale: run npm run build:wasm`);
  }
});

test('a WAT error is reported with its line', async () => {
  await assert.rejects(assemble('broken.wat', '(module\n  (func (export "f") (result i32) (i32.add (i32.const 1))))'), /broken\.wat:2/);
});
