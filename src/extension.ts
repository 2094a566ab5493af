import * as vscode from 'vscode';
import { commandTable } from './commands';
import type { ExtensionContextBag } from './commands/types';
import { registerLanguageFeatures } from './language';
import { ClustersTree } from './tree/clusters-tree';
import { ModalPrompts } from './tree/host-prompts';
import { createWizards } from './wizards';
import { editorEngineFactory } from './wizards/editor-engines';

/**
 * The composition root: builds the context every feature shares, registers commands from their table and
 * views, and pushes every disposable. Nothing heavy loads here: the SSH and Kubernetes clients load on first use.
 */
/** What activate() returns in extension test runs only (ExtensionMode.Test): hooks for the host suites. */
export interface TestingExports {
  testing: {
    /** Set `ModalPrompts.testAnswer` to answer host-key questions as a user would. */
    prompts: typeof ModalPrompts;
  };
}

export function activate(context: vscode.ExtensionContext): TestingExports | undefined {
  const log = vscode.window.createOutputChannel('Gateway Clusters', { log: true });
  context.subscriptions.push(log);
  try {
    // The Clusters view (provider, TreeView, status bar, badge); sessions load ssh2/k8s on first Connect.
    const clusters = new ClustersTree(context, log);
    context.subscriptions.push(clusters);
    // The wizard panels and their serializer; the engine (SSH, Kubernetes) loads on the first run.
    const engines = editorEngineFactory(context, log);
    const wizards = createWizards(context, engines, log);
    context.subscriptions.push(engines, ...wizards.disposables);
    const ctx: ExtensionContextBag = {
      extension: context,
      log,
      refreshClusters: () => clusters.provider.refresh(),
      clusters,
      wizards: wizards.panels,
    };
    for (const [id, factory] of Object.entries(commandTable)) {
      context.subscriptions.push(vscode.commands.registerCommand(id, factory(ctx)));
    }
    context.subscriptions.push(...registerLanguageFeatures(ctx));
    // Only a test run (extensionTestsPath) gets the hooks; an installed extension exports nothing.
    return context.extensionMode === vscode.ExtensionMode.Test
      ? { testing: { prompts: ModalPrompts } }
      : undefined;
  } catch (error) {
    // Show activation failures instead of leaving a silently dead extension.
    const message = error instanceof Error ? error.message : String(error);
    log.error(`Activation failed: ${message}`);
    void vscode.window.showErrorMessage(`Gateway Clusters failed to start: ${message}`);
    throw error;
  }
}

export function deactivate(): void {
  // Disposables pushed to context.subscriptions are released by VS Code.
}
