// The wizard panels: one webview panel per operation and cluster, bound to a WizardController that outlives
// it. Closing a panel leaves a running operation going under a progress notification (with cancel); reopening
// reattaches; after a window reload the serializer restores the panel with its last run.
import * as vscode from 'vscode';
import { clusterKey, type ClusterRegistry, type SecretIndex } from '../clusters';
import type { OperationArgs } from '../ops';
import { WizardController, type WizardEngineFactory } from './controller';
import { bindPanel } from './panel-binding';
import type { CommandName, TypedInput, WizardKind, WizardView } from './protocol';
import { WIZARD_KINDS, isWizardView, parsePersistedState } from './protocol';
import { OPERATIONS, nextOperation } from '../ops/catalog';
import { isFlow, operationOf } from './kinds';

const isWizardKind = (name: string): name is WizardKind => (WIZARD_KINDS as readonly string[]).includes(name);
import { WIZARD_TITLES, initialView, progressOf } from './state';
import { RestoredTabs } from './restored-tabs';
import { TRANSCRIPT_SCHEME, TranscriptDocuments } from './transcript-documents';

export { WIZARD_VIEW_TYPE } from './view-type';
import { WIZARD_VIEW_TYPE } from './view-type';

/** workspaceState key of the last view of each wizard and cluster. */
const LAST_VIEWS = 'gatewayCluster.wizard.lastViews';

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

interface Wizard {
  controller: WizardController;
  kind: WizardKind;
  /** The cluster's key in the registry: `${specUri}#${documentIndex}`. */
  cluster: string;
  specUri: vscode.Uri;
}

