/**
 * Volatile state keyed by id (run state per node, validation issues per node) with one
 * subscription per key, so a progress event for one node re-renders that node only.
 */
import { useCallback, useSyncExternalStore } from 'react';

export class KeyedStore<V> {
  #values = new Map<string, V>();
  #listeners = new Map<string, Set<() => void>>();
  #all = new Set<() => void>();

  get(key: string): V | undefined {
    return this.#values.get(key);
  }

  entries(): [string, V][] {
    return [...this.#values];
  }

  set(key: string, value: V | undefined): void {
    if (this.#values.get(key) === value) return;
    if (value === undefined) this.#values.delete(key);
    else this.#values.set(key, value);
    this.#notify(key);
  }

  /** Replaces every value; only keys whose value changed are notified. */
  replaceAll(values: Map<string, V>): void {
    const keys = new Set([...this.#values.keys(), ...values.keys()]);
    const changed: string[] = [];
    for (const key of keys) if (this.#values.get(key) !== values.get(key)) changed.push(key);
    this.#values = new Map(values);
    for (const key of changed) this.#notify(key);
  }

  subscribe(key: string, listener: () => void): () => void {
    let set = this.#listeners.get(key);
    if (!set) this.#listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(key);
    };
  }

  /** Listens to every key (panels that summarise all nodes). */
  subscribeAll(listener: () => void): () => void {
    this.#all.add(listener);
    return () => this.#all.delete(listener);
  }

  #notify(key: string): void {
    for (const listener of this.#listeners.get(key) ?? []) listener();
    for (const listener of this.#all) listener();
  }
}

export function useKeyed<V>(store: KeyedStore<V>, key: string): V | undefined {
  const subscribe = useCallback((listener: () => void) => store.subscribe(key, listener), [store, key]);
  return useSyncExternalStore(subscribe, () => store.get(key));
}
