// Which YAML documents the user has open, by the editor's tabs. VS Code keeps a document an extension opened
// alive for minutes after its editor closes, so onDidCloseTextDocument comes late: the tabs say sooner.
import * as vscode from 'vscode';

export interface OpenDocumentEvents {
  opened(document: vscode.TextDocument): void;
  changed(document: vscode.TextDocument): void;
  closed(document: vscode.TextDocument): void;
}

export class OpenDocuments implements vscode.Disposable {
  /** Documents whose last tab closed although the document itself is still alive. */
  private readonly closedTabs = new Set<string>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly events: OpenDocumentEvents) {
    this.disposables = [
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (!this.closedTabs.has(d.uri.toString())) events.opened(d);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && !this.closedTabs.has(e.document.uri.toString()))
          events.changed(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (!this.closedTabs.delete(d.uri.toString())) events.closed(d);
      }),
      vscode.window.tabGroups.onDidChangeTabs((e) => this.tabsChanged(e)),
    ];
  }

  isOpen(uri: vscode.Uri): boolean {
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
      const document = this.documentOf(uri.toString());
      if (document) this.events.opened(document);
    }
    for (const uri of this.tabUris(event.closed)) {
      const key = uri.toString();
      const document = this.documentOf(key);
      if (shown.has(key) || !document || document.isDirty) continue;
      this.closedTabs.add(key);
      this.events.closed(document);
    }
  }

  private documentOf(key: string): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
