/**
 * Webhooks on run completion. The body is signed with HMAC-SHA256 over `<timestamp>.<raw body>`
 * (header `Castgraph-Signature: t=<unix seconds>,v1=<hex>`), so a receiver can check both origin and
 * freshness. Failed deliveries (network errors, 408, 429, 5xx) are retried with exponential backoff;
 * every attempt is reported so the run record shows the delivery history.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkUrlShape, checkWebhookTarget, guardedLookup, WebhookTargetError } from './webhook-target.ts';

export const SIGNATURE_HEADER = 'castgraph-signature';

export function signPayload(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** For receivers: true when `header` signs `body` with `secret` and is at most `toleranceS` old. */
export function verifySignature(secret: string, header: string, body: string, toleranceS = 300, now = Date.now()): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(now / 1000 - t) > toleranceS) return false;
  const expected = Buffer.from(signPayload(secret, t, body).slice(-64), 'hex');
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'));
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  status?: number;
  error?: string;
  durationMs: number;
  /** When this attempt is to be retried: the backoff before the next one (doubling each time). */
  retryInMs?: number;
}

export interface WebhookOptions {
  secret: string;
  attempts: number;
  backoffMs: number;
  timeoutMs: number;
  /** Allow receivers on loopback and private networks (off: the server is no SSRF proxy into its network). */
  allowPrivate: boolean;
}

const retryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;

export class WebhookSender {
  readonly #stop = new AbortController();

  constructor(readonly options: WebhookOptions) {}

  /** Refuses a receiver URL this server may not call (see webhook-target.ts); throws WebhookTargetError. */
  checkTarget(url: string): Promise<void> {
    return checkWebhookTarget(url, this.options.allowPrivate);
  }

  /** Delivers one payload, retrying; `onAttempt` sees each try. Resolves to the final state. */
  async deliver(url: string, payload: unknown, onAttempt: (a: DeliveryAttempt) => void): Promise<'delivered' | 'failed' | 'pending'> {
    const body = JSON.stringify(payload);
    const deliveryId = randomUUID();
    const { attempts, backoffMs, timeoutMs, secret } = this.options;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.#stop.signal.aborted) return 'pending';
      const started = Date.now();
      const timestamp = Math.floor(started / 1000);
      let status: number | undefined;
      let error: string | undefined;
      try {
        status = await post(new URL(url), body, {
          allowPrivate: this.options.allowPrivate,
          signal: AbortSignal.any([this.#stop.signal, AbortSignal.timeout(timeoutMs)]),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'castgraph-webhook/1',
            'castgraph-delivery': deliveryId,
            'castgraph-attempt': String(attempt),
            [SIGNATURE_HEADER]: signPayload(secret, timestamp, body),
          },
        });
      } catch (err) {
        if (this.#stop.signal.aborted) return 'pending';
        if (err instanceof WebhookTargetError) {
          onAttempt({ attempt, at: new Date(started).toISOString(), error: `refused: ${err.message}`, durationMs: Date.now() - started });
          return 'failed'; // not a passing fault: retrying would only probe again
        }
        error = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `cannot reach the receiver: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
      }
      const done = status !== undefined && (status < 300 ? status >= 200 : !retryable(status));
      const retryInMs = !done && attempt < attempts ? backoffMs * 2 ** (attempt - 1) : undefined;
      onAttempt({ attempt, at: new Date(started).toISOString(), ...(status !== undefined ? { status } : {}), ...(error ? { error } : {}), durationMs: Date.now() - started, ...(retryInMs !== undefined ? { retryInMs } : {}) });
      if (status !== undefined && status >= 200 && status < 300) return 'delivered';
      if (status !== undefined && !retryable(status)) return 'failed';
      if (retryInMs !== undefined) {
        try {
          await sleep(retryInMs, undefined, { signal: this.#stop.signal });
        } catch {
          return 'pending';
        }
      }
    }
    return 'failed';
  }

  /** Stops retrying; deliveries still pending are resumed from the run records at the next start. */
  close(): void {
    this.#stop.abort();
  }
}

/**
 * One POST, redirects not followed, answer body discarded; resolves to the status. Without `allowPrivate`
 * the connection resolves names through guardedLookup, so the address connected to is the address checked.
 */
function post(url: URL, body: string, o: { allowPrivate: boolean; signal: AbortSignal; headers: Record<string, string> }): Promise<number> {
  checkUrlShape(url, o.allowPrivate);
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...o.headers, 'content-length': String(Buffer.byteLength(body)) },
    signal: o.signal,
    agent: false, // a fresh connection each time: a pooled socket would skip the lookup that checks the address
    ...(o.allowPrivate ? {} : { lookup: guardedLookup as RequestOptions['lookup'] }),
  };
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err) => reject(o.signal.aborted ? o.signal.reason : err));
    req.end(body);
  });
}
