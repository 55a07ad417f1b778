/** Boot: fetch node types, recover the autosaved draft (or start empty), then render the editor. */
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { Api, CastgraphApiError } from './api/api.ts';
import { App } from './app/App.tsx';
import { emptyGraph } from './app/commands.ts';
import { EditorContext } from './app/context.ts';
import { Editor } from './app/editor.ts';
import { readDraft } from './app/persistence.ts';
import { NodeTypes } from './model/node-types.ts';

const root = createRoot(document.getElementById('root')!);
const api = new Api(location.origin, accessToken());

/**
 * A server bound beyond loopback requires a token: open the editor once as `/?token=…`; the token is
 * kept for this tab in sessionStorage and removed from the address bar (so it is not shared by copying the URL).
 */
function accessToken(): string | undefined {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem('castgraph.token', fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url);
  }
  return sessionStorage.getItem('castgraph.token') ?? undefined;
}

try {
  const types = new NodeTypes(await api.nodeTypes());
  const draft = readDraft();
  const editor = new Editor(types, draft?.doc ?? emptyGraph());
  editor.libraryRevision = draft?.revision;
  // Tests and the benchmark drive the editor through this handle.
  (globalThis as { castgraph?: unknown }).castgraph = { editor, api };
  root.render(
    <EditorContext.Provider value={{ editor, api }}>
      <App />
    </EditorContext.Provider>,
  );
} catch (err) {
  const needsToken = err instanceof CastgraphApiError && err.status === 401;
  root.render(
    <p className="fatal">
      The editor could not reach the Castgraph server: {(err as Error).message}
      {needsToken && <><br />This server requires a token: open the editor as <code>/?token=…</code>.</>}
    </p>,
  );
}
