export { Engine, GraphValidationError, type EngineOptions, type RunHandle, type StartOptions } from './engine.ts';
export type { NodeState, RunResult } from './run.ts';
export type { NodeFailure, NodeStatus, RunEvent, RunEventListener, RunEventType, RunStatus } from './events.ts';
export { canonicalJson, sha256 } from './canonical.ts';
export { MIN_SECRET_LENGTH, secretMasker } from './secrets.ts';
