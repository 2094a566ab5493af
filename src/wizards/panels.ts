// The wizard panels: one webview panel per operation and spec, bound to a WizardSession that outlives it.
// Closing a panel leaves a running operation going under a progress notification (with cancel); reopening
// reattaches; after a window reload the serializer restores the panel with its last run.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RUNS_DIR } from '../ops/transcript';
import { validateText } from '../cluster-spec';
import type { ClusterModel } from '../cluster-spec';
import { makeNonce, wizardHtml } from './html';
import type { CommandName, HostToWebview, WizardKind, WizardView } from './protocol';
import { isWizardView, parsePersistedState, parseWebviewMessage } from './protocol';
import type { WizardEngineFactory } from './session';
import { WizardSession } from './session';
import { WIZARD_TITLES, progressOf } from './state';
import { WIZARD_VIEW_TYPE } from './view-type';

export { WIZARD_VIEW_TYPE } from './view-type';
/** workspaceState key of the last view of each wizard and spec. */
const LAST_VIEWS = 'gatewayCluster.wizard.lastViews';
/** Snapshots go to the webview at most this often while output streams in. */
const POST_INTERVAL_MS = 60;

interface Binding {
  panel: vscode.WebviewPanel;
  nonce: string;
  disposables: vscode.Disposable[];
}

/** What the extension-host tests read back (never a secret: views hold none). */
export interface PanelInspection {
  key: string;
  kind: WizardKind;
  specUri: string;
  html: string;
  localResourceRoots: string[];
  enableScripts: boolean;
  retainContextWhenHidden: boolean;
  visible: boolean;
  view: WizardView;
  running: boolean;
}

