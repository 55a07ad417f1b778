/**
 * The inspector: the selected node's documentation, label, mode and every input (wired ones say
 * where their value comes from), plus its latest outputs. Output files download through the
 * server's run outputs route, so PNGs and MP4s come with the graph the run executed embedded and
 * dropping them back on the canvas reopens it.
 */
import { memo } from 'react';
import type { GraphNode } from '../../../runtime/graph/document.ts';
import { isArtifactRef, type NodePorts } from '../../../runtime/graph/node-definition.ts';
import { useDocument, useServices, useView } from '../app/context.ts';
import { downloadBlob } from '../app/persistence.ts';
import { hasWidget, InputWidget } from '../canvas/widgets.tsx';
import { portColor } from '../canvas/to-flow.ts';
import { useKeyed } from '../model/keyed-store.ts';
import { graphAt } from '../model/ops.ts';

export function Inspector() {
  const { editor } = useServices();
  const doc = useDocument();
  const view = useView();
  const graph = graphAt(doc, view.path);
  const node = graph.nodes.find((n) => view.selection.has(n.id));
  if (!node) return <p className="muted">Select a node to see its documentation and inputs. Press <kbd>?</kbd> for shortcuts.</p>;
  const ports = editor.types.ports(node);
  const wired = graph.edges.filter((e) => e.to.node === node.id).map((e) => `${e.to.port}=${e.from.node}.${e.from.port}`).join(',');
  // Moving the node changes its position only: the body is memoised on what it shows.
  return <InspectorBody node={node} inputs={node.inputs} label={node.label} mode={node.mode} ports={ports} wired={wired} />;
}

interface BodyProps {
  node: GraphNode;
  inputs: GraphNode['inputs'];
  label?: string;
  mode?: GraphNode['mode'];
  ports?: NodePorts;
  wired: string;
}

const InspectorBody = memo(function InspectorBody({ node, ports, wired }: BodyProps) {
  const { editor, api } = useServices();
  const run = useKeyed(editor.run.nodes, node.id);
  const info = editor.types.get(node.type);
  const wires = new Map(wired ? wired.split(',').map((w) => {
    const [port, from] = w.split('=') as [string, string];
    const dot = from.lastIndexOf('.');
    return [port, { node: from.slice(0, dot), port: from.slice(dot + 1) }];
  }) : []);

  const runId = editor.run.summary.get('current')?.runId;
  const download = async (port: string, index: number | undefined) => {
    if (!runId) return;
    const res = await api.client.downloadRunOutput(runId, `${node.id}.${port}`, index);
    // The server names the file (`resize.image.png`, with the extension of its type).
    downloadBlob(/filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `${node.id}-${port}`, await res.blob());
  };

  return (
    <div className="inspector" data-node-id={node.id}>
      <h3>{info?.title ?? node.type}</h3>
      <p className="muted"><code>{node.type}</code> v{node.typeVersion} · {info?.category ?? 'unknown type'}{info?.resource === 'gpu' ? ' · GPU' : ''}</p>
      <label>Label <input aria-label="node label" value={node.label ?? ''} placeholder={info?.title}
        onChange={(e) => editor.edit((g) => { const n = g.nodes.find((x) => x.id === node.id); if (n) { if (e.target.value) n.label = e.target.value; else delete n.label; } }, { merge: `label:${node.id}` })} /></label>
      <label>Mode <select aria-label="node mode" value={node.mode ?? 'active'}
        onChange={(e) => editor.edit((g) => { const n = g.nodes.find((x) => x.id === node.id); if (n) { if (e.target.value === 'active') delete n.mode; else n.mode = e.target.value as 'bypass' | 'mute'; } })}>
        <option value="active">active</option><option value="bypass">bypass (pass inputs through)</option><option value="mute">mute (produce nothing)</option>
      </select></label>
      {info && <p>{info.description}</p>}
      {ports && (
        <table className="inspector-inputs"><tbody>
          {Object.entries(ports.inputs).map(([name, spec]) => (
            <tr key={name}>
              <td><span className="dot" style={{ background: portColor(spec.type) }} /> {name}<br /><small className="muted">{spec.type}{spec.optional ? ', optional' : ''}</small></td>
              <td>{wires.has(name) ? <small>from {wires.get(name)!.node}.{wires.get(name)!.port}</small>
                : hasWidget(spec) ? <InputWidget nodeId={node.id} name={name} spec={spec} value={node.inputs[name]} /> : <small className="muted">wire only</small>}
                {spec.description && <div className="muted small">{spec.description}</div>}</td>
            </tr>
          ))}
        </tbody></table>
      )}
      {info?.docs && <details open><summary>Documentation</summary><pre className="docs">{info.docs}</pre></details>}
      {run?.outputs && (
        <details open><summary>Outputs</summary>
          {Object.entries(run.outputs).map(([port, value]) => (
            <div key={port} className="inspector-output">
              <b>{port}</b>{' '}
              {(Array.isArray(value) ? value : [value]).map((v, i) => {
                if (!isArtifactRef(v)) return <code key={i}>{JSON.stringify(v).slice(0, 300)}</code>;
                const index = Array.isArray(value) ? i : undefined;
                const tagged = v.mime === 'image/png' ? 'PNG' : v.mime === 'video/mp4' ? 'MP4' : undefined;
                return (
                  <span key={i}>
                    {v.mime.startsWith('image/') && <img src={api.artifactUrl(v)} alt={`${port} ${i}`} className="inspector-image" />}
                    {runId && <button type="button" onClick={() => void download(port, index)}>{tagged ? `Download ${tagged} with graph` : `Download ${v.mime}`}</button>}
                  </span>
                );
              })}
            </div>
          ))}
        </details>
      )}
    </div>
  );
}, (a, b) => a.inputs === b.inputs && a.label === b.label && a.mode === b.mode && a.node.graph === b.node.graph && a.wired === b.wired && a.node.id === b.node.id && a.node.type === b.node.type);
