/**
 * Executes one planned node: mute, gate (an empty input skips the node), bypass, then the body
 * through run-once.ts, or control flow (subgraph, loop) and map through control-flow.ts.
 * Returns a promise only when the node really waits on something.
 */
import { compatible } from '../graph/port-types.ts';
import { runControl, runMapped } from './control-flow.ts';
import type { Run } from './run.ts';
import { runOnce, type Outcome } from './run-once.ts';
import { resolveInputs, type Planned } from './scope.ts';

export type { Outcome } from './run-once.ts';

export function executeNode(run: Run, p: Planned): void | Promise<void> {
  const st = p.state;
  if (p.node.mode === 'mute') return settleEmpty(run, p, 'muted', 'muted');
  const values = resolveInputs(p);
  if (typeof values === 'string') return settleEmpty(run, p, 'skipped', values);
  if (p.node.mode === 'bypass') {
    p.outputs = passThrough(p, values);
    st.status = 'bypassed';
    st.outputs = p.outputs;
    return;
  }
  if (p.def.control) return runControl(run, p, values);
  if (p.node.map?.length) return runMapped(run, p, values);
  const r = runOnce(run, p, values);
  if (r instanceof Promise) return r.then((outcome) => settle(run, p, outcome));
  settle(run, p, r);
}

export function settle(run: Run, p: Planned, r: Outcome): void {
  const st = p.state;
  st.endedAt = Date.now();
  if (r.kind === 'done') {
    p.outputs = r.outputs;
    st.outputs = r.outputs;
    st.key = r.key;
    st.attempts = r.attempts;
    st.status = r.cached ? 'cached' : 'succeeded';
  } else if (r.kind === 'failed') {
    st.status = 'failed';
    st.error = r.error;
    st.attempts = r.attempts;
    run.failure ??= { error: r.error, nodePath: p.path };
    run.emit({ type: 'node.failed', runId: run.runId, ts: st.endedAt, nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type, error: r.error, attempt: r.attempts });
  } else {
    st.status = 'cancelled';
    if (run.hasListeners) run.emit({ type: 'node.cancelled', runId: run.runId, ts: st.endedAt, nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type });
  }
}

function settleEmpty(run: Run, p: Planned, status: 'muted' | 'skipped', reason: string): void {
  p.outputs = {};
  p.state.status = status;
  p.state.reason = reason;
  if (run.hasListeners) run.emit({ type: 'node.skipped', runId: run.runId, ts: Date.now(), nodePath: p.path, nodeId: p.node.id, nodeType: p.node.type, reason });
}

/** A bypassed node hands each output the first input value of a compatible type, as if it were not there. */
function passThrough(p: Planned, values: Record<string, unknown>): Record<string, unknown> {
  const outputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(p.ports.outputs)) {
    const match = p.bindings.find((b) => values[b.port] !== undefined && compatible(b.spec.type, spec.type).ok);
    if (match) outputs[name] = values[match.port];
  }
  return outputs;
}
