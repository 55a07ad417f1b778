export { MODELS, DETECTOR_IDS, EMBEDDER_IDS, modelEntry, licenceWarning } from './catalog.ts';
export type { ModelEntry, DetectorId, EmbedderId } from './catalog.ts';
export { ModelManager, ModelError, defaultModelsDir } from './manager.ts';
export type { ModelStatus, PullOptions } from './manager.ts';
