// Worker thread (bundled as dist/spec-worker.js): validates large specs off the extension host's thread, so
// typing, completion and other extensions stay responsive while a big file is checked. Pure Node, no vscode.
import { parentPort } from 'node:worker_threads';
import type { ValidateOptions } from '../cluster-spec/types';
import { validateText } from '../cluster-spec/validate';
import { toPortable, transferList, type PortableResult } from './portable-result';

export interface WorkerRequest {
  id: number;
  text: string;
  fileName: string;
  options: Omit<ValidateOptions, 'fileExists'>;
}

export type WorkerResponse = { id: number; result: PortableResult } | { id: number; error: string };

parentPort?.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  let transfer: ArrayBuffer[] = [];
  try {
    const result = toPortable(validateText(request.text, request.fileName, request.options));
    response = { id: request.id, result };
    transfer = transferList(result);
  } catch (error) {
    response = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(response, transfer);
});