export class WizardPanels implements vscode.Disposable {
  private readonly sessions = new Map<string, WizardSession>();
  private readonly bindings = new Map<string, Binding>();
  /** Ends the progress notification of a run whose panel was closed (when the panel comes back). */
  private readonly detached = new Map<string, () => void>();
  private readonly specUris = new Map<string, vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private engines: WizardEngineFactory,
    private readonly log: vscode.LogOutputChannel,
    /** False when the caller registered the serializer itself (the activation shell does) and delegates. */
    registerSerializer = true,
  ) {
    if (registerSerializer) {
      this.disposables.push(
        vscode.window.registerWebviewPanelSerializer(WIZARD_VIEW_TYPE, {
          deserializeWebviewPanel: (panel, state) => this.restore(panel, state),
        }),
      );
    }
    this.disposables.push(vscode.workspace.onDidSaveTextDocument((doc) => void this.specChanged(doc.uri)));
  }

  /** Tests swap in a scripted engine; the next run of every wizard uses it. */
  setEngineFactory(engines: WizardEngineFactory): void {
    this.engines = engines;
  }

  private keyOf(kind: WizardKind, specUri: vscode.Uri): string {
    return `${kind}|${specUri.toString()}`;
  }

  private get distWebview(): vscode.Uri {
    return vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
  }

  /** Opens (or reveals) the wizard for a spec. */
  async open(kind: WizardKind, specUri: vscode.Uri, documentIndex = 0): Promise<void> {
    const key = this.keyOf(kind, specUri);
    const existing = this.bindings.get(key);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const session = await this.sessionFor(kind, specUri, documentIndex);
    const panel = vscode.window.createWebviewPanel(
      WIZARD_VIEW_TYPE,
      session.view.title,
      vscode.ViewColumn.Active,
      this.webviewOptions(),
    );
    this.bind(key, panel, session, specUri);
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    // No retainContextWhenHidden: the webview rebuilds from the host's state (and its own setState).
    return { enableScripts: true, localResourceRoots: [this.distWebview] };
  }

  /** Restores a panel after a window reload (the webview serializer's deserializeWebviewPanel). */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const persisted = parsePersistedState(state);
    if (!persisted) {
      // Nothing usable to restore: say so instead of leaving an empty panel behind.
      panel.webview.html =
        `<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src 'none'">` +
        '<p>This wizard could not be restored. Open it again from the spec.</p>';
      return;
    }
    const specUri = vscode.Uri.parse(persisted.specUri);
    const key = this.keyOf(persisted.kind, specUri);
    const other = this.bindings.get(key);
    if (other) {
      panel.dispose();
      other.panel.reveal();
      return;
    }
    panel.webview.options = this.webviewOptions();
    const session = await this.sessionFor(persisted.kind, specUri, 0, persisted.view);
    this.bind(key, panel, session, specUri);
  }

  private async sessionFor(
    kind: WizardKind,
    specUri: vscode.Uri,
    documentIndex: number,
    restored?: WizardView,
  ): Promise<WizardSession> {
    const key = this.keyOf(kind, specUri);
    const existing = this.sessions.get(key);
    if (existing) return existing;
    const { model, label } = await this.readSpec(specUri, documentIndex);
    const session = new WizardSession({
      kind,
      model,
      specLabel: label,
      workspaceRoot: vscode.workspace.getWorkspaceFolder(specUri)?.uri.fsPath,
      secrets: this.context.secrets,
      // Looked up per run, so a swapped factory (tests) applies to open wizards too.
      engines: (request) => this.engines(request),
      restored: restored ?? this.lastViewOf(key, kind),
    });
    this.sessions.set(key, session);
    this.specUris.set(key, specUri);
    session.onDidFinish((view) => void this.finished(key, view));
    if (!restored) session.showPlan();
    return session;
  }

  private async readSpec(
    specUri: vscode.Uri,
    documentIndex: number,
  ): Promise<{ model: ClusterModel | undefined; label: string }> {
    const label = vscode.workspace.asRelativePath(specUri, false);
    try {
      const document = await vscode.workspace.openTextDocument(specUri);
      const result = validateText(document.getText(), specUri.fsPath, { offline: true });
      const docs = result.documents;
      const model = (docs[documentIndex] ?? docs.find((d) => d.model))?.model;
      return { model, label };
    } catch (err) {
      this.log.warn(`Wizard: cannot read ${label}: ${err instanceof Error ? err.message : String(err)}`);
      return { model: undefined, label };
    }
  }

  private async specChanged(uri: vscode.Uri): Promise<void> {
    for (const [key, session] of this.sessions) {
      if (this.specUris.get(key)?.toString() !== uri.toString()) continue;
      const { model, label } = await this.readSpec(uri, 0);
      session.setModel(model, label);
    }
  }

  private bind(key: string, panel: vscode.WebviewPanel, session: WizardSession, specUri: vscode.Uri): void {
    this.detached.get(key)?.();
    this.detached.delete(key);
    const nonce = makeNonce();
    const webview = panel.webview;
    const asset = (name: string) =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.distWebview, name)).toString();
    panel.title = session.view.title;
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'gateway-clusters.svg');
    webview.html = wizardHtml({
      cspSource: webview.cspSource,
      nonce,
      scriptUri: asset('main.js'),
      styleUri: asset('main.css'),
      codiconUri: asset('codicon.css'),
      title: session.view.title,
    });

    let timer: NodeJS.Timeout | undefined;
    let ready = false;
    const post = () => {
      timer = undefined;
      if (!ready) return;
      const message: HostToWebview = {
        type: 'state',
        view: session.view,
        specUri: specUri.toString(),
        sentAt: Date.now(),
      };
      void webview.postMessage(message);
    };
    const schedule = () => {
      timer ??= setTimeout(post, POST_INTERVAL_MS);
    };
    const binding: Binding = { panel, nonce, disposables: [] };
    const offChange = session.onDidChange(schedule);
    binding.disposables.push(
      { dispose: offChange },
      { dispose: () => timer && clearTimeout(timer) },
      webview.onDidReceiveMessage(async (raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) {
          this.log.warn('Wizard: ignored a malformed message from the webview.');
          return;
        }
        try {
          switch (message.type) {
            case 'ready':
              ready = true;
              post();
              await session.refreshInputs();
              return;
            case 'input':
              await session.submitInput(message.key, message.value);
              return;
            case 'changeInput':
              await session.changeInput(message.key);
              return;
            case 'applyFixes':
              await session.applyFixes(message.ids);
              return;
            case 'command':
              await this.command(session, specUri, message.name);
              return;
          }
        } catch (err) {
          this.log.error(`Wizard: ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
      panel.onDidDispose(() => this.unbind(key, session)),
    );
    this.bindings.set(key, binding);
  }

  private async command(session: WizardSession, specUri: vscode.Uri, name: CommandName): Promise<void> {
    switch (name) {
      case 'start':
      case 'resume':
      case 'dryRun': {
        // The spec as it is now (unsaved edits included).
        const { model, label } = await this.readSpec(specUri, 0);
        session.setModel(model, label);
        if (name === 'dryRun') await session.dryRun();
        else await (name === 'start' ? session.start() : session.resume());
        return;
      }
      case 'cancel':
        session.cancel();
        return;
      case 'openTranscript': {
        const root = vscode.workspace.getWorkspaceFolder(specUri)?.uri;
        const runId = session.view.runId;
        if (!root || !runId || !/^[\w.-]+$/.test(runId)) return;
        const file = vscode.Uri.joinPath(root, ...RUNS_DIR.split(path.sep), `${runId}.json`);
        await vscode.window.showTextDocument(file, { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'openManager': {
        // Built from the spec by the host, never taken from the webview.
        const url = session.view.managerUrl;
        if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
        return;
      }
      case 'openSpec':
        await vscode.window.showTextDocument(specUri, { viewColumn: vscode.ViewColumn.One });
        return;
    }
  }

  private unbind(key: string, session: WizardSession): void {
    const binding = this.bindings.get(key);
    if (!binding) return;
    this.bindings.delete(key);
    for (const d of binding.disposables) d.dispose();
    if (session.isRunning) this.continueInBackground(key, session);
  }

  /** The panel closed while the operation runs: keep it going, with progress and cancel. */
  private continueInBackground(key: string, session: WizardSession): void {
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: session.view.title,
        cancellable: true,
      },
      (progress, token) =>
        new Promise<void>((resolve) => {
          let last = 0;
          const report = (view: WizardView) => {
            const { done, total, current } = progressOf(view);
            const percent = total ? Math.round((done / total) * 100) : 0;
            progress.report({
              increment: percent - last,
              message: view.phase === 'cancelling' ? 'cancelling…' : (current ?? `${done}/${total}`),
            });
            last = percent;
          };
          report(session.view);
          const off = session.onDidChange(report);
          const end = () => {
            off();
            cancel.dispose();
            this.detached.delete(key);
            resolve();
          };
          const cancel = token.onCancellationRequested(() => session.cancel());
          this.detached.set(key, end);
          void session.whenIdle.then(end);
        }),
    );
  }

  private async finished(key: string, view: WizardView): Promise<void> {
    const views = this.lastViews();
    views[key] = view;
    await this.context.workspaceState.update(LAST_VIEWS, views);
    if (this.bindings.has(key) || view.mode === 'dryRun') return;
    const specUri = this.specUris.get(key);
    const open = 'Open';
    const text = `${view.title}: ${view.phase === 'succeeded' ? 'done' : view.phase}${
      view.failure ? ` — ${view.failure.message}` : ''
    }`;
    const show =
      view.phase === 'succeeded' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    const answer = await show(text, open);
    if (answer === open && specUri) await this.open(view.kind, specUri);
  }

  private lastViewOf(key: string, kind: WizardKind): WizardView | undefined {
    const view: unknown = this.lastViews()[key];
    return isWizardView(view) && view.kind === kind ? view : undefined;
  }

  private lastViews(): Record<string, WizardView> {
    return this.context.workspaceState.get<Record<string, WizardView>>(LAST_VIEWS) ?? {};
  }

  /** For the extension-host tests: the open panels as they are. */
  inspect(): PanelInspection[] {
    return [...this.bindings.entries()].map(([key, b]) => {
      const session = this.sessions.get(key)!;
      const options = b.panel.webview.options;
      return {
        key,
        kind: session.kind,
        specUri: this.specUris.get(key)?.toString() ?? '',
        html: b.panel.webview.html,
        localResourceRoots: (options.localResourceRoots ?? []).map((u) => u.toString()),
        enableScripts: Boolean(options.enableScripts),
        retainContextWhenHidden: Boolean(b.panel.options.retainContextWhenHidden),
        visible: b.panel.visible,
        view: session.view,
        running: session.isRunning,
      };
    });
  }

  /** For tests: the session of a wizard, to wait on it. */
  sessionOf(kind: WizardKind, specUri: vscode.Uri): WizardSession | undefined {
    return this.sessions.get(this.keyOf(kind, specUri));
  }

  /** For tests: closes a wizard's panel the way the user does. */
  close(kind: WizardKind, specUri: vscode.Uri): void {
    this.bindings.get(this.keyOf(kind, specUri))?.panel.dispose();
  }

  dispose(): void {
    for (const [key, binding] of this.bindings) {
      this.unbind(key, this.sessions.get(key)!);
      binding.panel.dispose();
    }
    for (const session of this.sessions.values()) session.dispose();
    this.sessions.clear();
    for (const d of this.disposables) d.dispose();
  }
}

export { WIZARD_TITLES };
