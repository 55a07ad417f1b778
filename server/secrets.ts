/**
 * What the server shows of secrets and URLs. The masking rule itself is the engine's
 * (runtime/engine/secrets.ts), so nodes, logs and run records mask alike.
 */
export { MIN_SECRET_LENGTH, secretMasker } from '../runtime/engine/secrets.ts';

/**
 * A URL as it may be shown: credentials and query values (API keys travel there) replaced by `***`,
 * the fragment dropped. The real URL stays server-side.
 */
export function maskUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return '[unparsable URL]';
  }
  const query = [...u.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=***`).join('&');
  return `${u.protocol}//${u.username || u.password ? '***@' : ''}${u.host}${u.pathname}${query ? `?${query}` : ''}`;
}
