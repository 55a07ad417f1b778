/** React access to the one `Editor` and its stores; components subscribe to the slice they show. */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { GraphDocument } from '../../../runtime/graph/document.ts';
import type { Editor, ViewState } from './editor.ts';
import type { Api } from '../api/api.ts';

export interface EditorServices {
  editor: Editor;
  api: Api;
}

export const EditorContext = createContext<EditorServices | null>(null);

export function useServices(): EditorServices {
  const services = useContext(EditorContext);
  if (!services) throw new Error('useServices outside <EditorContext.Provider>');
  return services;
}

export function useEditor(): Editor {
  return useServices().editor;
}

export function useDocument(): GraphDocument {
  const editor = useEditor();
  return useSyncExternalStore(editor.history.subscribe, editor.history.get);
}

export function useView(): ViewState {
  const editor = useEditor();
  return useSyncExternalStore(editor.subscribeView, editor.getView);
}
