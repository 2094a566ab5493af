// The wizard webview (dist/webview/main.js): draws the host's snapshots of a wizard — the plan's steps with
// per-node rows, live output, inputs, preflight fixes, the registration's progress — and sends back typed
// commands. The store validates every message it receives and keeps only the (secret-free) view with
// setState; typed passwords and tokens live in memory until sent, never in the saved state.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '../media/wizard.css';
import type { WebviewApi } from './store.js';
import { WizardStore } from './store.js';
import { WizardApp } from './wizard-app.js';

declare function acquireVsCodeApi(): WebviewApi;

function start(): void {
  const store = new WizardStore(acquireVsCodeApi());
  const app = new WizardApp();
  app.store = store;
  window.addEventListener('message', (event: MessageEvent<unknown>) => store.receive(event.data));
  store.restore();
  document.getElementById('app')!.replaceChildren(app);
  store.ready();
}

start();
