/**
 * The server as the editor sees it: the project's typed client (`runtime/client`) plus the few
 * browser conveniences the editor needs (artifact URLs for <img>, uploading a File, a run's live
 * events). Errors are the client's `CastgraphApiError` (status 409 on a revision conflict).
 */
import { CastgraphClient, EventSubscription, type EventMessage } from '../../../runtime/client/index.ts';
import type { ArtifactRef } from '../../../runtime/graph/node-definition.ts';
import type { NodeTypeInfo } from '../model/node-types.ts';

export { CastgraphApiError } from '../../../runtime/client/index.ts';
export type { GraphSummary, RevisionInfo, RunRecord, TemplateSummary } from '../../../runtime/client/index.ts';

export class Api {
  readonly client: CastgraphClient;

  constructor(baseUrl = globalThis.location.origin, token?: string) {
    this.client = new CastgraphClient({ baseUrl, token });
  }

  /** Node types as the editor's model reads them (the wire format is the definition minus functions). */
  async nodeTypes(): Promise<NodeTypeInfo[]> {
    return (await this.client.nodeTypes()) as unknown as NodeTypeInfo[];
  }

  artifactUrl = (ref: { $artifact: string }): string => this.client.url(`/api/artifacts/${encodeURIComponent(ref.$artifact)}`, { token: this.client.token });

  /** A small server-made thumbnail: nodes show these, the inspector shows full images. */
  thumbnailUrl = (ref: { $artifact: string }): string => this.client.thumbnailUrl(ref.$artifact, 256);

  async upload(file: File): Promise<ArtifactRef> {
    return (await this.client.uploadArtifact(file, { mime: file.type || 'application/octet-stream', name: file.name })) as ArtifactRef;
  }

  /** A run's events from the start, in order, once each, across reconnects. */
  subscribe(runId: string, onEvent: (message: EventMessage) => void): EventSubscription {
    return new EventSubscription(this.client, { target: { runId, afterSeq: 0 }, onEvent });
  }
}
