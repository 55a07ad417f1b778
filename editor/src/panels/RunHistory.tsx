/**
 * The run history: past runs from the server, newest first. Opening one loads the graph exactly
 * as it ran (the server keeps every run's document, whoever submitted it) and shows each node's
 * recorded status and outputs on the canvas.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { NodeStatus } from '../../../runtime/engine/events.ts';
import type { RunRecord } from '../api/api.ts';
import { useServices } from '../app/context.ts';
import { formatMs } from '../canvas/NodeRunView.tsx';

export function RunHistory({ notify }: { notify: (m: string, kind?: 'info' | 'error') => void }) {
  const { editor, api } = useServices();
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const current = useSyncExternalStore((l) => editor.run.summary.subscribe('current', l), () => editor.run.summary.get('current'));
  useEffect(() => { void api.client.listRuns({ limit: 50 }).then((l) => setRuns(l.items), () => setRuns([])); }, [api, current?.status]);

  const open = async (runId: string) => {
    try {
      const [record, graph] = await Promise.all([api.client.getRun(runId), api.client.runGraph(runId)]);
      editor.load(graph);
      for (const [path, state] of Object.entries(record.nodes ?? {})) {
        if (path.includes('/')) continue;
        editor.run.nodes.set(path, {
          status: state.status as NodeStatus,
          outputs: state.outputs,
          durationMs: state.durationMs,
          reason: state.reason,
          error: state.error ? { message: state.error.message, errorClass: 'user', retryable: false } : undefined,
        });
      }
      editor.run.summary.set('current', { runId, status: record.status as 'succeeded', durationMs: record.durationMs });
      notify(`opened run ${runId} as it ran`);
    } catch (err) {
      notify(`could not open run: ${(err as Error).message}`, 'error');
    }
  };

  return (
    <div className="run-history">
      {current && (
        <p className={`run-summary status-${current.status}`} data-run-status={current.status}>
          Run <code>{current.runId}</code>: <b>{current.status}</b>{current.durationMs !== undefined ? ` in ${formatMs(current.durationMs)}` : ''}
          {current.error && <span className="node-error"> {current.error.message}</span>}
        </p>
      )}
      <ul>
        {runs.map((r) => (
          <li key={r.runId}>
            <button type="button" className="link" onClick={() => void open(r.runId)}>{r.graph.name}</button> <span className={`badge status-${r.status}`}>{r.status}</span>
            <small> {new Date(r.createdAt).toLocaleTimeString()}{r.durationMs !== undefined ? ` · ${formatMs(r.durationMs)}` : ''}</small>
          </li>
        ))}
        {runs.length === 0 && <li className="muted">No runs yet. Ctrl+Enter runs the graph.</li>}
      </ul>
    </div>
  );
}
