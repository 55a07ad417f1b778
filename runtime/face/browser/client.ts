/** Starts the face worker (a module worker bundled by Vite) and returns its comlink proxy. */
import * as Comlink from 'comlink';
import type { FaceWorkerApi } from './worker.ts';

export type { FaceWorkerApi, FaceWorkerInit, PhotoFaces } from './worker.ts';

export function startFaceWorker(): { api: Comlink.Remote<FaceWorkerApi>; terminate(): void } {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  return { api: Comlink.wrap<FaceWorkerApi>(worker), terminate: () => worker.terminate() };
}
