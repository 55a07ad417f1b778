/**
 * One masking rule for provider secrets: every configured secret of at least MIN_SECRET_LENGTH characters
 * is masked wherever text leaves a run (node logs, progress messages, errors) and, on the server, logs and
 * run records. Shorter secrets are refused by the server's config: they could not be masked without
 * mangling ordinary text.
 */
export const MIN_SECRET_LENGTH = 6;

/** Masks every configured secret in a text (also in its JSON-escaped form). */
export function secretMasker(secrets: Record<string, string>): (text: string) => string {
  const values = Object.values(secrets).filter((s) => s.length >= MIN_SECRET_LENGTH);
  const forms = values.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]).filter((v, i, a) => a.indexOf(v) === i);
  if (forms.length === 0) return (t) => t;
  return (text) => (forms.some((f) => text.includes(f)) ? forms.reduce((t, f) => t.split(f).join('[secret]'), text) : text);
}
