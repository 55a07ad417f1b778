/**
 * The HTTP API's contract, shared by the server that implements it and the clients that call it
 * (runtime/client, the CLI, the editor): request and response schemas (zod, also the source of the
 * OpenAPI document), node types as JSON, and the events on the wire.
 */
export * as schemas from './schemas.ts';
export { describeNodeType, describeRegistry, type NodeTypeJson } from './node-types.ts';
export type { SeqEvent, ServerEvent } from './events.ts';
