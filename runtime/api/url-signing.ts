/**
 * The signed-URL protocol both sides follow: the server (server/http/signed-urls.ts) verifies, the editor
 * (editor/src/api/api.ts) signs with its URL key. Pure, so the editor can import it; the HMAC itself is
 * node:crypto on the server and editor/src/api/hmac.ts in the browser.
 */

export const MODELS_RESOURCE = 'models';
export const artifactResource = (hash: string): string => `artifact:${hash}`;

/** The text a signature covers: one resource until `exp` (unix seconds). */
export const signedText = (resource: string, exp: number): string => `${resource}\n${exp}`;

/** Model files are signed in the path (below /api), because the face worker appends file names to a base URL. */
export const signedModelBase = (exp: number, sig: string): string => `/models/s.${exp}.${sig}`;
export const SIGNED_MODEL_PATH = /^\/models\/s\.(\d{1,12})\.([0-9a-f]{64})\/([^/]+)$/;
