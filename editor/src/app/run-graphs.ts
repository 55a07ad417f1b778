/**
 * The documents this browser submitted, by run id, so the run history can show a graph "as it
 * ran". Run records on the server name the graph but do not serve the submitted document.
 */
import type { GraphDocument } from '../../../runtime/graph/document.ts';

const KEY = 'castgraph.runGraphs';
const KEEP = 30;

type Stored = { runId: string; doc: GraphDocument }[];

function read(storage: Storage): Stored {
  try {
    return JSON.parse(storage.getItem(KEY) ?? '[]') as Stored;
  } catch {
    return [];
  }
}

export function rememberRunGraph(runId: string, doc: GraphDocument, storage: Storage = localStorage): void {
  const list = [{ runId, doc }, ...read(storage).filter((x) => x.runId !== runId)].slice(0, KEEP);
  try {
    storage.setItem(KEY, JSON.stringify(list));
  } catch {
    /* full storage: the history still lists the run, without its graph */
  }
}

export function runGraph(runId: string, storage: Storage = localStorage): GraphDocument | undefined {
  return read(storage).find((x) => x.runId === runId)?.doc;
}
