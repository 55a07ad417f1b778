/**
 * Inline widgets for unconnected inputs: number (min/max/step), slider, text, textarea, bool,
 * enum, seed with randomize, and file upload into the server's artifact store.
 * Each change is an edit merged per field, so a typing burst is one undo step.
 */
import { memo, useState } from 'react';
import type { InputSpec } from '../../../runtime/graph/node-definition.ts';
import { isArtifactRef } from '../../../runtime/graph/node-definition.ts';
import { isPrimitive } from '../../../runtime/graph/port-types.ts';
import { useServices } from '../app/context.ts';
import { setInput } from '../model/ops.ts';
import { ZipPreview } from '../panels/ZipPreview.tsx';

interface Props {
  nodeId: string;
  name: string;
  spec: InputSpec;
  value: unknown;
}

/** Does this input get an inline widget when it is not wired? */
export function hasWidget(spec: InputSpec): boolean {
  return isPrimitive(spec.type) || spec.widget === 'file' || spec.widget === 'zip';
}

export const InputWidget = memo(function InputWidget({ nodeId, name, spec, value }: Props) {
  const { editor } = useServices();
  const set = (v: unknown) => editor.edit((g) => setInput(g, nodeId, name, v), { merge: `input:${nodeId}.${name}` });
  const commit = () => editor.history.endBurst();
  const shown = value ?? spec.default;
  const label = `${nodeId}.${name}`;
  switch (spec.type) {
    case 'int':
    case 'float': {
      const step = spec.step ?? (spec.type === 'int' ? 1 : 0.01);
      const parse = (s: string) => (s === '' ? undefined : spec.type === 'int' ? Math.round(Number(s)) : Number(s));
      const number = <NumberInput label={label} spec={spec} step={step} value={shown} onValue={(s) => set(parse(s))} onCommit={commit} />;
      if (spec.widget !== 'slider' || spec.min === undefined || spec.max === undefined) return number;
      return (
        <span className="widget-slider">
          <input className="nodrag nowheel" type="range" aria-label={`${label} slider`} min={spec.min} max={spec.max} step={step}
            value={Number(shown ?? spec.min)} onChange={(e) => set(parse(e.target.value))} onPointerUp={commit} />
          {number}
        </span>
      );
    }
    case 'seed':
      return (
        <span className="widget-seed">
          <input className="nodrag widget-number" type="number" aria-label={label} title="-1: a new random seed every run"
            value={shown === undefined ? -1 : String(shown)} onChange={(e) => set(e.target.value === '' ? -1 : Math.round(Number(e.target.value)))} onBlur={commit} />
          <button className="nodrag" type="button" title="Randomize" aria-label={`randomize ${label}`}
            onClick={() => { set(Math.floor(Math.random() * 2 ** 31)); commit(); }}>🎲</button>
        </span>
      );
    case 'bool':
      return <input className="nodrag" type="checkbox" aria-label={label} checked={shown === true} onChange={(e) => { set(e.target.checked); commit(); }} />;
    case 'enum':
      return (
        <select className="nodrag" aria-label={label} value={String(shown ?? '')} onChange={(e) => { set(e.target.value); commit(); }}>
          {shown === undefined && <option value="">choose…</option>}
          {spec.values?.map((v) => <option key={v} value={v}>{v}</option>)}
        </select>
      );
    case 'text':
      if (spec.widget === 'color') {
        return <input className="nodrag" type="color" aria-label={label} value={/^#[0-9a-f]{6}$/i.test(String(shown)) ? String(shown) : '#000000'} onChange={(e) => set(e.target.value)} onBlur={commit} />;
      }
      return spec.widget === 'textarea' ? (
        <textarea className="nodrag nowheel widget-text" aria-label={label} rows={3} value={String(shown ?? '')} onChange={(e) => set(e.target.value)} onBlur={commit} />
      ) : (
        <input className="nodrag widget-text" aria-label={label} value={String(shown ?? '')} onChange={(e) => set(e.target.value)} onBlur={commit} />
      );
    default:
      return spec.widget === 'file' || spec.widget === 'zip' ? <FileWidget label={label} spec={spec} value={value} onUploaded={(ref) => { set(ref); commit(); }} /> : null;
  }
});

/**
 * A number field keeps the text being typed (an empty or half-typed number) locally and writes
 * every parseable state to the document; the document value shows again once focus leaves.
 */
function NumberInput({ label, spec, step, value, onValue, onCommit }: { label: string; spec: InputSpec; step: number; value: unknown; onValue: (s: string) => void; onCommit: () => void }) {
  const [draft, setDraft] = useState<string>();
  return (
    <input className="nodrag widget-number" type="number" aria-label={label} min={spec.min} max={spec.max} step={step}
      value={draft ?? (value === undefined ? '' : String(value))}
      onChange={(e) => {
        setDraft(e.target.value);
        if (e.target.value !== '' && Number.isFinite(Number(e.target.value))) onValue(e.target.value);
      }}
      onBlur={() => { setDraft(undefined); onCommit(); }} />
  );
}

function FileWidget({ label, spec, value, onUploaded }: { label: string; spec: InputSpec; value: unknown; onUploaded: (ref: unknown) => void }) {
  const { api } = useServices();
  const [state, setState] = useState<string>('');
  const [previewing, setPreviewing] = useState<File>();
  const accept = spec.accept?.join(',') ?? (spec.widget === 'zip' ? '.zip,application/zip' : undefined);
  const upload = async (file: File) => {
    setState(`uploading ${file.name}…`);
    try {
      onUploaded(await api.upload(file));
      setState('');
    } catch (err) {
      setState(`upload failed: ${(err as Error).message}`);
    }
  };
  return (
    <span className="widget-file">
      <input className="nodrag" type="file" aria-label={label} accept={accept}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          if (spec.widget === 'zip') setPreviewing(file);
          else void upload(file);
        }} />
      <small>{state || (isArtifactRef(value) ? `${value.name ?? value.$artifact.slice(0, 10)} (${Math.ceil(value.size / 1024)} kB)` : '')}</small>
      {previewing && (
        <ZipPreview file={previewing} onCancel={() => setPreviewing(undefined)}
          onUpload={() => { setPreviewing(undefined); void upload(previewing); }} />
      )}
    </span>
  );
}
