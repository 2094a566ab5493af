// The composition root, loaded by the activation shell (src/extension.ts) right after activation or on the
// first command: builds the spec service, the cluster registry, the views and providers, and pushes every
// disposable. The shell has already registered the command ids and the wizard serializer; they delegate
// here. The SSH and Kubernetes clients load later still, on first use. Test builds (test/e2e/seams) call
// activateFeatures with seams: replaced prompts and engines, and their own test commands.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ClusterRegistry, SecretIndex, type ClusterEnvironment, type Confirmation } from './clusters';
import { commandTable } from './commands';
import type { CommandContext } from './commands/types';
import { confirmInEditor } from './editor/confirm';
import { ModalPrompts } from './editor/prompts';
import { editorSecretBackend } from './editor/secret-storage';
import { registerLanguageFeatures } from './language';
import { thisWorkstation, userKnownHostsFile } from './remote/platform';
import type { RemotePrompts } from './remote/types';
import { SpecService, SpecWorkerClient } from './spec-service';
import { ClustersTree } from './tree/clusters-tree';
import { WizardPanels, realEngines, type WizardEngineFactory } from './wizards';
import { followWalkthrough } from './wizards/walkthrough';

/** What a test build may replace; an installed extension passes none. */
export interface FeatureSeams {
  /** The host-key and passphrase prompts (the tests answer with the lab's known fingerprints). */
  prompts?: RemotePrompts;
  /** The wizards' engines (the tests script them). */
  engines?: WizardEngineFactory;
  /** The operations' confirmations (force-remove, a replaced VM's key). */
  confirm?: (question: Confirmation) => Promise<boolean>;
}

/** What a test build may reach after activation. */
export type TestingExports = Record<string, unknown>;

export interface FeaturesApi {
  /** Runs a commandTable command (the shell registered it by id). */
  runCommand(id: string, ...args: unknown[]): unknown;
  /** The wizard serializer's deserializeWebviewPanel (the shell registered the serializer). */
  restoreWizard(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  /** The built features, for a test build's own commands. */
  features: CommandContext;
  /** What activate() returns in a test run (set by the test build); undefined for an installed extension. */
  exports?: TestingExports;
}

export function activateFeatures(context: vscode.ExtensionContext, seams: FeatureSeams = {}): FeaturesApi {
  const log = vscode.window.createOutputChannel('Gateway Clusters', { log: true });
  context.subscriptions.push(log);
  try {
    const secrets = editorSecretBackend(context.secrets);
    const environment: ClusterEnvironment = {
      secrets,
      prompts: seams.prompts ?? new ModalPrompts(),
      knownHosts: {
        ownFile: path.join(context.globalStorageUri.fsPath, 'known_hosts'),
        userFile: userKnownHostsFile(thisWorkstation()),
      },
      log: (line) => log.info(line),
      runner: 'VS Code',
      confirm: seams.confirm ?? confirmInEditor,
    };
    const registry = new ClusterRegistry(environment);
    // Specs are validated off this thread, by the spec core bundled again as dist/spec-worker.js.
    const worker = new SpecWorkerClient(
      vscode.Uri.joinPath(context.extensionUri, 'dist', 'spec-worker.js').fsPath,
      (message) => log.warn(message),
    );
    const specs = new SpecService(worker, log);
    context.subscriptions.push(
      specs,
      specs.onDidChange(({ uri, state }) => {
        if (state) registry.update({ uri: uri.toString(), specPath: uri.fsPath, result: state.result });
        else registry.remove(uri.toString());
      }),
      { dispose: () => void registry.dispose() },
      { dispose: () => secrets.clear() },
    );
    const tree = new ClustersTree(registry, log);
    const secretNames = new SecretIndex(context.secrets, context.globalState);
    context.subscriptions.push(
      context.secrets.onDidChange((e) => void secretNames.refresh(e.key)),
      registry.onDidChange(({ added, changed }) => {
        for (const key of [...added, ...changed]) {
          const identity = registry.get(key)?.identity;
          if (identity) void secretNames.remember(identity);
        }
      }),
    );
    const wizards = new WizardPanels(context, registry, seams.engines ?? realEngines, log, secretNames);
    const language = registerLanguageFeatures({ extension: context, log, specs, secrets, secretNames });
    context.subscriptions.push(
      tree,
      wizards,
      followWalkthrough(
        wizards.onDidFinishRun,
        (key, value) => void vscode.commands.executeCommand('setContext', key, value),
      ),
      ...language.disposables,
    );
    specs.watchWorkspace();
    const features: CommandContext = {
      extension: context,
      log,
      specs,
      registry,
      tree,
      wizards,
      language,
      environment,
    };
    const handlers = new Map(Object.entries(commandTable).map(([id, factory]) => [id, factory(features)]));
    return {
      runCommand(id, ...args) {
        const handler = handlers.get(id);
        if (!handler) throw new Error(`Gateway Clusters has no command ${id}`);
        return handler(...args);
      },
      restoreWizard: (panel, state) => wizards.restore(panel, state),
      features,
    };
  } catch (error) {
    // The shell shows the failure to the user; the log keeps it.
    log.error(`Activation failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}
