/**
 * The editor's state, split by how it changes: the undoable document (`history`), the view
 * (breadcrumb path and selection: never undo steps), and volatile per-node state (run progress,
 * validation issues) in keyed stores so that one event re-renders one node.
 */
import type { Draft } from 'immer';
import type { GraphDocument } from '../../../runtime/graph/document.ts';
import { DocumentHistory, type UpdateOptions } from '../model/history.ts';
import { KeyedStore } from '../model/keyed-store.ts';
import { graphAt, type Graph } from '../model/ops.ts';
import { RunState } from '../model/run-state.ts';
import type { NodeTypes } from '../model/node-types.ts';
import type { Issue } from '../worker/validate.ts';

export interface ViewState {
  /** Subgraph node ids from the root to the graph being edited. */
  path: string[];
  selection: ReadonlySet<string>;
}

export class Editor {
  readonly history: DocumentHistory<GraphDocument>;
  readonly run = new RunState();
  readonly issues = new KeyedStore<Issue[]>();
  #view: ViewState = { path: [], selection: new Set() };
  #viewListeners = new Set<() => void>();
  /** Server revision the document was loaded from or last saved as (conflict check on save). */
  libraryRevision: number | undefined;

  constructor(
    readonly types: NodeTypes,
    doc: GraphDocument,
  ) {
    this.history = new DocumentHistory(doc);
  }

  get doc(): GraphDocument {
    return this.history.get();
  }

  /** The graph being edited (root or an opened subgraph body). */
  get graph(): Graph {
    return graphAt(this.doc, this.#view.path);
  }

  edit(recipe: (g: Draft<Graph>) => void, options?: UpdateOptions): void {
    const path = this.#view.path;
    this.history.update((doc) => recipe(graphAt(doc, path)), options);
  }

  load(doc: GraphDocument, revision?: number): void {
    this.libraryRevision = revision;
    this.setView({ path: [], selection: new Set() });
    this.history.reset(doc);
    this.run.clear();
  }

  getView = (): ViewState => this.#view;

  subscribeView = (listener: () => void): (() => void) => {
    this.#viewListeners.add(listener);
    return () => this.#viewListeners.delete(listener);
  };

  setView(patch: Partial<ViewState>): void {
    this.#view = { ...this.#view, ...patch };
    for (const listener of this.#viewListeners) listener();
  }

  select(ids: Iterable<string>): void {
    this.setView({ selection: new Set(ids) });
  }
}
