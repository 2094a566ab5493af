// The one place the editor adapters reach the spec core: loads it on first use and caches each document's
// validation by version, so diagnostics, completion, hover, fixes, outline and lenses share one parse.
import type * as vscode from 'vscode';
import type { ValidationResult } from '../spec/types';
import { isSpecCandidate } from './core/policy';

export type SpecCore = typeof import('../spec/index.js');

let core: Promise<SpecCore> | undefined;

/** The spec core (yaml + ajv) loads on the first spec document, not at activation. */
export function loadSpecCore(): Promise<SpecCore> {
  core ??= import('../spec/index.js');
  return core;
}

export interface Analysis {
  version: number;
  text: string;
  result: ValidationResult;
}

export class SpecAnalyzer {
  private readonly cache = new Map<string, Analysis>();

  /** The validation of an open document, or undefined when it is not a spec. */
  async analyze(document: vscode.TextDocument): Promise<Analysis | undefined> {
    if (document.languageId !== 'yaml') return undefined;
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version) return cached.result.isSpec ? cached : undefined;
    const text = document.getText();
    if (!isSpecCandidate(document.fileName, text)) {
      this.cache.delete(key);
      return undefined;
    }
    const spec = await loadSpecCore();
    // Another request may have validated this version meanwhile; the document may also have changed.
    const again = this.cache.get(key);
    if (again && again.version === document.version) return again.result.isSpec ? again : undefined;
    const latest = document.getText();
    const analysis: Analysis = {
      version: document.version,
      text: latest,
      result: spec.validateText(latest, document.fileName),
    };
    this.cache.set(key, analysis);
    return analysis.result.isSpec ? analysis : undefined;
  }

  /** The latest analysis of a document, of any version: enough to recognise it and to suggest free values. */
  latest(document: vscode.TextDocument): Analysis | undefined {
    const cached = this.cache.get(document.uri.toString());
    return cached?.result.isSpec ? cached : undefined;
  }

  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }
}
