/**
 * Live run events over WebSocket at `/api/events`. Any authorised client may subscribe to any run, or
 * to all runs (events are per run, not per submitting socket). Each message carries the run id, the
 * node path and the run's `seq`. Subscribing with `afterSeq` first replays what the client missed,
 * then continues live: replay and attach happen in one synchronous step, so nothing is lost or sent twice.
 * A client too slow to keep up is disconnected rather than silently skipped; it reconnects and replays.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, errorBody } from './http/errors.ts';
import { zodIssues } from './http/errors.ts';
import { nodePathOf, type SeqEvent } from './runs/record.ts';
import type { RunRecords } from './runs/records.ts';
import { WsClientMessage } from '../runtime/api/schemas.ts';

export const EVENTS_PATH = '/api/events';
const MAX_BUFFERED = 16 * 1024 * 1024;

interface Client {
  ws: WebSocket;
  runs: Set<string>;
  all: boolean;
  alive: boolean;
}

export class EventHub {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  readonly #clients = new Set<Client>();
  readonly #byRun = new Map<string, Set<Client>>();
  readonly #all = new Set<Client>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(
    readonly records: RunRecords,
    server: Server,
    check: (req: IncomingMessage) => ApiError | undefined,
  ) {
    // An EventEmitter listener that throws takes the process down: nothing in here may escape.
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      try {
        this.#upgrade(req, socket, head, check);
      } catch {
        refuse(socket, new ApiError('bad_request', 'malformed upgrade request'));
      }
    });
    this.#heartbeat = setInterval(() => {
      for (const c of this.#clients) {
        if (!c.alive) c.ws.terminate();
        else {
          c.alive = false;
          c.ws.ping();
        }
      }
    }, 30_000).unref();
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, check: (req: IncomingMessage) => ApiError | undefined): void {
    // No URL parsing: an absolute-form request line the parser rejects must not matter here.
    if ((req.url ?? '/').split('?')[0] !== EVENTS_PATH) return refuse(socket, new ApiError('not_found', 'WebSocket upgrades are served only at ' + EVENTS_PATH));
    const err = check(req);
    if (err) return refuse(socket, err);
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  #accept(ws: WebSocket): void {
    const client: Client = { ws, runs: new Set(), all: false, alive: true };
    this.#clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('close', () => this.#drop(client));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => this.#onMessage(client, isBinary ? '' : data.toString()));
    ws.send(JSON.stringify({ type: 'hello', protocol: 1 }));
  }

  #onMessage(c: Client, text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.#send(c, { type: 'error', error: { code: 'invalid_json', message: 'messages must be JSON', issues: [] } });
    }
    const parsed = WsClientMessage.safeParse(raw);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error, 'message');
      return this.#send(c, { type: 'error', error: { code: 'validation_failed', message: `${issues[0]?.path}: ${issues[0]?.message}`, issues } });
    }
    const m = parsed.data;
    if (m.all) {
      c.all = m.type === 'subscribe';
      if (c.all) this.#all.add(c);
      else this.#all.delete(c);
      return this.#send(c, { type: m.type === 'subscribe' ? 'subscribed' : 'unsubscribed', all: true });
    }
    const runId = m.runId!;
    if (m.type === 'unsubscribe') {
      c.runs.delete(runId);
      this.#byRun.get(runId)?.delete(c);
      return this.#send(c, { type: 'unsubscribed', runId });
    }
    const record = this.records.get(runId);
    if (!record) return this.#send(c, { type: 'error', runId, error: { code: 'not_found', message: `run ${JSON.stringify(runId.slice(0, 80))} does not exist`, issues: [] } });
    // Synchronous from here to the end: no event can be published between the replay and the attach.
    this.#send(c, { type: 'subscribed', runId, status: record.status, lastSeq: record.lastSeq });
    for (const item of this.records.eventsSince(runId, m.afterSeq ?? 0)) this.#send(c, message(runId, item));
    c.runs.add(runId);
    let set = this.#byRun.get(runId);
    if (!set) this.#byRun.set(runId, (set = new Set()));
    set.add(c);
  }

  /** Sends one persisted event to its run's subscribers and to every subscribe-all client. */
  publish(runId: string, item: SeqEvent): void {
    const subs = this.#byRun.get(runId);
    if (!subs?.size && !this.#all.size) return;
    const text = JSON.stringify(message(runId, item));
    for (const c of this.#all) this.#sendText(c, text);
    if (subs) for (const c of subs) if (!c.all) this.#sendText(c, text);
  }

  #send(c: Client, msg: unknown): void {
    this.#sendText(c, JSON.stringify(msg));
  }

  #sendText(c: Client, text: string): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    if (c.ws.bufferedAmount > MAX_BUFFERED) {
      c.ws.close(1013, 'too slow: reconnect with afterSeq to catch up');
      this.#drop(c);
      return;
    }
    c.ws.send(text);
  }

  #drop(c: Client): void {
    this.#clients.delete(c);
    this.#all.delete(c);
    for (const runId of c.runs) {
      const set = this.#byRun.get(runId);
      set?.delete(c);
      if (set?.size === 0) this.#byRun.delete(runId);
    }
    c.runs.clear();
  }

  close(): void {
    clearInterval(this.#heartbeat);
    for (const c of this.#clients) c.ws.close(1001, 'server shutting down');
    this.#wss.close();
  }
}

function refuse(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(errorBody(err));
  socket.end(`HTTP/1.1 ${err.status} ${err.code}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function message(runId: string, { seq, event }: SeqEvent): Record<string, unknown> {
  const nodePath = nodePathOf(event);
  return nodePath === undefined ? { type: 'event', runId, seq, event } : { type: 'event', runId, seq, nodePath, event };
}
