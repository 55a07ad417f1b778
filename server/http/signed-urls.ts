/**
 * Short-lived signed URLs for what browsers load without headers (<img src>, the face worker's model
 * downloads), so the bearer token never travels in a URL. A client with the token asks for a URL key
 * (`GET /api/url-key`): `key = HMAC(secret, exp)`, valid until `exp`. It signs each URL itself,
 * `sig = HMAC(key, "<resource>\n<exp>")`, so a leaked URL opens one artifact (or the model files) until
 * it expires, and the key never leaves the page's memory. The server recomputes both from its secret.
 *
 * Resources: `artifact:<sha256>` (the file, its thumbnails and meta) as `?exp=&sig=`; `models` (the
 * catalogued model files) in the path, `/api/models/s.<exp>.<sig>/<file>`, because the face worker builds
 * model URLs by appending file names to a base URL.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { signedText } from '../../runtime/api/url-signing.ts';

export { artifactResource, MODELS_RESOURCE, SIGNED_MODEL_PATH } from '../../runtime/api/url-signing.ts';

const hmac = (key: Buffer | string, text: string): Buffer => createHmac('sha256', key).update(text).digest();

export class UrlSigner {
  readonly #secret: Buffer;

  /** With a token, the secret derives from it, so signed URLs outlive a restart; without, it is random per process. */
  constructor(
    token: string | undefined,
    readonly ttlS: number,
  ) {
    this.#secret = token ? createHash('sha256').update(`castgraph url signing\n${token}`).digest() : randomBytes(32);
  }

  /** A key for signing URLs until `exp` (unix seconds). */
  issueKey(now = Date.now()): { exp: number; key: string; ttlS: number } {
    const exp = Math.floor(now / 1000) + this.ttlS;
    return { exp, key: this.#key(exp).toString('hex'), ttlS: this.ttlS };
  }

  sign(resource: string, exp: number): string {
    return hmac(this.#key(exp), signedText(resource, exp)).toString('hex');
  }

  /** True when `sig` signs `resource` until `exp` and `exp` has not passed. */
  verify(resource: string, exp: string | undefined, sig: string | undefined, now = Date.now()): boolean {
    if (!exp || !sig || !/^\d{1,12}$/.test(exp) || !/^[0-9a-f]{64}$/.test(sig)) return false;
    const e = Number(exp);
    if (e < now / 1000 || e > now / 1000 + this.ttlS + 60) return false;
    return timingSafeEqual(Buffer.from(this.sign(resource, e), 'hex'), Buffer.from(sig, 'hex'));
  }

  #key(exp: number): Buffer {
    return hmac(this.#secret, `url-key\n${exp}`);
  }
}
