/**
 * The undoable document store. Every edit goes through immer's `produceWithPatches`, so one undo
 * step stores only what changed (not a copy of the graph). Edits that share a `merge` key within a
 * burst (a drag, typing into one field) collapse into one step; `endBurst` closes the burst.
 * Selection, run state and validation live elsewhere: they are never steps.
 */
import { applyPatches, enablePatches, produceWithPatches, type Draft, type Patch } from 'immer';

enablePatches();

interface Step {
  patches: Patch[];
  /** Inverse patches per merged edit, in edit order; undo applies them newest first. */
  inverse: Patch[][];
  key?: string;
  at: number;
}

export interface UpdateOptions {
  /** Edits with the same key merge into the previous step while the burst is open. */
  merge?: string;
}

export interface HistoryOptions {
  limit?: number;
  /** A burst also closes after this much quiet time (typing pauses). */
  burstMs?: number;
  now?: () => number;
}

export class DocumentHistory<T extends object> {
  #state: T;
  #undo: Step[] = [];
  #redo: Step[] = [];
  #listeners = new Set<() => void>();
  readonly #limit: number;
  readonly #burstMs: number;
  readonly #now: () => number;

  constructor(initial: T, options: HistoryOptions = {}) {
    this.#state = initial;
    this.#limit = options.limit ?? 200;
    this.#burstMs = options.burstMs ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  get = (): T => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  update(recipe: (draft: Draft<T>) => void, options: UpdateOptions = {}): void {
    const [next, patches, inverse] = produceWithPatches(this.#state, recipe);
    if (patches.length === 0) return;
    this.#state = next;
    const now = this.#now();
    const last = this.#undo.at(-1);
    if (options.merge !== undefined && last?.key === options.merge && now - last.at <= this.#burstMs) {
      last.patches.push(...patches);
      last.inverse.push(inverse);
      last.at = now;
    } else {
      this.#undo.push({ patches, inverse: [inverse], key: options.merge, at: now });
      if (this.#undo.length > this.#limit) this.#undo.shift();
    }
    this.#redo = [];
    this.#emit();
  }

  /** Closes the current burst: the next edit starts a new step even with the same key. */
  endBurst(): void {
    const last = this.#undo.at(-1);
    if (last) last.key = undefined;
  }

  undo(): boolean {
    const step = this.#undo.pop();
    if (!step) return false;
    step.key = undefined;
    this.#state = applyPatches(this.#state, [...step.inverse].reverse().flat()) as T;
    this.#redo.push(step);
    this.#emit();
    return true;
  }

  redo(): boolean {
    const step = this.#redo.pop();
    if (!step) return false;
    this.#state = applyPatches(this.#state, step.patches) as T;
    this.#undo.push(step);
    this.#emit();
    return true;
  }

  /** Loading another document is not an edit: history starts over. */
  reset(state: T): void {
    this.#state = state;
    this.#undo = [];
    this.#redo = [];
    this.#emit();
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}
