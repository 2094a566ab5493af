// Diagnostics for open specs (debounced as the user types) and for specs in the workspace that are not open
// (read from disk, kept current by a file watcher), all in one collection with source 'gateway-cluster'.
import * as vscode from 'vscode';
import type { Finding } from '../cluster-spec/types';
import { codeAnchor, isSpecCandidate, isWorkspaceSpecName, keepFinding } from './core/policy';
import type { SpecAnalyzer } from './service';

export const DIAGNOSTIC_SOURCE = 'gateway-cluster';
export const DEBOUNCE_MS = 150;
/** Workspace YAML files read at most, and the largest one read, when looking for specs that are not open. */
const MAX_WORKSPACE_FILES = 2000;
const MAX_FILE_BYTES = 5_000_000;
const YAML_GLOB = '**/*.{yaml,yml}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**}';

export function toRange(range: Finding['range']): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

function toSeverity(severity: Finding['severity']): vscode.DiagnosticSeverity {
  if (severity === 'error') return vscode.DiagnosticSeverity.Error;
  if (severity === 'warning') return vscode.DiagnosticSeverity.Warning;
  return vscode.DiagnosticSeverity.Information;
}

export class SpecDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly docsUri: vscode.Uri;
  /**
   * Documents whose last tab closed. VS Code keeps a document an extension opened alive for minutes after its
   * editor closes, so onDidCloseTextDocument comes late: the tabs say sooner what the user sees.
   */
  private readonly closedTabs = new Set<string>();

  constructor(
    private readonly analyzer: SpecAnalyzer,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.docsUri = vscode.Uri.joinPath(extensionUri, 'docs', 'cluster-spec.md');
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document, DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.closedTabs.delete(d.uri.toString());
        this.closed(d);
      }),
      vscode.window.tabGroups.onDidChangeTabs((e) => this.tabsChanged(e)),
    );
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  /** Starts watching the workspace for specs that are not open; delayed so activation stays cheap. */
  watchWorkspace(): void {
    const watcher = vscode.workspace.createFileSystemWatcher(YAML_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.scheduleFile(uri)),
      watcher.onDidChange((uri) => this.scheduleFile(uri)),
      watcher.onDidDelete((uri) => {
        if (!this.isOpen(uri)) this.collection.delete(uri);
      }),
    );
    const timer = setTimeout(
      () => void this.validateWorkspace().catch((e: unknown) => this.log.warn(String(e))),
      500,
    );
    this.disposables.push({ dispose: () => clearTimeout(timer) });
  }

  private isOpen(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return !this.closedTabs.has(key) && vscode.workspace.textDocuments.some((d) => d.uri.toString() === key);
  }

  private tabUris(tabs: readonly vscode.Tab[]): vscode.Uri[] {
    return tabs.flatMap((t) => (t.input instanceof vscode.TabInputText ? [t.input.uri] : []));
  }

  private tabsChanged(event: vscode.TabChangeEvent): void {
    const shown = new Set(
      this.tabUris(vscode.window.tabGroups.all.flatMap((g) => g.tabs)).map((u) => u.toString()),
    );
    for (const uri of this.tabUris(event.opened)) {
      if (!this.closedTabs.delete(uri.toString())) continue;
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (document) this.schedule(document, 0);
    }
    for (const uri of this.tabUris(event.closed)) {
      const key = uri.toString();
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (shown.has(key) || !document || document.isDirty) continue;
      this.closedTabs.add(key);
      this.closed(document);
    }
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (document.languageId !== 'yaml') return;
    const key = document.uri.toString();
    if (this.closedTabs.has(key)) return;
    this.debounce(key, delay, () => this.validateDocument(document));
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

  private scheduleFile(uri: vscode.Uri): void {
    if (this.isOpen(uri)) return;
    this.debounce(`file:${uri.toString()}`, DEBOUNCE_MS, () => this.validateFile(uri));
  }

  private closed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    this.analyzer.forget(document.uri);
    this.collection.delete(document.uri);
    // A spec saved in the workspace stays in the Problems view, as it is on disk.
    if (document.uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(document.uri))
      this.scheduleFile(document.uri);
  }

  /** Validates an open document now and publishes its diagnostics; returns its findings. */
  async validateDocument(document: vscode.TextDocument): Promise<Finding[]> {
    if (document.isClosed) return [];
    const analysis = await this.analyzer.analyze(document);
    if (document.isClosed) return [];
    if (!analysis) {
      this.collection.delete(document.uri);
      return [];
    }
    // A large document validates in the background: when it changed meanwhile and the newer version's
    // validation is already scheduled, these findings are stale (their ranges may be off) and that one will publish.
    if (analysis.version !== document.version && this.timers.has(document.uri.toString()))
      return analysis.result.findings;
    this.publish(document.uri, analysis.result.findings, true);
    return analysis.result.findings;
  }

  /** Validates a file from disk (not open in the editor); returns its findings, or undefined if not a spec. */
  async validateFile(uri: vscode.Uri): Promise<Finding[] | undefined> {
    if (this.isOpen(uri)) return undefined;
    let text: string;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES) return undefined;
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      this.collection.delete(uri);
      return undefined;
    }
    if (!isSpecCandidate(uri.path, text)) {
      this.collection.delete(uri);
      return undefined;
    }
    const result = await this.analyzer.validate(text, uri.fsPath || uri.path);
    if (this.isOpen(uri)) return undefined;
    if (!result.isSpec) {
      this.collection.delete(uri);
      return undefined;
    }
    this.publish(uri, result.findings, false);
    return result.findings;
  }

  /** Every spec in the workspace: open ones from the editor, the others from disk. */
  async validateWorkspace(): Promise<Array<{ uri: vscode.Uri; findings: Finding[] }>> {
    const uris = await vscode.workspace.findFiles(YAML_GLOB, EXCLUDE_GLOB, MAX_WORKSPACE_FILES);
    // Spec names first, so the ones most likely to be specs show up soonest.
    uris.sort((a, b) => Number(isWorkspaceSpecName(b.path)) - Number(isWorkspaceSpecName(a.path)));
    const out: Array<{ uri: vscode.Uri; findings: Finding[] }> = [];
    const seen = new Set<string>();
    for (const document of vscode.workspace.textDocuments) {
      if (document.languageId !== 'yaml') continue;
      const analysis = await this.analyzer.analyze(document);
      if (!analysis) continue;
      this.publish(document.uri, analysis.result.findings, true);
      out.push({ uri: document.uri, findings: analysis.result.findings });
      seen.add(document.uri.toString());
    }
    for (const uri of uris) {
      if (seen.has(uri.toString())) continue;
      const findings = await this.validateFile(uri);
      if (findings) out.push({ uri, findings });
    }
    return out;
  }

  private redHatValidates(): boolean {
    return (
      vscode.extensions.getExtension('redhat.vscode-yaml') !== undefined &&
      vscode.workspace.getConfiguration('yaml').get<boolean>('validate', true) !== false
    );
  }

  private publish(uri: vscode.Uri, findings: readonly Finding[], isOpen: boolean): void {
    const redHat = this.redHatValidates();
    this.collection.set(
      uri,
      findings.filter((f) => keepFinding(f.code, redHat, isOpen)).map((f) => this.toDiagnostic(uri, f)),
    );
  }

  toDiagnostic(uri: vscode.Uri, finding: Finding): vscode.Diagnostic {
    const diagnostic = new vscode.Diagnostic(
      toRange(finding.range),
      finding.message,
      toSeverity(finding.severity),
    );
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = {
      value: finding.code,
      target: this.docsUri.with({ fragment: codeAnchor(finding.code) }),
    };
    if (finding.related?.length) {
      diagnostic.relatedInformation = finding.related.map(
        (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r.range)), r.message),
      );
    }
    return diagnostic;
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
