/** The typed Castgraph API client (browser-safe: fetch + WebSocket). The CLI's remote run source is in remote-run.ts (Node only). */
export { CastgraphClient, CastgraphApiError, type ClientOptions } from './http.ts';
export { EventSubscription, streamRun, type SubscribeOptions, type WebSocketConstructor, type WebSocketLike } from './events.ts';
export * from './types.ts';
