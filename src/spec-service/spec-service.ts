// The one place that finds and validates cluster specs in the editor: open documents (debounced as the user
// types, unsaved edits included) and spec files on disk (a workspace scan, kept current by a file watcher).
// Validation always runs in the worker thread, never on the extension host's; the language features, the
// tree and the wizards subscribe to the results.
import * as vscode from 'vscode';
import type { ValidationResult } from '../cluster-spec/types';
import { isSpecCandidate, isWorkspaceSpecName } from './candidates';
import { OpenDocuments } from './open-documents';
import { fromPortable } from './portable-result';
import type { SpecWorkerClient } from './worker-client';

export const DEBOUNCE_MS = 150;
/** Workspace YAML files read at most, and the largest one read, when looking for specs that are not open. */
const MAX_WORKSPACE_FILES = 2000;
const MAX_FILE_BYTES = 5_000_000;
const YAML_GLOB = '**/*.{yaml,yml}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**}';

/** One validated text: an open document's version, or a file's content on disk (version 0). */
export interface Analysis {
  version: number;
  text: string;
  result: ValidationResult;
}

/** A spec file as the service knows it. */
export interface SpecState extends Analysis {
  uri: vscode.Uri;
  /** Open in the editor (the text may be unsaved), or read from disk. */
  open: boolean;
}

type SpecCore = typeof import('../cluster-spec/index.js');

let core: Promise<SpecCore> | undefined;

/** The spec core (yaml, the schema) loads on the first spec document, not at activation. */
export function loadSpecCore(): Promise<SpecCore> {
  core ??= import('../cluster-spec/index.js');
  return core;
}