export class WizardPanels implements vscode.Disposable {
  private readonly wizards = new Map<string, Wizard>();
  private readonly panels = new Map<
    string,
    { panel: vscode.WebviewPanel; disposables: vscode.Disposable[] }
  >();
  /** Ends the progress notification of a run whose panel was closed (when the panel comes back). */
  private readonly detached = new Map<string, () => void>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly transcripts = new TranscriptDocuments();
  private readonly runsFinished = new vscode.EventEmitter<WizardView>();
  /** The tabs a reload restored, which the serializer binds only once they show. */
  private readonly restored = new RestoredTabs(
    (title) => [...this.panels.values()].filter(({ panel }) => panel.title === title).length,
  );
  /** A run of any wizard ended (the walkthrough follows the procedure with it). */
  readonly onDidFinishRun = this.runsFinished.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly registry: ClusterRegistry,
    private readonly engines: WizardEngineFactory,
    private readonly log: vscode.LogOutputChannel,
    /** Which other clusters hold a secret of a name (a missing input may be offered from there). */
    private readonly secretNames?: SecretIndex,
  ) {
    const subscription = registry.onDidChange((change) => {
      for (const wizard of this.wizards.values()) {
        if ([...change.added, ...change.changed, ...change.removed].includes(wizard.cluster))
          wizard.controller.specChanged(this.labelOf(wizard.specUri));
      }
    });
    this.disposables.push(
      { dispose: () => subscription.dispose() },
      this.runsFinished,
      vscode.workspace.registerTextDocumentContentProvider(TRANSCRIPT_SCHEME, this.transcripts),
    );
  }

  private keyOf(kind: WizardKind, cluster: string, node?: string): string {
    return node ? `${kind}|${cluster}|${node}` : `${kind}|${cluster}`;
  }

  private get webviewRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
  }

  private labelOf(specUri: vscode.Uri): string {
    return vscode.workspace.asRelativePath(specUri, false);
  }

  /**
   * Opens (or reveals) the wizard for a spec's cluster (and, for a node-level operation, its node). A panel the
   * window restored after a reload is revealed, even before it was first shown: never a second one beside it.
   */
  async open(
    kind: WizardKind,
    specUri: vscode.Uri,
    documentIndex = 0,
    args: OperationArgs = {},
  ): Promise<void> {
    const key = this.keyOf(kind, clusterKey(specUri.toString(), documentIndex), args.node);
    // The serializer binds a restored panel when it shows: then it is the one revealed below.
    if (!this.panels.has(key))
      await this.restored.reveal(key, this.titleOf(kind, specUri, documentIndex, args));
    const before = this.wizards.get(key);
    const wizard = this.wizardFor(kind, specUri, documentIndex, undefined, args);
    const existing = this.panels.get(key);
    if (existing && before === wizard) {
      existing.panel.reveal();
      return;
    }
    // Another choice for the same node (--force): its panel starts again with the new controller.
    existing?.panel.dispose();
    const panel = vscode.window.createWebviewPanel(
      WIZARD_VIEW_TYPE,
      wizard.controller.view.title,
      vscode.ViewColumn.Active,
      this.webviewOptions(),
    );
    this.bind(key, panel, wizard);
  }

  /** The title a wizard's panel has (and its tab keeps across a reload). */
  private titleOf(
    kind: WizardKind,
    specUri: vscode.Uri,
    documentIndex: number,
    args: OperationArgs,
  ): string | undefined {
    const model = this.registry.get(clusterKey(specUri.toString(), documentIndex))?.model;
    if (!model) return undefined;
    const { node, force } = args;
    return initialView(kind, { cluster: model.name, specLabel: '', node, force, topology: model.topology })
      .title;
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    // No retainContextWhenHidden: the webview rebuilds from the host's state (and its own setState).
    return { enableScripts: true, localResourceRoots: [this.webviewRoot] };
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
    const node = persisted.view?.node;
    const key = this.keyOf(persisted.kind, clusterKey(specUri.toString(), 0), node);
    const other = this.panels.get(key);
    if (other) {
      panel.dispose();
      other.panel.reveal();
      return this.restored.bound(key);
    }
    panel.webview.options = this.webviewOptions();
    const args = node ? { node, force: persisted.view?.force } : {};
    this.bind(key, panel, this.wizardFor(persisted.kind, specUri, 0, persisted.view, args));
    this.restored.bound(key);
  }

  private wizardFor(
    kind: WizardKind,
    specUri: vscode.Uri,
    documentIndex: number,
    restored?: WizardView,
    args: OperationArgs = {},
  ) {
    const cluster = clusterKey(specUri.toString(), documentIndex);
    const key = this.keyOf(kind, cluster, args.node);
    const existing = this.wizards.get(key);
    // The same node again with another choice (--force): a new controller unless one is running.
    if (
      existing &&
      (existing.controller.isRunning || Boolean(existing.controller.view.force) === Boolean(args.force))
    )
      return existing;
    existing?.controller.dispose();
    const controller = new WizardController({
      kind,
      args,
      context: () => this.registry.get(cluster),
      specLabel: this.labelOf(specUri),
      engines: () => this.engines,
      restored: restored ?? this.lastViewOf(key, kind),
      trusted: () => vscode.workspace.isTrusted,
      secretsElsewhere: (context, name) => this.secretNames?.holders(name, context.identity) ?? [],
      confirm: async (message, detail, action) =>
        (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
      labelOf: (specPath) => this.labelOf(vscode.Uri.file(specPath)),
    });
    const wizard: Wizard = { controller, kind, cluster, specUri };
    this.wizards.set(key, wizard);
    controller.onDidFinish((view) => void this.finished(key, view));
    if (!restored) controller.showPlan();
    return wizard;
  }

  private bind(key: string, panel: vscode.WebviewPanel, wizard: Wizard): void {
    this.detached.get(key)?.();
    this.detached.delete(key);
    const disposables = bindPanel(panel, wizard.controller, {
      webviewRoot: this.webviewRoot,
      iconPath: vscode.Uri.joinPath(this.context.extensionUri, 'media', 'gateway-clusters.svg'),
      log: this.log,
      specUri: wizard.specUri.toString(),
      command: (name, typed) => this.command(wizard, name, typed),
    });
    disposables.push(panel.onDidDispose(() => this.unbind(key, wizard.controller)));
    this.panels.set(key, { panel, disposables });
  }

  private async command(wizard: Wizard, name: CommandName, typed: TypedInput[] = []): Promise<void> {
    const { controller } = wizard;
    switch (name) {
      case 'start':
      case 'resume':
        await controller.startWith(name, typed);
        return;
      case 'dryRun':
        await controller.dryRun();
        return;
      case 'cancel':
        controller.cancel();
        return;
      case 'openTranscript': {
        const context = this.registry.get(wizard.cluster);
        const runId = controller.view.runId;
        if (context && runId) await this.showTranscript(context.runsDir, runId, vscode.ViewColumn.Beside);
        return;
      }
      case 'openManager': {
        // Built from the spec by the host, never taken from the webview.
        const url = controller.view.managerUrl;
        if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
        return;
      }
      case 'openSpec':
        await vscode.window.showTextDocument(wizard.specUri, { viewColumn: vscode.ViewColumn.One });
        return;
      case 'openNext':
        await this.openNext(wizard);
        return;
      case 'revealDiagnostics':
        await revealFolder(controller.view.diagnostics?.folder);
        return;
    }
  }

  /** A run's readable transcript (the tree's Failed cluster opens its run with it). */
  async showTranscript(runsDir: string, runId: string, column = vscode.ViewColumn.Active): Promise<void> {
    if (!/^[\w.-]+$/.test(runId)) return;
    const document = await vscode.workspace.openTextDocument(this.transcripts.uriOf(runsDir, runId));
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: column });
  }

  private unbind(key: string, controller: WizardController): void {
    const binding = this.panels.get(key);
    if (!binding) return;
    this.panels.delete(key);
    for (const d of binding.disposables) d.dispose();
    if (controller.isRunning) this.continueInBackground(key, controller);
  }

  /** The panel closed while the operation runs: keep it going, with progress and cancel. */
  private continueInBackground(key: string, controller: WizardController): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: controller.view.title, cancellable: true },
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
          report(controller.view);
          const off = controller.onDidChange(report);
          const end = () => {
            off();
            cancel.dispose();
            this.detached.delete(key);
            resolve();
          };
          const cancel = token.onCancellationRequested(() => controller.cancel());
          this.detached.set(key, end);
          void controller.whenIdle.then(end);
        }),
    );
  }

  private async finished(key: string, view: WizardView): Promise<void> {
    const views = this.lastViews();
    views[key] = view;
    await this.context.workspaceState.update(LAST_VIEWS, views);
    this.runsFinished.fire(view);
    const wizard = this.wizards.get(key);
    // The user sees the end in the panel; a closed or hidden panel's run ends with a notification.
    if (this.panels.get(key)?.panel.visible || view.mode === 'dryRun' || !wizard) return;
    const open = 'Show';
    const next =
      view.phase === 'succeeded' && view.mode === 'run' && !isFlow(view.kind)
        ? nextOperation(operationOf(view.kind))
        : undefined;
    const nextLabel = next && `${OPERATIONS[next].title}…`;
    const text = `${view.title}: ${view.phase === 'succeeded' ? (view.mode === 'fix' ? 'fixes applied' : 'done') : view.phase}${
      view.failure ? ` — ${view.failure.message}` : ''
    }`;
    const show =
      view.phase === 'succeeded' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    const answer = await show(text, ...(nextLabel ? [nextLabel, open] : [open]));
    if (answer === open)
      await this.open(view.kind, wizard.specUri, this.registry.get(wizard.cluster)?.documentIndex);
    else if (answer && answer === nextLabel) await this.openNext(wizard);
  }

  /** Opens the procedure's next wizard for the same spec. */
  private async openNext(wizard: Wizard): Promise<void> {
    const next = isFlow(wizard.kind) ? undefined : nextOperation(operationOf(wizard.kind));
    if (next && isWizardKind(next))
      await this.open(next, wizard.specUri, this.registry.get(wizard.cluster)?.documentIndex);
  }

  private lastViewOf(key: string, kind: WizardKind): WizardView | undefined {
    const view: unknown = this.lastViews()[key];
    return isWizardView(view) && view.kind === kind ? view : undefined;
  }

  private lastViews(): Record<string, WizardView> {
    return this.context.workspaceState.get<Record<string, WizardView>>(LAST_VIEWS) ?? {};
  }

  /** The open panels as they are (read by the extension-host tests). */
  inspect(): PanelInspection[] {
    return [...this.panels.entries()].map(([key, { panel }]) => {
      const wizard = this.wizards.get(key)!;
      const options = panel.webview.options;
      return {
        key,
        kind: wizard.kind,
        specUri: wizard.specUri.toString(),
        html: panel.webview.html,
        localResourceRoots: (options.localResourceRoots ?? []).map((u) => u.toString()),
        enableScripts: Boolean(options.enableScripts),
        retainContextWhenHidden: Boolean(panel.options.retainContextWhenHidden),
        visible: panel.visible,
        view: wizard.controller.view,
        running: wizard.controller.isRunning,
      };
    });
  }

  /** The controller of a wizard (tests wait on it). */
  controllerOf(kind: WizardKind, specUri: vscode.Uri, documentIndex = 0): WizardController | undefined {
    return this.wizards.get(this.keyOf(kind, clusterKey(specUri.toString(), documentIndex)))?.controller;
  }

  /** Closes a wizard's panel the way the user does. */
  close(kind: WizardKind, specUri: vscode.Uri, documentIndex = 0): void {
    this.panels.get(this.keyOf(kind, clusterKey(specUri.toString(), documentIndex)))?.panel.dispose();
  }

  dispose(): void {
    for (const [key, { panel }] of this.panels) {
      this.unbind(key, this.wizards.get(key)!.controller);
      panel.dispose();
    }
    for (const wizard of this.wizards.values()) wizard.controller.dispose();
    this.wizards.clear();
    for (const d of this.disposables) d.dispose();
  }
}

export { WIZARD_TITLES };

/** A folder the host made (diagnostics'), shown in the Explorer when it is in the workspace, else the OS's. */
export async function revealFolder(folder: string | undefined): Promise<void> {
  if (!folder) return;
  const uri = vscode.Uri.file(folder);
  if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
  else await vscode.commands.executeCommand('revealFileInOS', uri);
}
