// The one place the editor adapters reach the spec core: loads it on first use and caches each document's
// validation by version, so diagnostics, completion, hover, fixes, outline and lenses share one parse.
// Large documents are validated in a worker thread (see worker-client.ts), small ones synchronously: for
// them a worker's round trip would cost more than it saves.
import type * as vscode from 'vscode';
import type { ValidationResult } from '../cluster-spec/types';
import { isSpecCandidate } from './core/policy';
import { fromPortable } from './core/portable-result';
import type { SpecWorkerClient } from './worker-client';

export type SpecCore = typeof import('../cluster-spec/index.js');

/**
 * Above this many characters (about 2,700 nodes), validation leaves the extension host's thread: it takes
 * hundreds of milliseconds there (see docs/performance.md), during which nothing else in the host runs.
 */
export const WORKER_THRESHOLD_CHARS = 200_000;

let core: Promise<SpecCore> | undefined;

/** The spec core (yaml + ajv) loads on the first spec document, not at activation. */
export function loadSpecCore(): Promise<SpecCore> {
  core ??= import('../cluster-spec/index.js');
  return core;
}

export interface Analysis {
  version: number;
  text: string;
  result: ValidationResult;
}

export class SpecAnalyzer {
  private readonly cache = new Map<string, Analysis>();
  /** Validations under way, by document: requests for the same version share one. */
  private readonly pending = new Map<string, { version: number; analysis: Promise<Analysis> }>();

  constructor(private readonly worker?: SpecWorkerClient) {}

  /** The validation of an open document, or undefined when it is not a spec. */
  async analyze(document: vscode.TextDocument): Promise<Analysis | undefined> {
    if (document.languageId !== 'yaml') return undefined;
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version) return cached.result.isSpec ? cached : undefined;
    if (!isSpecCandidate(document.fileName, document.getText())) {
      this.cache.delete(key);
      return undefined;
    }
    const spec = await loadSpecCore();
    // Another request may have validated this version meanwhile; the document may also have changed.
    const again = this.cache.get(key);
    if (again && again.version === document.version) return again.result.isSpec ? again : undefined;
    let pending = this.pending.get(key);
    if (!pending || pending.version !== document.version) {
      const version = document.version;
      const text = document.getText();
      const analysis = this.run(spec, key, { version, text }, document.fileName).then((done) => {
        const current = this.cache.get(key);
        if (!current || current.version < done.version) this.cache.set(key, done);
        return done;
      });
      pending = { version, analysis };
      this.pending.set(key, pending);
      const settled = pending;
      void analysis.finally(() => {
        if (this.pending.get(key) === settled) this.pending.delete(key);
      });
    }
    const analysis = await pending.analysis;
    return analysis.result.isSpec ? analysis : undefined;
  }

  /** Validates `text` (a document's or a file's), in the worker when it is large and the worker is there. */
  async validate(text: string, fileName: string): Promise<ValidationResult> {
    const analysis = await this.run(await loadSpecCore(), `file:${fileName}`, { version: 0, text }, fileName);
    return analysis.result;
  }

  /**
   * Validates one version of a text. The answer may be for a newer version of the same document, when that
   * one replaced this one in the worker's queue: the returned analysis says which.
   */
  private async run(
    spec: SpecCore,
    key: string,
    asked: { version: number; text: string },
    fileName: string,
  ): Promise<Analysis> {
    if (asked.text.length > WORKER_THRESHOLD_CHARS && this.worker?.available) {
      try {
        const answer = await this.worker.validate(key, asked.version, {
          text: asked.text,
          fileName,
          options: {},
        });
        const text = answer.text;
        return {
          version: answer.tag,
          text,
          result: fromPortable(answer.result, () => spec.validateText(text, fileName)),
        };
      } catch {
        // The worker failed or stopped: validate here instead (the client has logged why).
      }
    }
    return { ...asked, result: spec.validateText(asked.text, fileName) };
  }

  /** The latest analysis of a document, of any version: enough to recognise it and to suggest free values. */
  latest(document: vscode.TextDocument): Analysis | undefined {
    const cached = this.cache.get(document.uri.toString());
    return cached?.result.isSpec ? cached : undefined;
  }

  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }

  dispose(): void {
    this.worker?.dispose();
  }
}
