import * as vscode from 'vscode';
import { commandTable } from './commands';
import type { ExtensionContextBag } from './commands/types';
import { registerLanguageFeatures } from './language';
import { ClustersTree } from './tree/clusters-tree';
import { ModalPrompts } from './tree/host-prompts';
import { createWizards } from './wizards';
import { editorEngineFactory } from './wizards/editor-engines';

/**
 * The composition root, loaded by the activation shell (src/extension.ts) right after activation or on the
 * first command: builds the context every feature shares, the views and providers, and pushes every
 * disposable. The shell has already registered the commandTable ids and the wizard serializer; they delegate
 * here. The SSH and Kubernetes clients load later still, on first use.
 */
/** What activate() returns in extension test runs only: hooks for the host suites. */
export interface TestingExports {
  testing: {
    /** Set `ModalPrompts.testAnswer` to answer host-key questions as a user would. */
    prompts: typeof ModalPrompts;
  };
}

export interface FeaturesApi {
  /** Runs a commandTable command (the shell registered it by id). */
  runCommand(id: string, ...args: unknown[]): unknown;
  /** The wizard serializer's deserializeWebviewPanel (the shell registered the serializer). */
  restoreWizard(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  /** The exports of a test run (ExtensionMode.Test); undefined for an installed extension. */
  exports: TestingExports | undefined;
}

export function activateFeatures(context: vscode.ExtensionContext): FeaturesApi {
  const log = vscode.window.createOutputChannel('Gateway Clusters', { log: true });
  context.subscriptions.push(log);
  try {
    // The Clusters view (provider, TreeView, status bar, badge); sessions load ssh2/k8s on first Connect.
    const clusters = new ClustersTree(context, log);
    context.subscriptions.push(clusters);
    // The wizard panels; the engine (SSH, Kubernetes) loads on the first run.
    const engines = editorEngineFactory(context, log);
    const wizards = createWizards(context, engines, log, false);
    context.subscriptions.push(engines, ...wizards.disposables);
    const ctx: ExtensionContextBag = {
      extension: context,
      log,
      refreshClusters: () => clusters.provider.refresh(),
      clusters,
      wizards: wizards.panels,
    };
    const handlers = new Map(Object.entries(commandTable).map(([id, factory]) => [id, factory(ctx)]));
    context.subscriptions.push(...registerLanguageFeatures(ctx));
    return {
      runCommand(id, ...args) {
        const handler = handlers.get(id);
        if (!handler) throw new Error(`Gateway Clusters has no command ${id}`);
        return handler(...args);
      },
      restoreWizard: (panel, state) => wizards.panels.restore(panel, state),
      // Only a test run (extensionTestsPath) gets the hooks; an installed extension exports nothing.
      exports:
        context.extensionMode === vscode.ExtensionMode.Test
          ? { testing: { prompts: ModalPrompts } }
          : undefined,
    };
  } catch (error) {
    // The shell shows the failure to the user; the log keeps it.
    log.error(`Activation failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}
