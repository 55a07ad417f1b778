/**
 * The volatile half of a node: run status, progress bar with ETA, cached/skipped badges, the error
 * pinned on the node, validation issues and output previews. It subscribes to its own node's key,
 * so a progress event re-renders this small component only.
 */
import { memo } from 'react';
import { isArtifactRef } from '../../../runtime/graph/node-definition.ts';
import { useServices } from '../app/context.ts';
import { useKeyed } from '../model/keyed-store.ts';

export const NodeRunView = memo(function NodeRunView({ nodeId, compact }: { nodeId: string; compact: boolean }) {
  const { editor, api } = useServices();
  const run = useKeyed(editor.run.nodes, nodeId);
  const issues = useKeyed(editor.issues, nodeId);
  return (
    <>
      {run && (
        <div className={`node-run status-${run.status}`} data-status={run.status}>
          <span className="badge">{run.status}</span>
          {run.status === 'running' && (
            <>
              <div className="progress" role="progressbar" aria-valuenow={Math.round((run.fraction ?? 0) * 100)}>
                <div style={{ width: `${Math.round((run.fraction ?? 0) * 100)}%` }} />
              </div>
              <small>
                {run.items ? `${(run.item ?? 0) + 1}/${run.items} ` : ''}
                {run.etaMs !== undefined ? `ETA ${formatMs(run.etaMs)}` : ''} {run.message ?? ''}
              </small>
            </>
          )}
          {run.durationMs !== undefined && <small>{formatMs(run.durationMs)}</small>}
          {run.reason && <small className="reason">{run.reason}</small>}
        </div>
      )}
      {run?.error && <div className="node-error" role="alert">{run.error.message}</div>}
      {issues && issues.length > 0 && !compact && (
        <ul className="node-issues">
          {issues.slice(0, 3).map((i) => <li key={i.path + i.message} title={i.path}>{i.message}</li>)}
        </ul>
      )}
      {!compact && run?.status === 'running' && isArtifactRef(run.preview) && <img className="preview" alt="live preview" src={api.artifactUrl(run.preview)} />}
      {!compact && run?.outputs && <OutputPreview outputs={run.outputs} url={api.artifactUrl} thumb={api.thumbnailUrl} />}
    </>
  );
});

/** Thumbnails on the node (full-size images cost frames on big graphs); a click opens the full image. */
function OutputPreview({ outputs, url, thumb }: { outputs: Record<string, unknown>; url: (ref: { $artifact: string }) => string; thumb: (ref: { $artifact: string }) => string }) {
  const entries = Object.entries(outputs).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return null;
  return (
    <div className="outputs">
      {entries.map(([port, value]) => {
        const images = (Array.isArray(value) ? value : [value]).filter((v) => isArtifactRef(v) && v.mime.startsWith('image/'));
        if (images.length) {
          return (
            <div key={port} className="image-grid" data-port={port}>
              {images.slice(0, 9).map((ref, i) => isArtifactRef(ref) && <a key={i} href={url(ref)} target="_blank" rel="noreferrer"><img alt={`${port} ${i}`} src={thumb(ref)} loading="lazy" /></a>)}
            </div>
          );
        }
        if (isArtifactRef(value) && value.mime.startsWith('video/')) return <video key={port} controls src={url(value)} />;
        const text = typeof value === 'string' ? value : typeof value === 'number' ? formatNumber(value) : JSON.stringify(value);
        return <div key={port} className="output-text" data-port={port}><b>{port}</b> {text.length > 200 ? `${text.slice(0, 200)}…` : text}</div>;
      })}
    </div>
  );
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(4);
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
