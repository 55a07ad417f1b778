/**
 * The server as the editor sees it: the project's typed client (`runtime/client`) plus the few
 * browser conveniences the editor needs (artifact URLs for <img>, uploading a File, a run's live
 * events). Errors are the client's `CastgraphApiError` (status 409 on a revision conflict).
 * On a token-protected server, URLs the browser loads without headers (images, face models) are signed
 * with a short-lived URL key (server/http/signed-urls.ts): the token itself never goes into a URL.
 */
import { CastgraphClient, EventSubscription, type EventMessage } from '../../../runtime/client/index.ts';
import type { ArtifactRef } from '../../../runtime/graph/node-definition.ts';
import type { NodeTypeInfo } from '../model/node-types.ts';
import { artifactResource, MODELS_RESOURCE, signedModelBase, signedText } from '../../../runtime/api/url-signing.ts';
import { hexBytes, hmacSha256Hex } from './hmac.ts';

export { CastgraphApiError } from '../../../runtime/client/index.ts';
export type { GraphSummary, RevisionInfo, RunRecord, TemplateSummary } from '../../../runtime/client/index.ts';

export class Api {
  readonly client: CastgraphClient;
  /** Settles once URLs can be made: at once without a token, after the first URL key with one. */
  readonly ready: Promise<void>;
  #urlKey?: { exp: number; key: Uint8Array };
  #renewal?: ReturnType<typeof setTimeout>;

  constructor(baseUrl = globalThis.location.origin, token?: string) {
    this.client = new CastgraphClient({ baseUrl, token });
    this.ready = token ? this.#renewUrlKey() : Promise.resolve();
  }

  /** Fetches a URL key and renews it at half its life, so URLs made from it stay valid while shown. */
  async #renewUrlKey(): Promise<void> {
    const renewIn = (ms: number) => {
      clearTimeout(this.#renewal);
      this.#renewal = setTimeout(() => void this.#renewUrlKey().catch(() => renewIn(30_000)), ms);
    };
    const { exp, key, ttlS } = (await (await this.client.fetch('GET', '/api/url-key')).json()) as { exp: number; key: string; ttlS: number };
    this.#urlKey = { exp, key: hexBytes(key) };
    renewIn(ttlS * 500);
  }

  #signed(path: string, resource: string, query: Record<string, string | number> = {}): string {
    const k = this.#urlKey;
    return this.client.url(path, k ? { ...query, exp: k.exp, sig: hmacSha256Hex(k.key, signedText(resource, k.exp)) } : query);
  }

  /** Node types as the editor's model reads them (the wire format is the definition minus functions). */
  async nodeTypes(): Promise<NodeTypeInfo[]> {
    const [types] = await Promise.all([this.client.nodeTypes(), this.ready]);
    return types as unknown as NodeTypeInfo[];
  }

  artifactUrl = (ref: { $artifact: string }): string => this.#signed(`/api/artifacts/${encodeURIComponent(ref.$artifact)}`, artifactResource(ref.$artifact));

  /** A small server-made thumbnail: nodes show these, the inspector shows full images. */
  thumbnailUrl = (ref: { $artifact: string }): string =>
    this.#signed(`/api/artifacts/${encodeURIComponent(ref.$artifact)}/thumbnail`, artifactResource(ref.$artifact), { size: 256 });

  /** Where the browser face worker downloads models: the file name is appended, so a signature goes in the path. */
  modelBaseUrl(): string {
    const k = this.#urlKey;
    return this.client.url(k ? `/api${signedModelBase(k.exp, hmacSha256Hex(k.key, signedText(MODELS_RESOURCE, k.exp)))}` : '/api/models');
  }

  async upload(file: File): Promise<ArtifactRef> {
    return (await this.client.uploadArtifact(file, { mime: file.type || 'application/octet-stream', name: file.name })) as ArtifactRef;
  }

  /** A run's events from the start, in order, once each, across reconnects. */
  subscribe(runId: string, onEvent: (message: EventMessage) => void): EventSubscription {
    return new EventSubscription(this.client, { target: { runId, afterSeq: 0 }, onEvent });
  }
}
