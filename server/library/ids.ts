/** Ids that name files in the data directory: validated before any path is built, so none can walk out of it. */
import { ApiError } from '../http/errors.ts';

export const LIBRARY_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function checkId(id: string, what: string, pattern: RegExp = LIBRARY_ID): string {
  if (!pattern.test(id)) throw new ApiError('not_found', `${what} ${JSON.stringify(id.slice(0, 80))} does not exist (ids are 1-64 letters, digits, '_' or '-')`);
  return id;
}

/** A readable id from a name (`Portrait batch!` → `portrait-batch`), suffixed to be unique. */
export function slugId(name: string, taken: (id: string) => boolean): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'graph';
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}-${i}`)) return `${base}-${i}`;
}
