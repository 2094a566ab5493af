// The Problems view for specs: publishes the SpecService's findings (open documents and spec files on disk) in
// one collection with source 'gateway-cluster', each code linked to its documentation.
import * as vscode from 'vscode';
import type { Finding } from '../cluster-spec/types';
import type { SpecService, SpecState } from '../spec-service';
import { codeAnchor, keepFinding } from './core/policy';

export const DIAGNOSTIC_SOURCE = 'gateway-cluster';

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
  private readonly docsUri: vscode.Uri;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly specs: SpecService,
    extensionUri: vscode.Uri,
  ) {
    this.docsUri = vscode.Uri.joinPath(extensionUri, 'docs', 'cluster-spec.md');
    this.subscription = specs.onDidChange(({ uri, state }) => {
      if (!state) this.collection.delete(uri);
      // A large document validates in the background: when it changed meanwhile and the newer version's
      // validation is already scheduled, these findings are stale (their ranges may be off); that one publishes.
      else if (!(state.open && this.isStale(state))) this.publish(state);
    });
  }

  private isStale(state: SpecState): boolean {
    const key = state.uri.toString();
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    return document !== undefined && document.version !== state.version && this.specs.isScheduled(state.uri);
  }

  /** The findings of an open document, validated now and published; [] when it is not a spec. */
  async validateDocument(document: vscode.TextDocument): Promise<Finding[]> {
    const analysis = await this.specs.analyze(document);
    if (!analysis) return [];
    this.publish({ ...analysis, uri: document.uri, open: true });
    return analysis.result.findings;
  }

  private redHatValidates(): boolean {
    return (
      vscode.extensions.getExtension('redhat.vscode-yaml') !== undefined &&
      vscode.workspace.getConfiguration('yaml').get<boolean>('validate', true) !== false
    );
  }

  private publish(state: SpecState): void {
    const redHat = this.redHatValidates();
    this.collection.set(
      state.uri,
      state.result.findings
        .filter((f) => keepFinding(f.code, redHat, state.open))
        .map((f) => this.toDiagnostic(state.uri, f)),
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
    this.subscription.dispose();
    this.collection.dispose();
  }
}
