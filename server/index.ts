/** The Castgraph server as a library: start one in-process (tests, embedding) or through `server/main.ts` (`npm start`). */
export { startServer, type CastgraphServer, type ServerOptions } from './app.ts';
export { secretMasker, maskUrl, MIN_SECRET_LENGTH } from './secrets.ts';
export { loadConfig, parseConfig, ConfigError, DEFAULT_PORT, type ServerConfig, type ServerConfigInput } from './config.ts';
export { serverRegistry } from './registry.ts';
export { prepareEditor, type EditorState } from './editor-build.ts';
export { verifySignature, signPayload, SIGNATURE_HEADER } from './webhooks.ts';
export { buildOpenApi } from './openapi.ts';
