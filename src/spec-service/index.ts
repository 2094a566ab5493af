// Spec discovery and validation for the editor: one service, every feature subscribes to its results.
export { SpecService, loadSpecCore, DEBOUNCE_MS } from './spec-service';
export type { Analysis, SpecState } from './spec-service';
export { SpecWorkerClient } from './worker-client';
export { isSpecCandidate, isWorkspaceSpecName } from './candidates';
