import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { COMMAND_IDS } from './commands/ids';
import { FEATURES_MARKS } from './features-marks';
import type { FeaturesApi, TestingExports } from './features';
import { WIZARD_VIEW_TYPE } from './wizards/view-type';

export type { TestingExports } from './features';

/**
 * The extension-host tests run a test build of the features (dist/testing.js: the same composition root with
 * test seams, built by their runner and never packaged); everyone else runs dist/features.js.
 */
function requireFeatures(): typeof import('./features') {
  /* eslint-disable @typescript-eslint/no-require-imports -- separate bundles (scripts/build.ts), loaded after activation */
  if (process.env.GC_TEST_HOOKS === '1' && existsSync(path.join(__dirname, 'testing.js')))
    return require('./testing') as typeof import('./features');
  return require('./features') as typeof import('./features');
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * The activation shell: it registers only what must exist when activate() returns (every command id, the
 * wizard serializer), each delegating to the features, and loads the features (dist/features.js: tree,
 * language service, wizards) right after activation or on first use, so activation compiles almost nothing.
 */
export function activate(context: vscode.ExtensionContext): Promise<TestingExports | undefined> | undefined {
  let features: Promise<FeaturesApi> | undefined;
  const load = (): Promise<FeaturesApi> => (features ??= loadFeatures(context));
  for (const id of COMMAND_IDS) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) =>
        (await load()).runCommand(id, ...args),
      ),
    );
  }
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(WIZARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => (await load()).restoreWizard(panel, state),
    }),
  );
  // The host and UI test runners set GC_TEST_HOOKS=1: the suites need the features (and their hooks) ready.
  if (process.env.GC_TEST_HOOKS === '1') return load().then((api) => api.exports);
  setImmediate(() => void load().catch(() => undefined));
  return undefined;
}

function loadFeatures(context: vscode.ExtensionContext): Promise<FeaturesApi> {
  try {
    const started = performance.now();
    const { activateFeatures } = requireFeatures();
    const required = performance.now();
    const api = activateFeatures(context);
    performance.measure(FEATURES_MARKS.require, { start: started, end: required });
    performance.measure(FEATURES_MARKS.total, { start: started, end: performance.now() });
    return Promise.resolve(api);
  } catch (error) {
    // Show the failure instead of leaving a silently dead extension.
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`Gateway Clusters failed to start: ${message}`);
    return Promise.reject(error instanceof Error ? error : new Error(message));
  }
}

export function deactivate(): void {
  // Disposables pushed to context.subscriptions are released by VS Code.
}
