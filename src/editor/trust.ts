// Remote actions refuse to run in an untrusted workspace (menus hide them too), saying why.
import * as vscode from 'vscode';

export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(
    `${action} runs commands on remote machines, which is disabled in an untrusted workspace. Trust the workspace to use it.`,
  );
  return false;
}
