// One webview panel bound to its wizard controller: the HTML with a CSP nonce, snapshots of the view posted at
// most every POST_INTERVAL_MS while output streams in, and the webview's messages validated and dispatched.
import * as vscode from 'vscode';
import { Throttle } from '../timing';
import type { WizardController } from './controller';
import { makeNonce, wizardHtml } from './html';
import type { CommandName, HostToWebview, TypedInput } from './protocol';
import { parseWebviewMessage } from './protocol';

/** Snapshots go to the webview at most this often while output streams in. */
const POST_INTERVAL_MS = 60;

export interface BindingHost {
  webviewRoot: vscode.Uri;
  iconPath: vscode.Uri;
  log: vscode.LogOutputChannel;
  /** The spec the panel is for, kept by the webview with setState so the panel restores after a reload. */
  specUri: string;
  command(name: CommandName, typed?: TypedInput[]): Promise<void>;
}

export function bindPanel(
  panel: vscode.WebviewPanel,
  controller: WizardController,
  host: BindingHost,
): vscode.Disposable[] {
  const webview = panel.webview;
  const nonce = makeNonce();
  const asset = (name: string) =>
    webview.asWebviewUri(vscode.Uri.joinPath(host.webviewRoot, name)).toString();
  panel.title = controller.view.title;
  panel.iconPath = host.iconPath;
  webview.html = wizardHtml({
    cspSource: webview.cspSource,
    nonce,
    scriptUri: asset('main.js'),
    styleUri: asset('main.css'),
    codiconUri: asset('codicon.css'),
    title: controller.view.title,
  });

  let ready = false;
  const post = () => {
    if (!ready) return;
    const message: HostToWebview = {
      type: 'state',
      view: controller.view,
      specUri: host.specUri,
      sentAt: Date.now(),
    };
    void webview.postMessage(message);
  };
  const posts = new Throttle(post, POST_INTERVAL_MS);
  const offChange = controller.onDidChange(() => posts.schedule());
  return [
    { dispose: offChange },
    posts,
    webview.onDidReceiveMessage(async (raw: unknown) => {
      const message = parseWebviewMessage(raw);
      if (!message) {
        host.log.warn('Wizard: ignored a malformed message from the webview.');
        return;
      }
      try {
        switch (message.type) {
          case 'ready':
            ready = true;
            post();
            await controller.refreshInputs();
            return;
          case 'input':
            await controller.submitInput(message.key, message.value);
            return;
          case 'changeInput':
            await controller.changeInput(message.key);
            return;
          case 'useStoredElsewhere':
            await controller.useStoredElsewhere(message.key);
            return;
          case 'applyFixes':
            await controller.applyFixes(message.ids);
            return;
          case 'check':
            await controller.check(message.id, message.done);
            return;
          case 'command':
            await host.command(message.name, message.inputs);
            return;
        }
      } catch (err) {
        host.log.error(`Wizard: ${err instanceof Error ? err.message : String(err)}`);
      }
    }),
  ];
}