export class SpecService implements vscode.Disposable {
  private readonly states = new Map<string, SpecState>();
  /** Validations under way, by document: requests for the same version share one. */
  private readonly pending = new Map<string, { version: number; analysis: Promise<Analysis> }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<{ uri: vscode.Uri; state: SpecState | undefined }>();
  /** Fires when a spec file's findings or model changed, or it stopped being a spec (state undefined). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly openDocuments: OpenDocuments;

  constructor(
    private readonly worker: SpecWorkerClient,
    private readonly log: vscode.LogOutputChannel,
    /** Untrusted, validation touches nothing on this machine that a spec names (GC180's identity files). */
    private readonly isTrusted: () => boolean = () => vscode.workspace.isTrusted,
  ) {
    this.openDocuments = new OpenDocuments({
      opened: (document) => this.schedule(document, 0),
      changed: (document) => this.schedule(document, DEBOUNCE_MS),
      closed: (document) => this.closed(document),
    });
    this.disposables.push(
      this.openDocuments,
      // Trusted now: validate again, with the checks that look at this machine.
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.validateAll()),
    );
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  /** Starts watching the workspace for spec files that are not open; delayed so activation stays cheap. */
  watchWorkspace(): void {
    const watcher = vscode.workspace.createFileSystemWatcher(YAML_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.scheduleFile(uri)),
      watcher.onDidChange((uri) => this.scheduleFile(uri)),
      watcher.onDidDelete((uri) => {
        if (!this.openDocuments.isOpen(uri)) this.forget(uri);
      }),
    );
    const timer = setTimeout(
      () => void this.validateAll().catch((e: unknown) => this.log.warn(String(e))),
      500,
    );
    this.disposables.push({ dispose: () => clearTimeout(timer) });
  }

  /** Every spec file known now (open or on disk). */
  specs(): SpecState[] {
    return [...this.states.values()].filter((s) => s.result.isSpec);
  }

  get(uri: vscode.Uri): SpecState | undefined {
    return this.states.get(uri.toString());
  }

  /** The validation of an open document's current version, or undefined when it is not a spec. */
  async analyze(document: vscode.TextDocument): Promise<Analysis | undefined> {
    if (document.languageId !== 'yaml') return undefined;
    const key = document.uri.toString();
    const cached = this.states.get(key);
    if (cached?.open && cached.version === document.version) return cached.result.isSpec ? cached : undefined;
    if (!isSpecCandidate(document.fileName, document.getText())) {
      this.forget(document.uri);
      return undefined;
    }
    let pending = this.pending.get(key);
    if (!pending || pending.version !== document.version) {
      const version = document.version;
      const analysis = this.validate(key, version, document.getText(), document.fileName).then((done) => {
        if (!document.isClosed) this.publish(document.uri, { ...done, uri: document.uri, open: true });
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

  /** The latest analysis of a document, of any version: enough to recognise it and to suggest free values. */
  latest(document: vscode.TextDocument): Analysis | undefined {
    const cached = this.states.get(document.uri.toString());
    return cached?.result.isSpec ? cached : undefined;
  }

  /** The spec's current validation, validating it now if needed (a command that needs its cluster at once). */
  async ensure(uri: vscode.Uri): Promise<SpecState | undefined> {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (document && this.openDocuments.isOpen(uri)) {
      const analysis = await this.analyze(document);
      return analysis && { ...analysis, uri, open: true };
    }
    return this.states.get(uri.toString()) ?? this.validateFile(uri);
  }

  /** Validates a file from disk (not open in the editor); undefined when it is not a spec. */
  async validateFile(uri: vscode.Uri): Promise<SpecState | undefined> {
    if (this.openDocuments.isOpen(uri)) return this.states.get(uri.toString());
    let text: string;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES) return undefined;
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      this.forget(uri);
      return undefined;
    }
    if (!isSpecCandidate(uri.path, text)) {
      this.forget(uri);
      return undefined;
    }
    const analysis = await this.validate(`file:${uri.toString()}`, 0, text, uri.fsPath || uri.path);
    if (this.openDocuments.isOpen(uri)) return this.states.get(uri.toString());
    const state: SpecState = { ...analysis, uri, open: false };
    this.publish(uri, state);
    return state.result.isSpec ? state : undefined;
  }

  /** Every spec in the workspace: open ones from the editor, the others from disk. */
  async validateAll(): Promise<SpecState[]> {
    const uris = await vscode.workspace.findFiles(YAML_GLOB, EXCLUDE_GLOB, MAX_WORKSPACE_FILES);
    // Spec names first, so the ones most likely to be specs show up soonest.
    uris.sort((a, b) => Number(isWorkspaceSpecName(b.path)) - Number(isWorkspaceSpecName(a.path)));
    const out: SpecState[] = [];
    const seen = new Set<string>();
    for (const document of vscode.workspace.textDocuments) {
      if (document.languageId !== 'yaml' || !this.openDocuments.isOpen(document.uri)) continue;
      // A fresh validation (trust or the machine may have changed), not the cached one.
      this.states.delete(document.uri.toString());
      const analysis = await this.analyze(document);
      seen.add(document.uri.toString());
      if (analysis) out.push({ ...analysis, uri: document.uri, open: true });
    }
    for (const uri of uris) {
      if (seen.has(uri.toString())) continue;
      const state = await this.validateFile(uri);
      if (state) out.push(state);
    }
    return out;
  }

  /** Validates in the worker; only if the worker cannot run at all, here (and the log says so). */
  private async validate(key: string, version: number, text: string, fileName: string): Promise<Analysis> {
    const options = { offline: !this.isTrusted() };
    const spec = await loadSpecCore();
    if (this.worker.available) {
      try {
        const answer = await this.worker.validate(key, version, { text, fileName, options });
        return {
          version: answer.tag,
          text: answer.text,
          result: fromPortable(answer.result, () => ({ documents: spec.locateDocuments(answer.text) })),
        };
      } catch (error) {
        this.log.error(`Validation worker failed (${String(error)}); validating on the editor's thread.`);
      }
    }
    return { version, text, result: spec.validateText(text, fileName, options) };
  }

  private publish(uri: vscode.Uri, state: SpecState): void {
    const key = uri.toString();
    const previous = this.states.get(key);
    // A large document validated in the background may come back after a newer version was published.
    if (previous?.open && state.open && previous.version > state.version) return;
    this.states.set(key, state);
    if (!state.result.isSpec && !previous?.result.isSpec) return;
    this.changed.fire({ uri, state: state.result.isSpec ? state : undefined });
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const previous = this.states.get(key);
    this.states.delete(key);
    if (previous?.result.isSpec) this.changed.fire({ uri, state: undefined });
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (document.languageId !== 'yaml') return;
    this.debounce(document.uri.toString(), delay, () => this.analyze(document));
  }

  private scheduleFile(uri: vscode.Uri): void {
    if (this.openDocuments.isOpen(uri)) return;
    this.debounce(`file:${uri.toString()}`, DEBOUNCE_MS, () => this.validateFile(uri));
  }

  /** Runs `validate` once `delay` ms after the last call for the same key. */
  private debounce(key: string, delay: number, validate: () => Promise<unknown>): void {
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void validate().catch((e: unknown) => this.log.warn(`Validation failed: ${String(e)}`));
      }, delay),
    );
  }

  private closed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    // A spec saved in the workspace stays known as it is on disk (replacing the open version in one change,
    // so its cluster keeps its connection); anything else is forgotten.
    if (document.uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(document.uri))
      void this.validateFile(document.uri).catch((e: unknown) => this.log.warn(String(e)));
    else this.forget(document.uri);
  }

  /** Whether a validation is scheduled for an open document (its newer findings are on the way). */
  isScheduled(uri: vscode.Uri): boolean {
    return this.timers.has(uri.toString());
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
    this.worker.dispose();
  }
}
