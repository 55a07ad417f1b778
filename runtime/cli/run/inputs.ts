/** `--input name=value`: a path to an existing file becomes an upload, anything else a JSON or text value. */
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UsageError } from '../command.ts';
import { parseFlagValue, splitNamed } from '../graph-file.ts';
import type { InputValue } from './source.ts';
import { mimeOf } from '../../store/media-types.ts';

/** Looks like someone meant a file: has a folder separator or a file extension. */
const PATH_LIKE = /[\\/]|\.[A-Za-z0-9]{2,12}$/;

export function parseInputs(flags: string[], cwd: string): Record<string, InputValue> {
  const inputs: Record<string, InputValue> = {};
  for (const raw of flags) {
    const { name, value } = splitNamed('--input', raw);
    if (name in inputs) throw new UsageError(`--input ${name} is given twice`);
    const path = resolve(cwd, value);
    const isFile = (() => {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    })();
    if (isFile) {
      inputs[name] = { file: path, mime: mimeOf(path), name: basename(path) };
      continue;
    }
    const parsed = parseFlagValue(value);
    // A typo in a file name must not silently become the text "photo.jpg".
    if (typeof parsed === 'string' && PATH_LIKE.test(value)) throw new UsageError(`--input ${raw}: no such file ${value}`);
    inputs[name] = { value: parsed };
  }
  return inputs;
}
