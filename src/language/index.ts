// Language features for cluster.yaml over the SpecService's results: diagnostics, completion, hover, quick
// fixes, outline and lenses. Everything works in untrusted workspaces: nothing here runs anything remote.
import * as vscode from 'vscode';
import { clusterIdentity } from '../clusters/identity';
import { ClusterSecrets, type SecretBackend } from '../clusters/secrets';
import type { Finding } from '../cluster-spec/types';
import { isSpecCandidate, loadSpecCore, type SpecService } from '../spec-service';
import { countFindings, formatCounts } from '../cluster-spec/counts';
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
import type { SecretIndex } from '../clusters';

/** YAML documents on disk and unsaved; specs are recognised by the spec core, not by this selector. */
const SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml', scheme: 'file' },
  { language: 'yaml', scheme: 'untitled' },
  { language: 'yaml', scheme: 'vscode-remote' },
];

export interface LanguageDeps {
  extension: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  specs: SpecService;
  /** The editor's secret storage as raw keys (the cluster scoping is added here). */
  secrets: SecretBackend;
  /** The names stored for each cluster (kept by the composition root). */
  secretNames: SecretIndex;
}

export interface LanguageFeatures {
  readonly diagnostics: SpecDiagnostics;
  readonly secretNames: SecretIndex;
  readonly disposables: vscode.Disposable[];
}

export function registerLanguageFeatures(deps: LanguageDeps): LanguageFeatures {
  const { extension, log, specs, secretNames } = deps;
  const diagnostics = new SpecDiagnostics(specs, extension.extensionUri);

  const disposables: vscode.Disposable[] = [
    diagnostics,
    vscode.languages.registerCompletionItemProvider(SELECTOR, new SpecCompletionProvider(specs, secretNames)),
    vscode.languages.registerHoverProvider(SELECTOR, new SpecHoverProvider(specs)),
    vscode.languages.registerCodeActionsProvider(
      SELECTOR,
      new SpecCodeActionProvider(specs),
      SpecCodeActionProvider.metadata,
    ),
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, new SpecSymbolProvider(specs), {
      label: 'Gateway cluster',
    }),
    vscode.languages.registerCodeLensProvider(SELECTOR, new SpecCodeLensProvider(specs)),
    vscode.commands.registerCommand(COMMAND_VALIDATE_DOCUMENT, (uri?: string) =>
      validateDocumentCommand(uri),
    ),
    vscode.commands.registerCommand(
      COMMAND_MOVE_SECRET,
      (uri: string, code: string, range: Finding['range']) => moveSecretCommand(uri, code, range),
    ),
    // Red Hat's YAML extension gets an empty schema for specs once the first spec shows up.
    vscode.workspace.onDidOpenTextDocument((d) => void maybeCoexist(d)),
  ];
  for (const document of vscode.workspace.textDocuments) void maybeCoexist(document);

  async function maybeCoexist(document: vscode.TextDocument): Promise<void> {
    if (document.languageId !== 'yaml' || !isSpecCandidate(document.fileName, document.getText())) return;
    await coexistWithRedHatYaml(await loadSpecCore(), log);
  }

  async function validateDocumentCommand(uriText?: string): Promise<Finding[] | undefined> {
    const uri = uriText ? vscode.Uri.parse(uriText) : vscode.window.activeTextEditor?.document.uri;
    if (!uri) return undefined;
    const document = await vscode.workspace.openTextDocument(uri);
    // The CLI's check: the same validation, with the checks that look at this machine (GC180) when trusted.
    const findings = await diagnostics.validateDocument(document);
    const name = uri.path.split('/').pop() ?? uri.toString();
    void vscode.window.showInformationMessage(`${name}: ${formatCounts(countFindings(findings))}.`);
    return findings;
  }

  async function moveSecretCommand(uriText: string, code: string, range: Finding['range']): Promise<boolean> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uriText));
    const analysis = await specs.analyze(document);
    const finding = analysis?.result.findings.find(
      (f) => f.code === code && toRange(f.range).isEqual(toRange(range)),
    );
    if (!analysis || !finding) {
      void vscode.window.showWarningMessage('The spec changed: run the quick fix again.');
      return false;
    }
    const plan = planFor(analysis, finding, await loadSpecCore());
    const model = analysis.result.documents.find(
      (d) => d.range.start.line <= finding.range.start.line,
    )?.model;
    if (!plan?.secret || !model?.name) {
      void vscode.window.showWarningMessage(
        'Give the cluster its metadata.name first: secrets are kept per cluster.',
      );
      return false;
    }
    // Stored for this cluster only (its spec file and name), never reachable from another spec.
    const identity = clusterIdentity(document.uri.fsPath, model.name);
    const clusterSecrets = new ClusterSecrets(deps.secrets, identity, { register: () => undefined });
    const name = await secretNames.freeName(identity, plan.secret.name, plan.secret.value);
    await clusterSecrets.store(name, plan.secret.value);
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
    void vscode.window.showInformationMessage(
      `The secret is now in secret storage as '${name}' (for cluster ${model.name}).`,
    );
    return true;
  }

  return { diagnostics, secretNames, disposables };
}
