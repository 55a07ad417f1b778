/**
 * Fuzzy node search for the add-node palette: matches title, type id, category and port types,
 * ranks whole-word and prefix hits above scattered subsequences, and can be limited to node types
 * that have a port compatible with a dangling wire.
 */
import { compatible } from '../../../runtime/graph/port-types.ts';
import type { NodeTypeInfo } from './node-types.ts';

/** A wire dropped on the canvas: its free end needs a port of this type on this side. */
export interface PendingWire {
  /** `input`: the new node must take `type` as an input (the wire came from an output). */
  side: 'input' | 'output';
  type: string;
}

export interface SearchHit {
  info: NodeTypeInfo;
  score: number;
  /** The port that the pending wire would connect to. */
  port?: string;
}

/** Score of `query` inside `text`: 0 when absent; exact > prefix > substring > subsequence. */
export function fuzzyScore(query: string, text: string): number {
  const q = query.toLowerCase();
  const t = text.toLowerCase();
  if (!q) return 1;
  if (t === q) return 100;
  if (t.startsWith(q)) return 80;
  const at = t.indexOf(q);
  if (at >= 0) return /[\s._\-/]/.test(t[at - 1] ?? '') ? 70 : 50;
  let ti = 0;
  let gaps = 0;
  for (const ch of q) {
    const found = t.indexOf(ch, ti);
    if (found < 0) return 0;
    gaps += found - ti;
    ti = found + 1;
  }
  return Math.max(1, 30 - gaps);
}

export function firstCompatiblePort(info: NodeTypeInfo, wire: PendingWire): string | undefined {
  if (wire.side === 'input') {
    return Object.entries(info.inputs).find(([, spec]) => compatible(wire.type, spec.type).ok)?.[0];
  }
  return Object.entries(info.outputs).find(([, spec]) => compatible(spec.type, wire.type).ok)?.[0];
}

export function searchNodeTypes(list: readonly NodeTypeInfo[], query: string, wire?: PendingWire): SearchHit[] {
  const words = query.trim().split(/\s+/).filter(Boolean);
  const hits: SearchHit[] = [];
  for (const info of list) {
    const port = wire ? firstCompatiblePort(info, wire) : undefined;
    if (wire && !port) continue;
    const portTypes = [...Object.values(info.inputs), ...Object.values(info.outputs)].map((p) => p.type).join(' ');
    let score = 0;
    let matchedAll = true;
    for (const word of words) {
      const best = Math.max(
        fuzzyScore(word, info.title) * 1.2,
        fuzzyScore(word, info.type),
        fuzzyScore(word, info.category) * 0.8,
        fuzzyScore(word, portTypes) * 0.6,
      );
      if (best === 0) matchedAll = false;
      score += best;
    }
    if (matchedAll) hits.push({ info, score, port });
  }
  return hits.sort((a, b) => b.score - a.score || a.info.title.localeCompare(b.info.title));
}
