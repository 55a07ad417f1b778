/**
 * Where webhooks may go. Any client can name a webhook URL, so without a check the server would POST
 * (and retry, and record the answer status) to cloud metadata services, the LAN, or its own admin ports.
 * Receivers must resolve to public addresses unless `webhookAllowPrivate` is set. The check runs when a
 * run is submitted (a clear error naming the field) and again inside the connection's own DNS lookup, so
 * a name that resolves elsewhere by the time of delivery (DNS rebinding) is refused too.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // unspecified / "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64: would reach IPv4 through the gateway unchecked
  ['2002::', 16], // 6to4: likewise
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** True for loopback, private, link-local, ULA, unspecified, multicast and other non-public addresses (IPv4-mapped IPv6 included). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  return family === 0 || blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class WebhookTargetError extends Error {
  readonly code = 'ECASTGRAPH_WEBHOOK_TARGET';
}

const ALLOW_HINT = 'webhooks go to public addresses only (set webhookAllowPrivate / CASTGRAPH_WEBHOOK_ALLOW_PRIVATE=1 for a receiver on this machine or network)';

function refuseAddresses(host: string, addresses: string[]): void {
  const bad = addresses.filter(isPrivateAddress);
  if (bad.length === 0) return;
  throw new WebhookTargetError(`${host === bad[0] ? `${host} is` : `${host} resolves to ${bad.join(', ')},`} not a public address: ${ALLOW_HINT}`);
}

const bare = (hostname: string): string => (hostname.startsWith('[') ? hostname.slice(1, -1) : hostname);

/** Checks what can be checked without DNS: scheme, userinfo, and a literal address host. Throws WebhookTargetError. */
export function checkUrlShape(url: URL, allowPrivate: boolean): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookTargetError('only http and https receivers are allowed');
  if (url.username || url.password) throw new WebhookTargetError('credentials in the URL (user:pass@) are not allowed: authenticate the receiver with the signature header');
  const host = bare(url.hostname);
  if (!allowPrivate && isIP(host)) refuseAddresses(host, [host]);
}

/** The submission-time check: shape, then every address the host resolves to. Throws WebhookTargetError. */
export async function checkWebhookTarget(raw: string, allowPrivate: boolean): Promise<void> {
  const url = new URL(raw);
  checkUrlShape(url, allowPrivate);
  const host = bare(url.hostname);
  if (allowPrivate || isIP(host)) return;
  let addresses: LookupAddress[];
  try {
    addresses = await new Promise((resolve, reject) => dnsLookup(host, { all: true }, (err, a) => (err ? reject(err) : resolve(a))));
  } catch (err) {
    throw new WebhookTargetError(`cannot resolve ${host}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  refuseAddresses(host, addresses.map((a) => a.address));
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request/net.connect that refuses non-public answers: the connection-time check. */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    try {
      refuseAddresses(hostname, addresses.map((a) => a.address));
    } catch (refusal) {
      return callback(refusal as WebhookTargetError, []);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}
