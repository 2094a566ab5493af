// Entry of the wizard webview bundle (dist/webview/main.js). The wizards of a later issue render here with
// @vscode-elements/elements; this entry already speaks the typed protocol.
import type { HostToWebview, WebviewToHost } from '../src/wizards/protocol';

declare function acquireVsCodeApi(): { postMessage(message: WebviewToHost): void };

const vscodeApi = acquireVsCodeApi();

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data as Partial<HostToWebview> | null;
  if (!message || message.type !== 'state' || typeof message.title !== 'string') return; // ignore anything malformed
  const heading = document.getElementById('title');
  if (heading) heading.textContent = message.title;
});

vscodeApi.postMessage({ type: 'ready' });
