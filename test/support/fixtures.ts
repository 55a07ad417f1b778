/**
 * Locates the shared test fixtures: `$CASTGRAPH_FIXTURES`, else `<repo>/../shared/fixtures`. When they are
 * missing a test skips with a message saying how to provide them, unless CASTGRAPH_REQUIRE_FIXTURES=1 (CI),
 * where a missing fixture is a failure.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const FIXTURES = process.env.CASTGRAPH_FIXTURES ? resolve(process.env.CASTGRAPH_FIXTURES) : resolve(REPO, '..', 'shared', 'fixtures');
export const FACES = join(FIXTURES, 'faces');
export const FACE_MODELS = join(FACES, 'models');
export const FACE_IMAGES = join(FACES, 'images');

/**
 * `false` when the fixture folder is there; otherwise the skip message for node:test's `skip` option.
 * Throws instead when CASTGRAPH_REQUIRE_FIXTURES=1.
 */
export function fixturesMissing(sub = 'faces'): false | string {
  const dir = join(FIXTURES, sub);
  if (existsSync(dir)) return false;
  const msg = `fixtures not found at ${dir}; set CASTGRAPH_FIXTURES to the folder that holds faces/ (shared/fixtures)`;
  if (process.env.CASTGRAPH_REQUIRE_FIXTURES === '1') throw new Error(msg);
  return msg;
}

export function faceImage(name: string): string {
  return join(FACE_IMAGES, name);
}
