/**
 * Files written under a temporary name in the same folder and renamed into place, so a crash or a failed
 * write never leaves a half-written file under the real name (a rename within a folder is atomic).
 * One place for it: the cache index, run records, the graph library, artifacts' indexes and `--out` all use it.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

function tmpBeside(file: string): string {
  return join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
}

/** Runs `write` against a temporary file beside `target`, then renames it into place; on failure the temporary file goes. */
export async function writeAtomically(target: string, write: (tmp: string) => Promise<unknown>): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = tmpBeside(target);
  try {
    await write(tmp);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  return writeAtomically(file, (tmp) => writeFile(tmp, data));
}

export function writeFileAtomicSync(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = tmpBeside(file);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  return writeFileAtomic(file, JSON.stringify(value));
}

export function writeJsonAtomicSync(file: string, value: unknown): void {
  writeFileAtomicSync(file, JSON.stringify(value));
}

/** The parsed JSON of a file, or undefined when there is none. */
export function readJsonSync<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
