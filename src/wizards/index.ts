// The wizards as activate() wires them: the panel manager (with its serializer) over an injected engine
// factory, and — only under the extension-test runner — a hook for the host suite.
import * as vscode from 'vscode';
import type { WizardKind } from './protocol';
import { WIZARD_KINDS } from './protocol';
import { WizardPanels } from './panels';
import type { EngineScript } from './scripted-engine';
import type { WizardEngineFactory } from './session';

export { WizardPanels, WIZARD_VIEW_TYPE } from './panels';
export type { WizardEngineFactory } from './session';

export type WizardTestRequest =
  | { action: 'inspect' }
  | { action: 'useScript'; script: EngineScript }
  | { action: 'run'; kind: WizardKind; specUri: string; command: 'start' | 'dryRun' | 'cancel' }
  | { action: 'wait'; kind: WizardKind; specUri: string }
  | { action: 'close'; kind: WizardKind; specUri: string };

export function createWizards(
  context: vscode.ExtensionContext,
  engines: WizardEngineFactory,
  log: vscode.LogOutputChannel,
  registerSerializer = true,
): { panels: WizardPanels; disposables: vscode.Disposable[] } {
  const panels = new WizardPanels(context, engines, log, registerSerializer);
  const disposables: vscode.Disposable[] = [panels];
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    disposables.push(
      vscode.commands.registerCommand('gatewayCluster.test.wizards', (request: WizardTestRequest) =>
        testHook(panels, request),
      ),
    );
  }
  return { panels, disposables };
}

async function testHook(panels: WizardPanels, request: WizardTestRequest): Promise<unknown> {
  const sessionOf = (kind: WizardKind, uri: string) => {
    if (!WIZARD_KINDS.includes(kind)) throw new Error(`unknown wizard ${kind}`);
    const session = panels.sessionOf(kind, vscode.Uri.parse(uri));
    if (!session) throw new Error(`no ${kind} wizard for ${uri}`);
    return session;
  };
  switch (request.action) {
    case 'inspect':
      return panels.inspect();
    case 'useScript': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- test-only, loaded on demand
      const { scriptedEngines } = require('./scripted-engine') as typeof import('./scripted-engine');
      panels.setEngineFactory(scriptedEngines(request.script).factory);
      return true;
    }
    case 'run': {
      const session = sessionOf(request.kind, request.specUri);
      if (request.command === 'cancel') session.cancel();
      else void (request.command === 'start' ? session.start() : session.dryRun());
      return true;
    }
    case 'wait': {
      const session = sessionOf(request.kind, request.specUri);
      await session.whenIdle;
      return session.view;
    }
    case 'close':
      panels.close(request.kind, vscode.Uri.parse(request.specUri));
      return true;
  }
}
