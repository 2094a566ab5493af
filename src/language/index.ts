// Language features for cluster.yaml: registered at activation (cheap: providers only), the spec core loads
// with the first spec document. Everything works in untrusted workspaces: nothing here runs anything remote.
import * as vscode from 'vscode';
import type { ExtensionContextBag } from '../commands/types';
import type { Finding } from '../cluster-spec/types';
import { countFindings, formatCounts, isSpecCandidate } from './core/policy';
import { SpecDiagnostics, toRange } from './diagnostics';
import {
  COMMAND_MOVE_SECRET,
  COMMAND_VALIDATE_DOCUMENT,
  SpecCodeActionProvider,
  SpecCodeLensProvider,
  SpecCompletionProvider,
  SpecHoverProvider,
  SpecSymbolProvider,
  planFor,
} from './providers';
import { coexistWithRedHatYaml } from './redhat-yaml';
import { SecretIndex } from './secret-index';
import { loadSpecCore, SpecAnalyzer } from './service';
import { SpecWorkerClient } from './worker-client';

export { SecretIndex } from './secret-index';

/** YAML documents on disk and unsaved; specs are recognised by the spec core, not by this selector. */
const SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml', scheme: 'file' },
  { language: 'yaml', scheme: 'untitled' },
  { language: 'yaml', scheme: 'vscode-remote' },
];

export interface LanguageFeatures {
  readonly analyzer: SpecAnalyzer;
  readonly diagnostics: SpecDiagnostics;
  readonly secrets: SecretIndex;
  /** Validates every spec in the workspace (open and on disk) and refreshes the Problems view. */
  validateAll(): Promise<Array<{ uri: vscode.Uri; findings: Finding[] }>>;
}

let current: LanguageFeatures | undefined;

/** The running language features, for commands in src/commands (undefined before activation). */
export function languageFeatures(): LanguageFeatures | undefined {
  return current;
}

export function registerLanguageFeatures(ctx: ExtensionContextBag): vscode.Disposable[] {
  const { extension, log } = ctx;
  // Large specs are validated off this thread, by the spec core bundled again as dist/spec-worker.js.
  const worker = new SpecWorkerClient(
    vscode.Uri.joinPath(extension.extensionUri, 'dist', 'spec-worker.js').fsPath,
    (message) => log.warn(message),
  );
  const analyzer = new SpecAnalyzer(worker);
  const secrets = new SecretIndex(extension.secrets, extension.globalState);
  const diagnostics = new SpecDiagnostics(analyzer, extension.extensionUri, log);
  diagnostics.watchWorkspace();
  current = { analyzer, diagnostics, secrets, validateAll: () => diagnostics.validateWorkspace() };

  const disposables: vscode.Disposable[] = [
    diagnostics,
    analyzer,
    extension.secrets.onDidChange((e) => void secrets.refresh(e.key)),
    vscode.languages.registerCompletionItemProvider(SELECTOR, new SpecCompletionProvider(analyzer, secrets)),
    vscode.languages.registerHoverProvider(SELECTOR, new SpecHoverProvider(analyzer)),
    vscode.languages.registerCodeActionsProvider(
      SELECTOR,
      new SpecCodeActionProvider(analyzer),
      SpecCodeActionProvider.metadata,
    ),
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, new SpecSymbolProvider(analyzer), {
      label: 'Gateway cluster',
    }),
    vscode.languages.registerCodeLensProvider(SELECTOR, new SpecCodeLensProvider(analyzer)),
    vscode.commands.registerCommand(COMMAND_VALIDATE_DOCUMENT, (uri?: string) =>
      validateDocumentCommand(uri),
    ),
    vscode.commands.registerCommand(
      COMMAND_MOVE_SECRET,
      (uri: string, code: string, range: Finding['range']) => moveSecretCommand(uri, code, range),
    ),
    // Red Hat's YAML extension gets an empty schema for specs once the first spec shows up.
    vscode.workspace.onDidOpenTextDocument((d) => void maybeCoexist(d)),
    { dispose: () => (current = undefined) },
  ];
  for (const document of vscode.workspace.textDocuments) void maybeCoexist(document);
  if (extension.extensionMode === vscode.ExtensionMode.Test) {
    // Only under the extension-test runner: lets the host suite check that a quick fix stored a secret.
    disposables.push(
      vscode.commands.registerCommand('gatewayCluster.test.readSecret', (name: string) => secrets.get(name)),
    );
  }

  async function maybeCoexist(document: vscode.TextDocument): Promise<void> {
    if (document.languageId !== 'yaml' || !isSpecCandidate(document.fileName, document.getText())) return;
    await coexistWithRedHatYaml(await loadSpecCore(), log);
  }

  async function validateDocumentCommand(uriText?: string): Promise<Finding[] | undefined> {
    const uri = uriText ? vscode.Uri.parse(uriText) : vscode.window.activeTextEditor?.document.uri;
    if (!uri) return undefined;
    const document = await vscode.workspace.openTextDocument(uri);
    // The CLI's check: the same validation, with the checks that look at this machine (GC180) included.
    const findings = await diagnostics.validateDocument(document);
    const name = uri.path.split('/').pop() ?? uri.toString();
    void vscode.window.showInformationMessage(`${name}: ${formatCounts(countFindings(findings))}.`);
    return findings;
  }

  async function moveSecretCommand(uriText: string, code: string, range: Finding['range']): Promise<boolean> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uriText));
    const analysis = await analyzer.analyze(document);
    const finding = analysis?.result.findings.find(
      (f) => f.code === code && toRange(f.range).isEqual(toRange(range)),
    );
    if (!analysis || !finding) {
      void vscode.window.showWarningMessage('The spec changed: run the quick fix again.');
      return false;
    }
    const plan = planFor(analysis, finding, await loadSpecCore());
    if (!plan?.secret) return false;
    const name = await secrets.freeName(plan.secret.name, plan.secret.value);
    await secrets.store(name, plan.secret.value);
    const edits = plan.edits.map((e) => ({ ...e, newText: e.newText.replace(plan.secret!.name, name) }));
    const wasDirty = document.isDirty;
    const edit = new vscode.WorkspaceEdit();
    edit.set(
      document.uri,
      edits.map((e) => new vscode.TextEdit(toRange(e.range), e.newText)),
    );
    if (!(await vscode.workspace.applyEdit(edit))) return false;
    // The value must not stay on disk either: save when the only change is ours.
    if (!wasDirty && document.uri.scheme === 'file' && !(await document.save())) {
      log.warn(
        `Could not save ${document.uri.fsPath} after moving its secret: save it to remove the value from disk.`,
      );
    }
    log.info(`Moved an inline secret of ${document.uri.fsPath} into secret storage as '${name}'.`);
    void vscode.window.showInformationMessage(`The secret is now in secret storage as '${name}'.`);
    return true;
  }

  return disposables;
}
