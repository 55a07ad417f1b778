/**
 * One masking rule for the server: configured secrets of at least MIN_SECRET_LENGTH characters are masked
 * wherever text leaves the process (logs, run records, events); the config refuses shorter ones, which
 * could not be masked without mangling ordinary text. The engine's `redact` (runtime/engine/context.ts)
 * applies the same length to what nodes log and throw.
 */
export const MIN_SECRET_LENGTH = 6;

/** Masks every configured secret in a text (also in its JSON-escaped form). */
export function secretMasker(secrets: Record<string, string>): (text: string) => string {
  const values = Object.values(secrets).filter((s) => s.length >= MIN_SECRET_LENGTH);
  const forms = values.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]).filter((v, i, a) => a.indexOf(v) === i);
  if (forms.length === 0) return (t) => t;
  return (text) => (forms.some((f) => text.includes(f)) ? forms.reduce((t, f) => t.split(f).join('[secret]'), text) : text);
}

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
