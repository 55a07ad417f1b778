/**
 * Main-thread side of the validation worker. Edits come faster than validation for big graphs,
 * so at most one request is in flight and only the newest waiting document is sent next.
 */
import { wrap, type Remote } from 'comlink';
import type { GraphDocument } from '../../../runtime/graph/document.ts';
import type { NodeTypeInfo } from '../model/node-types.ts';
import type { Issue, Validator } from './validate.ts';

export class ValidationClient {
  readonly #remote: Remote<Validator>;
  #busy = false;
  #next: GraphDocument | undefined;

  constructor(
    types: NodeTypeInfo[],
    private readonly onIssues: (issues: Issue[], doc: GraphDocument) => void,
  ) {
    const worker = new Worker(new URL('./validate.worker.ts', import.meta.url), { type: 'module' });
    this.#remote = wrap<Validator>(worker);
    void this.#remote.setTypes(types);
  }

  request(doc: GraphDocument): void {
    this.#next = doc;
    if (!this.#busy) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#busy = true;
    while (this.#next) {
      const doc = this.#next;
      this.#next = undefined;
      const issues = await this.#remote.validate(doc);
      this.onIssues(issues, doc);
    }
    this.#busy = false;
  }
}
