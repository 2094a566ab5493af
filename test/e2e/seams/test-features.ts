// The extension's features as the extension-host tests and the tree benchmark run them (dist/testing.js,
// built by the host runner, never packaged): the product's composition root with its seams filled — host-key
// prompts the tests can answer, wizard engines they can script — and the test commands that read state back.
import * as vscode from 'vscode';
import { clusterIdentity, specSecretKey } from '../../../src/clusters';
import { ModalPrompts } from '../../../src/editor/prompts';
import { activateFeatures as activateProduct, type FeaturesApi } from '../../../src/features';
import type { HostKeyQuestion, RemotePrompts } from '../../../src/remote/types';
import { realEngines, type WizardEngineFactory } from '../../../src/wizards';
import type { WizardKind } from '../../../src/wizards/protocol';
import { scriptedEngines, type EngineScript } from './scripted-engine';
import { treeSnapshot, type SnapshotOptions } from './tree-snapshot';
import { sectionsSnapshot, type SectionsRequest } from './sections-snapshot';
import { timeExpand } from './expand-timing';

export type WizardTestRequest =
  | { action: 'inspect' }
  | { action: 'useScript'; script: EngineScript }
  | { action: 'run'; kind: WizardKind; specUri: string; command: 'start' | 'dryRun' | 'cancel' }
  | { action: 'wait'; kind: WizardKind; specUri: string }
  | { action: 'close'; kind: WizardKind; specUri: string };

/** What activate() returns in a test run: set `prompts.testAnswer` to answer host-key questions. */
export interface TestingHooks {
  prompts: { testAnswer: ((question: HostKeyQuestion) => boolean | undefined) | undefined };
}

export function activateFeatures(context: vscode.ExtensionContext): FeaturesApi {
  const hooks: TestingHooks = { prompts: { testAnswer: undefined } };
  const modal = new ModalPrompts();
  const prompts: RemotePrompts = {
    confirmHostKey: async (q) => hooks.prompts.testAnswer?.(q) ?? modal.confirmHostKey(q),
    askPassphrase: (q) => modal.askPassphrase(q),
  };
  let engines: WizardEngineFactory = realEngines;
  const api = activateProduct(context, { prompts, engines: (c, onEvent) => engines(c, onEvent) });
  const { wizards, tree, extension } = api.features;

  const controllerOf = (kind: WizardKind, uri: string) => {
    const controller = wizards.controllerOf(kind, vscode.Uri.parse(uri));
    if (!controller) throw new Error(`no ${kind} wizard for ${uri}`);
    return controller;
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('gatewayCluster.test.wizards', async (request: WizardTestRequest) => {
      switch (request.action) {
        case 'inspect':
          return wizards.inspect();
        case 'useScript':
          engines = scriptedEngines(request.script).factory;
          return true;
        case 'run': {
          const controller = controllerOf(request.kind, request.specUri);
          if (request.command === 'cancel') controller.cancel();
          else void (request.command === 'start' ? controller.start() : controller.dryRun());
          return true;
        }
        case 'wait': {
          const controller = controllerOf(request.kind, request.specUri);
          await controller.whenIdle;
          return controller.view;
        }
        case 'close':
          wizards.close(request.kind, vscode.Uri.parse(request.specUri));
          return true;
      }
    }),
    // A secret stored for one cluster: the spec file, its metadata.name and the secret's name in the spec.
    vscode.commands.registerCommand(
      'gatewayCluster.test.readSecret',
      (specPath: string, cluster: string, name: string) =>
        extension.secrets.get(specSecretKey(clusterIdentity(specPath, cluster), name)),
    ),
    vscode.commands.registerCommand('gatewayCluster.test.snapshot', (options?: SnapshotOptions) =>
      treeSnapshot(tree, options),
    ),
    vscode.commands.registerCommand('gatewayCluster.test.sections', (request: SectionsRequest) =>
      sectionsSnapshot(tree, request),
    ),
    vscode.commands.registerCommand(
      'gatewayCluster.test.timeExpand',
      (target: { cluster: string; node: string; pods: number }) => timeExpand(tree, target),
    ),
    // The text of an open document (Describe, YAML, events), as the editor shows it now.
    vscode.commands.registerCommand('gatewayCluster.test.documentText', (uri: string) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      return document?.getText();
    }),
  );
  api.exports = { testing: hooks };
  return api;
}
