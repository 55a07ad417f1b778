/**
 * A ZIP of photos is previewed before it is uploaded: thumbnails of its images, and the faces the
 * identity nodes' browser face module finds in each (boxes drawn on the thumbnail, a warning on
 * photos with no face or several). Models come from the server (`/api/models/<file>`, signed when it needs a token); without
 * them the preview still shows the photos and says why faces are missing.
 */
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { unzipSync } from 'fflate';
import type { PhotoFaces } from '../../../runtime/face/browser/client.ts';
import { useServices } from '../app/context.ts';

const IMAGE = /\.(jpe?g|png|webp)$/i;
const MAX_PREVIEW = 48;

interface Photo {
  name: string;
  url: string;
  result?: PhotoFaces;
  error?: string;
}

export function ZipPreview({ file, onUpload, onCancel }: { file: File; onUpload: () => void; onCancel: () => void }) {
  const { api } = useServices();
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [total, setTotal] = useState<number>();
  const [status, setStatus] = useState('reading the ZIP…');

  useEffect(() => {
    let cancelled = false;
    let stop: (() => void) | undefined;
    const urls: string[] = [];
    void (async () => {
      let entries: Record<string, Uint8Array>;
      try {
        entries = unzipSync(new Uint8Array(await file.arrayBuffer()), { filter: (f) => IMAGE.test(f.name) && !f.name.startsWith('__MACOSX/') });
      } catch (err) {
        setStatus(`not a readable ZIP: ${(err as Error).message}`);
        return;
      }
      const names = Object.keys(entries).sort();
      setTotal(names.length);
      const list = names.slice(0, MAX_PREVIEW).map((name) => {
        const url = URL.createObjectURL(new Blob([entries[name] as BlobPart]));
        urls.push(url);
        return { name, url };
      });
      if (cancelled) return;
      setPhotos(list);
      setStatus('finding faces…');
      try {
        const { startFaceWorker } = await import('../../../runtime/face/browser/client.ts');
        const worker = startFaceWorker();
        stop = worker.terminate;
        await worker.api.init({ modelBaseUrl: api.modelBaseUrl() });
        for (const [i, photo] of list.entries()) {
          if (cancelled) return;
          const result = await worker.api.analyze(new Blob([entries[photo.name] as BlobPart]), { multiFace: 'largest' }).catch((err: Error) => ({ error: err.message }));
          setPhotos((prev) => prev.map((p, j) => (j === i ? ('error' in result ? { ...p, error: result.error } : { ...p, result }) : p)));
        }
        setStatus('faces found by the browser face module');
      } catch (err) {
        setStatus(`face preview unavailable (${(err as Error).message}); photos only`);
      }
    })();
    return () => {
      cancelled = true;
      stop?.();
      for (const url of urls) URL.revokeObjectURL(url);
    };
  }, [file, api]);

  const withFaces = photos.filter((p) => p.result?.faces.length).length;
  // A portal: inside a node, `position: fixed` would be relative to the canvas transform.
  return createPortal(
    <div className="overlay">
      <div className="sheet zip-preview" role="dialog" aria-label="ZIP preview">
        <h3>{file.name}{total === undefined ? '' : `: ${total} photo${total === 1 ? '' : 's'}`}</h3>
        <p className="muted" data-zip-status>{status}{withFaces ? ` · ${withFaces} with a face` : ''}</p>
        <div className="zip-grid">
          {photos.map((p) => (
            <figure key={p.name} className={p.result && p.result.faces.length !== 1 ? 'warn' : ''} data-faces={p.result?.faces.length ?? ''}>
              <div className="zip-thumb">
                <img src={p.url} alt={p.name} />
                {p.result && (
                  <svg viewBox={`0 0 ${p.result.width} ${p.result.height}`} preserveAspectRatio="none">
                    {p.result.faces.map((f, i) => <rect key={i} x={f.box[0]} y={f.box[1]} width={f.box[2] - f.box[0]} height={f.box[3] - f.box[1]} />)}
                  </svg>
                )}
              </div>
              <figcaption>{p.name.split('/').pop()}<br /><small>{p.error ?? (p.result ? `${p.result.faces.length} face${p.result.faces.length === 1 ? '' : 's'}` : '…')}</small></figcaption>
            </figure>
          ))}
        </div>
        {total !== undefined && total > MAX_PREVIEW && <p className="muted">and {total - MAX_PREVIEW} more</p>}
        <button type="button" onClick={onUpload}>Upload ZIP</button> <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </div>,
    document.body,
  );
}
